/**
 * `volumes`, `tmpfs`, `configs` and `secrets` → one `storage` trait: named
 * volumes become PersistentVolumeClaims, anonymous volumes and tmpfs emptyDirs
 * (tmpfs in memory), configs and secrets ConfigMaps and Secrets mounted at
 * their targets. A claim, ConfigMap or Secret is created by the first service
 * that mounts it and only mounted by the others; external ones are only
 * mounted. Bind mounts are refused: a pod cannot mount a folder of the user's
 * machine.
 */
import { didYouMean, error, warning, type Span } from '../../source/index.js';
import type { DocPath, JsonObject } from '../model.js';
import { dns1123LabelProblem, suggestLabel } from '../names.js';
import { describe, type LEntry, type LNode } from '../yaml-tree.js';
import type { ServiceConversion } from './conversion.js';

type Storage = { pvc: JsonObject[]; emptyDir: JsonObject[]; configMap: JsonObject[]; secret: JsonObject[] };

export function convertStorage(c: ServiceConversion): void {
  const storage: Storage = { pvc: [], emptyDir: [], configMap: [], secret: [] };
  const from: DocPath[] = [];
  const volumes = c.get('volumes');
  if (volumes && readVolumes(volumes, c, storage)) from.push([...c.base, 'volumes']);
  const tmpfs = c.get('tmpfs');
  if (tmpfs && readTmpfs(tmpfs, c, storage)) from.push([...c.base, 'tmpfs']);
  for (const key of ['configs', 'secrets'] as const) {
    const e = c.get(key);
    if (e && readMounts(e, key, c, storage)) from.push([...c.base, key]);
  }
  const properties: JsonObject = {};
  for (const k of ['pvc', 'configMap', 'secret', 'emptyDir'] as const) if (storage[k].length) properties[k] = storage[k];
  // The trait points at the first key that contributed to it.
  if (Object.keys(properties).length) c.trait('storage', properties, from[0]!, c.get(String(from[0]!.at(-1)))!.keySpan);
}

/** A DNS-1123 name for a generated object (`<app>-<volume>`), at most `max` characters. */
function objectName(parts: string[], max = 63): string {
  const raw = parts.join('-');
  const s = dns1123LabelProblem(raw) ? (suggestLabel(raw) ?? 'volume') : raw;
  return s.length > max ? s.slice(0, max).replace(/-+$/, '') : s;
}

function readVolumes(e: LEntry, c: ServiceConversion, storage: Storage): boolean {
  const { ctx, name } = c;
  const bad = (msg: string, span: Span, hint?: string) => ctx.diags.push(error(msg, span, { path: `services.${name}.volumes`, code: 'compose/volume', ...(hint ? { hint } : {}) }));
  const warn = (msg: string, span: Span) => ctx.diags.push(warning(msg, span, { path: `services.${name}.volumes`, code: 'compose/ignored' }));
  if (e.value.kind !== 'seq') {
    bad(`volumes must be a list (got ${describe(e.value)})`, e.value.span, 'for example `volumes: ["data:/var/lib/data"]`');
    return false;
  }
  const before = storage.pvc.length + storage.emptyDir.length;
  for (const it of e.value.items) {
    let type: string;
    let source: string | undefined;
    let target: string | undefined;
    let readOnly = false;
    let subPath: string | undefined;
    if (it.kind === 'scalar' && typeof it.value === 'string') {
      const parts = splitVolume(it.value);
      if (parts.length === 1) {
        type = 'volume';
        target = parts[0];
      } else {
        source = parts[0]!;
        target = parts[1];
        readOnly = (parts[2] ?? '').split(',').includes('ro');
        type = /^[./~]/.test(source) || /^[A-Za-z]:[\\/]/.test(source) ? 'bind' : 'volume';
      }
    } else if (it.kind === 'map') {
      const g = (k: string) => it.entries.find((x) => x.key === k)?.value;
      const s = (n: LNode | undefined) => (n?.kind === 'scalar' && n.value !== null ? String(n.value) : undefined);
      type = s(g('type')) ?? 'volume';
      source = s(g('source'));
      target = s(g('target'));
      readOnly = g('read_only')?.kind === 'scalar' && (g('read_only') as { value: unknown }).value === true;
      const vopts = g('volume');
      if (vopts?.kind === 'map') subPath = s(vopts.entries.find((x) => x.key === 'subpath')?.value);
      for (const x of it.entries) {
        if (x.key === 'bind' || x.key === 'consistency' || (x.key === 'volume' && !subPath) || x.key === 'image') warn(`volumes.${x.key} has no Kubernetes meaning here; ignored`, x.keySpan);
      }
    } else {
      bad(`invalid volume entry (got ${describe(it)})`, it.span, 'write "NAME:/path" or {type: volume, source: NAME, target: /path}');
      continue;
    }
    if (!target || !target.startsWith('/')) {
      bad(`invalid volume entry: the target must be an absolute path in the container`, it.span, 'write "NAME:/path"');
      continue;
    }
    if (type === 'bind') {
      bad(`bind mounts are not supported: a pod cannot mount a folder of your machine (${source ?? '?'})`, it.span, `use a named volume ("data:${target}" with \`volumes: {data: {}}\` at the top level), or, for configuration files, a \`configs:\` entry (a ConfigMap)`);
      continue;
    }
    if (type === 'tmpfs') {
      storage.emptyDir.push({ name: objectName(['tmpfs', ...target.split('/').filter(Boolean)]), mountPath: target, medium: 'Memory' });
      continue;
    }
    if (type !== 'volume') {
      bad(`volume type "${type}" is not supported`, it.span, 'use a named volume (type: volume) or tmpfs');
      continue;
    }
    if (source === undefined || source === '') {
      // An anonymous volume lives and dies with the container: an emptyDir.
      storage.emptyDir.push({ name: objectName(['anon', ...target.split('/').filter(Boolean)]), mountPath: target });
      continue;
    }
    const decl = ctx.top.volumes.get(source);
    if (!decl) {
      bad(`service "${name}" refers to undefined volume "${source}"`, it.span, didYouMean(source, [...ctx.top.volumes.keys()]) ?? `declare it at the top level: \`volumes: {${source}: {}}\``);
      continue;
    }
    // "pvc-" + the claim name must stay a 63-character volume name.
    const claim = objectName(decl.external || decl.explicitName ? [decl.explicitName ?? decl.name] : [ctx.app, decl.name], 59);
    const first = ctx.claimUsers.get(`pvc/${claim}`);
    if (first && first !== name) {
      ctx.diags.push(
        warning(`volume "${source}" is shared with service "${first}": a ReadWriteOnce claim can be mounted by pods of one node only`, it.span, {
          path: `services.${name}.volumes`,
          code: 'compose/shared-volume',
          hint: 'use a storage class with ReadWriteMany, or keep the data with one service',
        }),
      );
    }
    if (readOnly) warn('read-only mounts of a claim are mounted read-write (the storage trait has no readOnly for claims)', it.span);
    if (storage.pvc.some((p) => p.name === claim)) {
      bad(`volume "${source}" is mounted twice in this service`, it.span, 'mount one folder of it with `volume: {subpath: ...}` in the long syntax');
      continue;
    }
    const mountOnly = decl.external || (first !== undefined && first !== name);
    if (!first) ctx.claimUsers.set(`pvc/${claim}`, name);
    storage.pvc.push({ name: claim, mountPath: target, ...(subPath ? { subPath } : {}), ...(mountOnly ? { mountOnly: true } : {}) });
  }
  return storage.pvc.length + storage.emptyDir.length > before;
}

/** `src:target:mode`, where src may be a Windows path with a drive letter. */
function splitVolume(s: string): string[] {
  const m = /^([A-Za-z]:[\\/][^:]*)(?::(.*))?$/.exec(s);
  if (m) return [m[1]!, ...(m[2] ? m[2].split(':') : [])];
  return s.split(':');
}

function readTmpfs(e: LEntry, c: ServiceConversion, storage: Storage): boolean {
  const { ctx, name } = c;
  const items = e.value.kind === 'seq' ? e.value.items : [e.value];
  let added = false;
  for (const it of items) {
    const p = it.kind === 'scalar' && typeof it.value === 'string' ? it.value.split(':')[0]! : '';
    if (!p.startsWith('/')) {
      ctx.diags.push(error(`tmpfs must be an absolute path (got ${describe(it)})`, it.span, { path: `services.${name}.tmpfs`, code: 'compose/volume' }));
      continue;
    }
    storage.emptyDir.push({ name: objectName(['tmpfs', ...p.split('/').filter(Boolean)]), mountPath: p, medium: 'Memory' });
    added = true;
  }
  return added;
}

function readMounts(e: LEntry, key: 'configs' | 'secrets', c: ServiceConversion, storage: Storage): boolean {
  const { ctx, name } = c;
  const what = key === 'configs' ? 'config' : 'secret';
  const decls = key === 'configs' ? ctx.top.configs : ctx.top.secrets;
  const bad = (msg: string, span: Span, hint?: string) => ctx.diags.push(error(msg, span, { path: `services.${name}.${key}`, code: 'compose/config', ...(hint ? { hint } : {}) }));
  if (e.value.kind !== 'seq') {
    bad(`${key} must be a list (got ${describe(e.value)})`, e.value.span);
    return false;
  }
  const list = key === 'configs' ? storage.configMap : storage.secret;
  const before = list.length;
  for (const it of e.value.items) {
    let source: string | undefined;
    let target: string | undefined;
    let mode: number | undefined;
    if (it.kind === 'scalar' && typeof it.value === 'string') source = it.value;
    else if (it.kind === 'map') {
      for (const x of it.entries) {
        const v = x.value;
        if (x.key === 'source' && v.kind === 'scalar') source = String(v.value);
        else if (x.key === 'target' && v.kind === 'scalar') target = String(v.value);
        else if (x.key === 'mode' && v.kind === 'scalar' && typeof v.value === 'number') mode = octalMode(v.value, v.span);
        else if (x.key === 'uid' || x.key === 'gid') ctx.diags.push(warning(`${key}.${x.key} has no Kubernetes meaning here; ignored`, x.keySpan, { path: `services.${name}.${key}`, code: 'compose/ignored', hint: 'use the securitycontext trait (fsGroup) in the Appfile' }));
        else bad(`unknown key "${x.key}" in a ${what} reference`, x.keySpan, 'allowed: source, target, uid, gid, mode');
      }
    }
    if (!source) {
      bad(`invalid ${what} reference (got ${describe(it)})`, it.span, `write the ${what}'s name, or {source: NAME, target: PATH}`);
      continue;
    }
    const decl = decls.get(source);
    if (!decl) {
      bad(`service "${name}" refers to undefined ${what} "${source}"`, it.span, didYouMean(source, [...decls.keys()]) ?? `declare it at the top level: \`${key}: {${source}: {file: ./${source}}}\``);
      continue;
    }
    const mountPath = target === undefined ? (key === 'configs' ? `/${source}` : `/run/secrets/${source}`) : target.startsWith('/') ? target : key === 'secrets' ? `/run/secrets/${target}` : `/${target}`;
    // "configmap-" + the name must stay a 63-character volume name.
    const objName = objectName(decl.external || decl.explicitName ? [decl.explicitName ?? decl.name] : [ctx.app, decl.name], 53);
    const fileKey = (decl.fileName ?? decl.name).replace(/[^-._a-zA-Z0-9]/g, '-');
    const first = ctx.claimUsers.get(`${what}/${objName}`);
    const mountOnly = decl.external || (first !== undefined && first !== name);
    if (!first) ctx.claimUsers.set(`${what}/${objName}`, name);
    const entry: JsonObject = { name: objName, mountPath, subPath: fileKey, ...(mode !== undefined ? { defaultMode: mode } : {}) };
    if (mountOnly) entry.mountOnly = true;
    else if (decl.content !== undefined) entry[key === 'configs' ? 'data' : 'stringData'] = { [fileKey]: decl.content };
    if (decl.external) {
      // An external object's key is unknown: mount the whole object at the target folder instead of one file.
      delete entry.subPath;
    }
    if (list.some((x) => x.name === objName)) {
      bad(`${what} "${source}" is mounted twice in this service`, it.span);
      continue;
    }
    list.push(entry);
  }
  return list.length > before;
}

/** Compose modes are octal (0440); YAML 1.2 reads `0440` as the decimal 440. Kubernetes wants the decimal value of the octal. */
function octalMode(v: number, at: Span): number {
  const raw = at.file.text.slice(at.start, at.end).trim();
  if (/^0o?[0-7]+$/.test(raw)) return parseInt(raw.replace(/^0o?/, ''), 8);
  return v;
}
