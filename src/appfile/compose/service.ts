/**
 * One compose service → a ServiceModel: the component type (webservice with
 * ports, worker without, task for a one-off job, daemon for `deploy.mode:
 * global`), its parameters and its trait sections, each recorded in `Origins`
 * so that later errors point at the compose line they came from.
 */
import { posix } from 'node:path';
import type { Definition, Registry } from '../../capability/types.js';
import { didYouMean, error, SourceFile, warning, type Diagnostic, type Span } from '../../source/index.js';
import type { BuildSpec, DocPath, JsonObject, JsonValue, ServiceModel, TraitSection } from '../model.js';
import { dns1123LabelProblem, suggestLabel } from '../names.js';
import { applies } from '../service.js';
import { validateAgainstSchema } from '../validate-schema.js';
import { describe, type LEntry, type LNode } from '../yaml-tree.js';
import { parseDotenv } from './dotenv.js';
import type { Lookup } from './interpolate.js';
import { allServiceKeys, buildKeys, deployKeys, healthcheckKeys, ignoredServiceKeys, refusedServiceKeys } from './keys.js';
import type { Origins } from './origins.js';
import type { NamedResource } from './parse-compose.js';
import { readPort, type ContainerPort } from './ports.js';
import { cpuQuantity, durationSeconds, memoryQuantity, probeSeconds } from './units.js';

export interface TopLevel {
  readonly volumes: Map<string, NamedResource>;
  readonly configs: Map<string, NamedResource>;
  readonly secrets: Map<string, NamedResource>;
}

export type FileSource = (path: string) => string | undefined;

export interface ServiceContext {
  readonly app: string;
  readonly dir: string;
  readonly registry: Registry;
  readonly top: TopLevel;
  readonly origins: Origins;
  readonly lookup: Lookup;
  readonly files: FileSource;
  readonly serviceNames: ReadonlySet<string>;
  readonly disabledNames: ReadonlySet<string>;
  /** Claims, ConfigMaps and Secrets already created by an earlier service → that service (later ones only mount them). */
  readonly claimUsers: Map<string, string>;
  readonly diags: Diagnostic[];
}

export interface ConvertedService {
  readonly model: ServiceModel;
  readonly deps: { name: string; span: Span }[];
  readonly hasPorts: boolean;
  readonly image?: string;
}

type Storage = { pvc: JsonObject[]; emptyDir: JsonObject[]; configMap: JsonObject[]; secret: JsonObject[] };

export function convertService(se: LEntry, ctx: ServiceContext): ConvertedService | undefined {
  const { diags, origins } = ctx;
  const name = se.key;
  const base: DocPath = ['services', name];
  if (se.value.kind !== 'map') {
    diags.push(error(`a service must be a map of its settings (got ${describe(se.value)})`, se.value.span, { path: `services.${name}`, code: 'compose/service', hint: `for example \`${name}: {image: nginx:1.27}\`` }));
    return undefined;
  }
  const body = se.value;
  origins.add(base, base);
  const get = (k: string) => body.entries.find((e) => e.key === k);
  const err = (msg: string, span: Span, code: string, hint?: string) => diags.push(error(msg, span, { path: `services.${name}`, code, ...(hint ? { hint } : {}) }));
  const warn = (msg: string, span: Span, hint?: string) => diags.push(warning(msg, span, { path: `services.${name}`, code: 'compose/ignored', ...(hint ? { hint } : {}) }));
  const str = (n: LNode, what: string): string | undefined => {
    if (n.kind === 'scalar' && (typeof n.value === 'string' || typeof n.value === 'number')) return String(n.value);
    err(`${what} must be a string (got ${describe(n)})`, n.span, 'compose/shape');
    return undefined;
  };

  // Unknown and ignored keys first: warnings at their positions, in file order.
  for (const e of body.entries) {
    if (e.key.startsWith('x-')) continue;
    if (e.key in refusedServiceKeys) err(`\`${e.key}\` is not supported`, e.keySpan, 'compose/unsupported', refusedServiceKeys[e.key]);
    else if (e.key in ignoredServiceKeys) warn(`${e.key} has no Kubernetes meaning here; ignored`, e.keySpan, ignoredServiceKeys[e.key] || undefined);
    else if (!allServiceKeys.includes(e.key)) {
      err(`unknown key "${e.key}" in service "${name}"`, e.keySpan, 'compose/unknown-key', didYouMean(e.key, allServiceKeys) ?? 'see the Compose Specification for the keys of a service');
    }
  }

  // Ports decide the type.
  const ports: { port: ContainerPort; path: DocPath; expose: boolean }[] = [];
  for (const key of ['ports', 'expose'] as const) {
    const e = get(key);
    if (!e) continue;
    if (e.value.kind !== 'seq') {
      if (!(e.value.kind === 'scalar' && e.value.value === null)) err(`${key} must be a list (got ${describe(e.value)})`, e.value.span, 'compose/port', key === 'ports' ? 'for example `ports: ["8080:80"]`' : 'for example `expose: ["3000"]`');
      continue;
    }
    e.value.items.forEach((it, i) => {
      for (const p of readPort(it, diags, key)) ports.push({ port: p, path: [...base, key, i], expose: true });
    });
  }

  const deploy = get('deploy');
  const deployMap = deploy?.value.kind === 'map' ? deploy.value : undefined;
  if (deploy && !deployMap && !(deploy.value.kind === 'scalar' && deploy.value.value === null)) err(`deploy must be a map (got ${describe(deploy.value)})`, deploy.value.span, 'compose/shape');
  const dget = (k: string) => deployMap?.entries.find((e) => e.key === k);

  // restart: "no" / "on-failure" without ports is a batch job (a Job); anything else runs for good.
  const restart = readRestart(get('restart'), dget('restart_policy'), ctx, name);
  const global = (() => {
    const m = dget('mode');
    if (!m) return false;
    const v = m.value.kind === 'scalar' ? m.value.value : undefined;
    if (v === 'global') return true;
    if (v !== 'replicated' && v !== 'replicated-job' && v !== 'global-job') err(`deploy.mode must be replicated or global (got ${describe(m.value)})`, m.value.span, 'compose/shape');
    return false;
  })();
  let type = ports.length > 0 ? 'webservice' : 'worker';
  if (global) type = 'daemon';
  else if (restart.job && ports.length === 0) type = 'task';
  else if (restart.job && restart.span) warn(`restart: ${restart.text} with ports: a service with ports runs as a Deployment, which always restarts its containers`, restart.span);
  const component = ctx.registry.component(type);
  if (!component) {
    err(`the component type "${type}" this service needs is not defined`, se.keySpan, 'compose/unknown-type', 'vela ships webservice, worker, task and daemon; check --definitions');
    return undefined;
  }
  const declared = new Set(Object.keys(component.schema.properties ?? {}));

  const params: JsonObject = {};
  const traits: TraitSection[] = [];
  const setParam = (key: string, value: JsonValue, from: DocPath, at: Span) => {
    if (!declared.has(key)) {
      warn(`component type "${type}" has no parameter "${key}"; ignored`, at);
      return;
    }
    params[key] = value;
    origins.add([...base, key], from);
  };
  const addTrait = (traitName: string, properties: JsonObject, from: DocPath, at: Span) => {
    const t = ctx.registry.trait(traitName);
    if (!t || !applies(t, component)) {
      warn(`the ${traitName} trait ${t ? `does not apply to component type "${type}"` : 'is not defined'}; ignored`, at);
      return;
    }
    const path: DocPath = [...base, traitName];
    origins.add(path, from);
    traits.push({ name: traitName, properties, span: at, path });
  };

  // image and build
  let image: string | undefined;
  const imageEntry = get('image');
  if (imageEntry) image = str(imageEntry.value, 'image');
  let build: BuildSpec | undefined;
  const buildEntry = get('build');
  if (buildEntry) build = readBuild(buildEntry, ctx, name);
  if (image === undefined && buildEntry && build) {
    image = `${ctx.app}-${name}`;
    warn(`no image name for the build: the image is called "${image}"`, buildEntry.keySpan, 'add `image: REGISTRY/NAME` with a registry the cluster can pull from');
  }
  if (image === undefined && !buildEntry && !imageEntry) err(`service "${name}" has neither image nor build`, se.keySpan, 'compose/no-image', `add for example \`image: nginx:1.27\``);
  if (image !== undefined) setParam('image', image, imageEntry ? [...base, 'image'] : [...base, 'build'], (imageEntry ?? buildEntry)!.keySpan);

  // entrypoint → cmd, command → args (as Kubernetes: command replaces ENTRYPOINT, args replace CMD)
  for (const [key, param] of [['entrypoint', 'cmd'], ['command', 'args']] as const) {
    const e = get(key);
    if (!e) continue;
    const words = readWords(e.value, key, ctx, name);
    if (words) setParam(param, words, [...base, key], e.keySpan);
  }

  // environment (env_file first, environment wins)
  const env = readEnvironment(get('env_file'), get('environment'), ctx, name);
  if (env.length) {
    setParam(
      'env',
      env.map((v) => ({ name: v.name, value: v.value })),
      [...base, env[0]!.from],
      get(env[0]!.from)!.keySpan,
    );
    env.forEach((v, i) => origins.add([...base, 'env', i], v.path));
  }

  // ports
  if (ports.length && declared.has('ports')) {
    const seen = new Map<string, Span>();
    const list: JsonObject[] = [];
    for (const p of ports) {
      const k = `${p.port.port}/${p.port.protocol}`;
      if (seen.has(k)) continue; // "80:80" and "8080:80" are one container port
      seen.set(k, p.port.span);
      origins.add([...base, 'ports', list.length], p.path);
      list.push({ port: p.port.port, ...(p.port.protocol !== 'TCP' ? { protocol: p.port.protocol } : {}), expose: p.expose, ...(p.port.name ? { name: p.port.name } : {}) });
    }
    params.ports = list;
    origins.add([...base, 'ports'], [...base, get('ports') ? 'ports' : 'expose']);
  } else if (ports.length) warn(`component type "${type}" has no ports; ignored`, (get('ports') ?? get('expose'))!.keySpan);

  // healthcheck → readiness and liveness probes
  const hc = get('healthcheck');
  if (hc) {
    const probe = readHealthcheck(hc, ctx, name);
    if (probe) {
      setParam('readinessProbe', probe, [...base, 'healthcheck'], hc.keySpan);
      setParam('livenessProbe', probe, [...base, 'healthcheck'], hc.keySpan);
    }
  }

  // pull_policy
  const pp = get('pull_policy');
  if (pp) {
    const v = pp.value.kind === 'scalar' ? String(pp.value.value) : '';
    const policy = ({ always: 'Always', never: 'Never', missing: 'IfNotPresent', if_not_present: 'IfNotPresent' } as Record<string, string>)[v];
    if (policy) setParam('imagePullPolicy', policy, [...base, 'pull_policy'], pp.keySpan);
    else warn(`pull_policy ${describe(pp.value)} has no Kubernetes equivalent; ignored`, pp.value.span, 'Kubernetes pulls Always, Never or IfNotPresent');
  }

  // extra_hosts → hostAliases
  const eh = get('extra_hosts');
  if (eh) {
    const aliases = readExtraHosts(eh, ctx, name);
    if (aliases.length) setParam('hostAliases', aliases, [...base, 'extra_hosts'], eh.keySpan);
  }

  // deploy.resources and the older cpus / mem_limit / mem_reservation
  readResources(dget('resources'), get('cpus'), get('mem_limit'), get('mem_reservation'), ctx, name, setParam, declared);

  // replicas: deploy.replicas or scale → scaler (a task's count; not for a daemon)
  const replicasEntry = dget('replicas') ?? get('scale');
  if (replicasEntry) {
    const v = replicasEntry.value;
    const from: DocPath = dget('replicas') ? [...base, 'deploy', 'replicas'] : [...base, 'scale'];
    if (!(v.kind === 'scalar' && typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= 0)) {
      err(`replicas must be a whole number (got ${describe(v)})`, v.span, 'compose/shape');
    } else if (type === 'daemon') warn('replicas has no meaning with deploy.mode: global (one pod per node); ignored', replicasEntry.keySpan);
    else if (type === 'task') setParam('count', v.value, from, replicasEntry.keySpan);
    else addTrait('scaler', { replicas: v.value }, from, replicasEntry.keySpan);
  }
  if (type === 'task' && restart.params) for (const [k, v] of Object.entries(restart.params)) setParam(k, v, [...base, restart.from ?? 'restart'], restart.span ?? se.keySpan);

  for (const e of deployMap?.entries ?? []) {
    if (['mode', 'replicas', 'resources', 'restart_policy'].includes(e.key) || e.key.startsWith('x-')) continue;
    if ((deployKeys as readonly string[]).includes(e.key)) {
      const hint = e.key === 'labels' ? 'deploy.labels label the swarm service; use the service `labels` for Kubernetes labels' : e.key === 'placement' ? 'use the affinity trait in the Appfile' : e.key === 'update_config' ? 'Deployments roll out gradually by default' : undefined;
      warn(`deploy.${e.key} has no Kubernetes meaning here; ignored`, e.keySpan, hint);
    } else err(`unknown key "${e.key}" in deploy`, e.keySpan, 'compose/unknown-key', didYouMean(e.key, deployKeys) ?? `allowed: ${deployKeys.join(', ')}`);
  }

  // volumes, tmpfs, configs, secrets → the storage trait
  const storage: Storage = { pvc: [], emptyDir: [], configMap: [], secret: [] };
  const storageFrom: DocPath[] = [];
  const vol = get('volumes');
  if (vol) readVolumes(vol, ctx, name, storage) && storageFrom.push([...base, 'volumes']);
  const tmpfs = get('tmpfs');
  if (tmpfs) readTmpfs(tmpfs, ctx, name, storage) && storageFrom.push([...base, 'tmpfs']);
  for (const key of ['configs', 'secrets'] as const) {
    const e = get(key);
    if (e) readMounts(e, key, ctx, name, storage) && storageFrom.push([...base, key]);
  }
  const storageProps: JsonObject = {};
  for (const k of ['pvc', 'configMap', 'secret', 'emptyDir'] as const) if (storage[k].length) storageProps[k] = storage[k];
  if (Object.keys(storageProps).length) addTrait('storage', storageProps, storageFrom[0]!, get(String(storageFrom[0]!.at(-1)))!.keySpan);

  // labels and annotations
  readLabels(get('labels'), get('annotations'), ctx, name, addTrait);

  // depends_on
  const deps = readDependsOn(get('depends_on'), ctx, name);

  // Validate like an Appfile: every problem points into the compose file.
  const loc = { locate: origins.locate, locateKey: origins.locateKey };
  const found = validateAgainstSchema(params, component.schema, { ...loc, basePath: base });
  // A missing image is reported once, as "neither image nor build".
  diags.push(...(image === undefined ? found.filter((d) => d.message !== 'missing required parameter "image"') : found));
  for (const t of traits) {
    const def = ctx.registry.trait(t.name) as Definition;
    diags.push(...validateAgainstSchema(t.properties, def.schema, { ...loc, basePath: t.path }));
  }

  const model: ServiceModel = {
    name,
    span: se.keySpan,
    type,
    ...(image !== undefined ? { image } : {}),
    ...(build ? { build } : {}),
    dependsOn: deps.map((d) => d.name),
    params,
    traits,
  };
  return { model, deps, hasPorts: ports.length > 0, ...(image !== undefined ? { image } : {}) };
}

function readRestart(
  e: LEntry | undefined,
  policy: LEntry | undefined,
  ctx: ServiceContext,
  name: string,
): { job: boolean; text?: string; span?: Span; params?: JsonObject; from?: string } {
  if (e) {
    const v = e.value.kind === 'scalar' ? String(e.value.value) : '';
    // YAML 1.1 reads an unquoted `no` as false; docker compose means "no".
    if (v === 'no' || v === 'false') return { job: true, text: '"no"', span: e.keySpan, params: { restart: 'Never', backoffLimit: 0 } };
    const m = /^on-failure(?::(\d+))?$/.exec(v);
    if (m) return { job: true, text: v, span: e.keySpan, params: { restart: 'OnFailure', ...(m[1] ? { backoffLimit: Number(m[1]) } : {}) } };
    if (v === 'always' || v === 'unless-stopped') return { job: false };
    ctx.diags.push(error(`restart must be "no", always, on-failure[:N] or unless-stopped (got ${describe(e.value)})`, e.value.span, { path: `services.${name}`, code: 'compose/shape' }));
    return { job: false };
  }
  if (policy && policy.value.kind === 'map') {
    const c = policy.value.entries.find((x) => x.key === 'condition');
    const max = policy.value.entries.find((x) => x.key === 'max_attempts');
    const cv = c?.value.kind === 'scalar' ? String(c.value.value) : undefined;
    for (const x of policy.value.entries) {
      if (x.key !== 'condition' && x.key !== 'max_attempts') ctx.diags.push(warning(`deploy.restart_policy.${x.key} has no Kubernetes meaning here; ignored`, x.keySpan, { path: `services.${name}`, code: 'compose/ignored' }));
    }
    if (cv === 'none') return { job: true, text: 'condition none', span: policy.keySpan, params: { restart: 'Never', backoffLimit: 0 }, from: 'deploy' };
    if (cv === 'on-failure') {
      const n = max?.value.kind === 'scalar' && typeof max.value.value === 'number' ? max.value.value : undefined;
      return { job: true, text: 'condition on-failure', span: policy.keySpan, params: { restart: 'OnFailure', ...(n !== undefined ? { backoffLimit: n } : {}) }, from: 'deploy' };
    }
  }
  return { job: false };
}

function readBuild(e: LEntry, ctx: ServiceContext, name: string): BuildSpec | undefined {
  const before = ctx.diags.filter((d) => d.severity === 'error').length;
  const bad = (msg: string, span: Span, hint?: string) => ctx.diags.push(error(msg, span, { path: `services.${name}.build`, code: 'compose/build', ...(hint ? { hint } : {}) }));
  let context = '.';
  let dockerfile = 'Dockerfile';
  let target: string | undefined;
  const args: Record<string, string> = {};
  const v = e.value;
  const setContext = (n: LNode) => {
    if (n.kind === 'scalar' && typeof n.value === 'string' && n.value !== '') {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(n.value) || n.value.startsWith('git@')) bad('a remote build context is not supported', n.span, 'clone the repository and give a local folder');
      else context = n.value;
    } else bad(`context must be a folder (got ${describe(n)})`, n.span);
  };
  if (v.kind === 'scalar') setContext(v);
  else if (v.kind === 'map') {
    for (const b of v.entries) {
      switch (b.key) {
        case 'context':
          setContext(b.value);
          break;
        case 'dockerfile':
          if (b.value.kind === 'scalar' && typeof b.value.value === 'string' && b.value.value !== '') dockerfile = b.value.value;
          else bad(`dockerfile must be a file name (got ${describe(b.value)})`, b.value.span);
          break;
        case 'target':
          if (b.value.kind === 'scalar' && typeof b.value.value === 'string') target = b.value.value;
          else bad(`target must be a stage name (got ${describe(b.value)})`, b.value.span);
          break;
        case 'args':
          readArgs(b.value, args, ctx, bad);
          break;
        case 'dockerfile_inline':
          bad('dockerfile_inline is not supported', b.keySpan, 'write the Dockerfile to a file and give `dockerfile: NAME`');
          break;
        default:
          if (b.key.startsWith('x-')) break;
          if ((buildKeys as readonly string[]).includes(b.key)) ctx.diags.push(warning(`build.${b.key} is not supported by vela's builder; ignored`, b.keySpan, { path: `services.${name}.build`, code: 'compose/ignored' }));
          else bad(`unknown key "${b.key}" in build`, b.keySpan, didYouMean(b.key, buildKeys) ?? 'a build has context, dockerfile, args and target');
      }
    }
  } else bad(`build must be a folder or a map (got ${describe(v)})`, v.span);
  if (ctx.diags.filter((d) => d.severity === 'error').length > before) return undefined;
  return { span: e.keySpan, context: posix.normalize(context.replaceAll('\\', '/')), dockerfile, args, ...(target ? { target } : {}) };
}

function readArgs(n: LNode, args: Record<string, string>, ctx: ServiceContext, bad: (msg: string, span: Span, hint?: string) => void): void {
  const fromEnv = (k: string, at: Span) => {
    const v = ctx.lookup(k);
    if (v === undefined) ctx.diags.push(warning(`build arg ${k} has no value and is not set in the environment; left out`, at, { code: 'compose/ignored' }));
    else args[k] = v;
  };
  if (n.kind === 'map') {
    for (const e of n.entries) {
      if (e.value.kind !== 'scalar') bad(`build arg ${e.key} must be a string (got ${describe(e.value)})`, e.value.span);
      else if (e.value.value === null) fromEnv(e.key, e.keySpan);
      else args[e.key] = String(e.value.value);
    }
  } else if (n.kind === 'seq') {
    for (const it of n.items) {
      if (it.kind !== 'scalar' || typeof it.value !== 'string') bad(`a build arg must be KEY=VALUE (got ${describe(it)})`, it.span);
      else {
        const eq = it.value.indexOf('=');
        if (eq < 0) fromEnv(it.value, it.span);
        else args[it.value.slice(0, eq)] = it.value.slice(eq + 1);
      }
    }
  } else if (n.value !== null) bad(`args must be a map or a list (got ${describe(n)})`, n.span);
}

/** `command`/`entrypoint`: a list, or a string split as a shell would (quotes, backslashes). */
function readWords(n: LNode, key: string, ctx: ServiceContext, name: string): string[] | undefined {
  if (n.kind === 'seq') {
    const out: string[] = [];
    for (const it of n.items) {
      if (it.kind === 'scalar' && it.value !== null && typeof it.value !== 'object') out.push(String(it.value));
      else {
        ctx.diags.push(error(`${key} items must be strings (got ${describe(it)})`, it.span, { path: `services.${name}.${key}`, code: 'compose/shape' }));
        return undefined;
      }
    }
    return out;
  }
  if (n.kind === 'scalar' && n.value === null) return undefined;
  if (n.kind === 'scalar') {
    const words = shellSplit(String(n.value));
    if (words === undefined) {
      ctx.diags.push(error(`${key} has an unterminated quote`, n.span, { path: `services.${name}.${key}`, code: 'compose/shape', hint: 'write it as a list, e.g. ["sh", "-c", "..."]' }));
      return undefined;
    }
    return words;
  }
  ctx.diags.push(error(`${key} must be a string or a list (got ${describe(n)})`, n.span, { path: `services.${name}.${key}`, code: 'compose/shape' }));
  return undefined;
}

export function shellSplit(s: string): string[] | undefined {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let q: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === q) q = undefined;
      else if (c === '\\' && q === '"' && i + 1 < s.length && '"\\$`'.includes(s[i + 1]!)) cur += s[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      q = c;
      has = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (q) return undefined;
  if (has) out.push(cur);
  return out;
}

interface EnvVar {
  name: string;
  value: string;
  from: 'environment' | 'env_file';
  path: DocPath;
}

function readEnvironment(envFile: LEntry | undefined, environment: LEntry | undefined, ctx: ServiceContext, name: string): EnvVar[] {
  const base: DocPath = ['services', name];
  const vars = new Map<string, EnvVar>();
  const bad = (msg: string, span: Span, hint?: string) => ctx.diags.push(error(msg, span, { path: `services.${name}`, code: 'compose/environment', ...(hint ? { hint } : {}) }));
  const fromEnv = (k: string, at: Span, from: EnvVar['from'], path: DocPath) => {
    const v = ctx.lookup(k);
    if (v === undefined) ctx.diags.push(warning(`${k} has no value and is not set in the environment; left out`, at, { path: `services.${name}`, code: 'compose/unset-variable' }));
    else vars.set(k, { name: k, value: v, from, path });
  };
  if (envFile) {
    const items = envFile.value.kind === 'seq' ? envFile.value.items.map((it, i) => ({ it, path: [...base, 'env_file', i] as DocPath })) : [{ it: envFile.value, path: [...base, 'env_file'] as DocPath }];
    for (const { it, path } of items) {
      let p: string | undefined;
      let required = true;
      if (it.kind === 'scalar' && typeof it.value === 'string') p = it.value;
      else if (it.kind === 'map') {
        for (const x of it.entries) {
          if (x.key === 'path' && x.value.kind === 'scalar' && typeof x.value.value === 'string') p = x.value.value;
          else if (x.key === 'required') required = !(x.value.kind === 'scalar' && x.value.value === false);
          else if (x.key === 'format') ctx.diags.push(warning('env_file.format is ignored; the file is read as KEY=VALUE lines', x.keySpan, { code: 'compose/ignored' }));
        }
      }
      if (p === undefined) {
        bad(`env_file must be a path or {path, required} (got ${describe(it)})`, it.span);
        continue;
      }
      const text = ctx.files(p);
      if (text === undefined) {
        if (required) bad(`cannot read env file ${p}`, it.span, 'the path is relative to the compose file\'s folder; `{path: ..., required: false}` makes it optional');
        continue;
      }
      const parsed = parseDotenv(new SourceFile(posix.join(posix.dirname(it.span.file.name), p), text));
      ctx.diags.push(...parsed.diagnostics);
      for (const [k, v] of parsed.vars) {
        if (v === undefined) fromEnv(k, it.span, 'env_file', path);
        else vars.set(k, { name: k, value: v, from: 'env_file', path });
      }
    }
  }
  if (environment) {
    const v = environment.value;
    if (v.kind === 'map') {
      for (const e of v.entries) {
        const path: DocPath = [...base, 'environment', e.key];
        if (e.value.kind !== 'scalar') bad(`environment variable ${e.key} must be a string (got ${describe(e.value)})`, e.value.span);
        else if (e.value.value === null) fromEnv(e.key, e.keySpan, 'environment', path);
        else vars.set(e.key, { name: e.key, value: String(e.value.value), from: 'environment', path });
      }
    } else if (v.kind === 'seq') {
      v.items.forEach((it, i) => {
        const path: DocPath = [...base, 'environment', i];
        if (it.kind !== 'scalar' || typeof it.value !== 'string') return bad(`an environment entry must be KEY=VALUE (got ${describe(it)})`, it.span);
        const eq = it.value.indexOf('=');
        if (eq === 0) return bad(`invalid environment entry "${it.value}"`, it.span, 'write KEY=VALUE');
        if (eq < 0) fromEnv(it.value, it.span, 'environment', path);
        else vars.set(it.value.slice(0, eq), { name: it.value.slice(0, eq), value: it.value.slice(eq + 1), from: 'environment', path });
      });
    } else if (v.value !== null) bad(`environment must be a map or a list (got ${describe(v)})`, v.span, 'for example `environment: {LOG_LEVEL: debug}`');
  }
  return [...vars.values()];
}

function readHealthcheck(e: LEntry, ctx: ServiceContext, name: string): JsonObject | undefined {
  const bad = (msg: string, span: Span, hint?: string) => ctx.diags.push(error(msg, span, { path: `services.${name}.healthcheck`, code: 'compose/healthcheck', ...(hint ? { hint } : {}) }));
  if (e.value.kind !== 'map') {
    bad(`healthcheck must be a map (got ${describe(e.value)})`, e.value.span);
    return undefined;
  }
  let command: string[] | undefined;
  // Docker's defaults (interval 30s, timeout 30s, retries 3), not Kubernetes' (10s, 1s, 3).
  const probe: JsonObject = { periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 3 };
  let disabled = false;
  for (const x of e.value.entries) {
    const v = x.value;
    switch (x.key) {
      case 'test': {
        if (v.kind === 'scalar' && typeof v.value === 'string') command = ['/bin/sh', '-c', v.value];
        else if (v.kind === 'seq' && v.items.every((i) => i.kind === 'scalar' && typeof i.value === 'string')) {
          const words = v.items.map((i) => String((i as { value: string }).value));
          if (words[0] === 'NONE') disabled = true;
          else if (words[0] === 'CMD' && words.length > 1) command = words.slice(1);
          else if (words[0] === 'CMD-SHELL' && words.length === 2) command = ['/bin/sh', '-c', words[1]!];
          else bad(`test must start with CMD, CMD-SHELL or NONE (got ${describe(v)})`, v.span, 'for example ["CMD", "curl", "-f", "http://localhost"] or ["CMD-SHELL", "pg_isready -U postgres"]');
        } else bad(`test must be a string or a list (got ${describe(v)})`, v.span);
        break;
      }
      case 'interval':
      case 'timeout':
      case 'start_period': {
        const secs = v.kind === 'scalar' && (typeof v.value === 'string' || typeof v.value === 'number') ? durationSeconds(v.value) : undefined;
        if (secs === undefined) {
          bad(`${x.key} must be a duration like 10s or 1m30s (got ${describe(v)})`, v.span);
          break;
        }
        if (x.key === 'interval') probe.periodSeconds = probeSeconds(secs, 1);
        else if (x.key === 'timeout') probe.timeoutSeconds = probeSeconds(secs, 1);
        else probe.initialDelaySeconds = probeSeconds(secs, 0);
        break;
      }
      case 'retries':
        if (v.kind === 'scalar' && typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= 1) probe.failureThreshold = v.value;
        else bad(`retries must be a whole number of at least 1 (got ${describe(v)})`, v.span);
        break;
      case 'disable':
        disabled = v.kind === 'scalar' && v.value === true;
        break;
      case 'start_interval':
        ctx.diags.push(warning('healthcheck.start_interval has no Kubernetes equivalent; ignored', x.keySpan, { path: `services.${name}.healthcheck`, code: 'compose/ignored' }));
        break;
      default:
        bad(`unknown key "${x.key}" in healthcheck`, x.keySpan, didYouMean(x.key, healthcheckKeys) ?? `allowed: ${healthcheckKeys.join(', ')}`);
    }
  }
  if (disabled) return undefined;
  if (!command) {
    // A healthcheck without `test` tunes the image's HEALTHCHECK, which Kubernetes does not run.
    if (e.value.entries.some((x) => x.key === 'test')) return undefined; // a bad `test` has its own error
    ctx.diags.push(warning('a healthcheck without `test` relies on the image\'s HEALTHCHECK, which Kubernetes ignores; no probe', e.keySpan, { path: `services.${name}`, code: 'compose/ignored' }));
    return undefined;
  }
  return { exec: { command }, ...probe };
}

function readExtraHosts(e: LEntry, ctx: ServiceContext, name: string): JsonObject[] {
  const byIp = new Map<string, string[]>();
  const add = (host: string, ip: string, at: Span) => {
    if (!host || !ip) {
      ctx.diags.push(error(`invalid extra_hosts entry`, at, { path: `services.${name}.extra_hosts`, code: 'compose/shape', hint: 'write "HOST:IP" or "HOST=IP"' }));
      return;
    }
    const ipClean = ip.replace(/^\[(.*)\]$/, '$1');
    byIp.set(ipClean, [...(byIp.get(ipClean) ?? []), host]);
  };
  const v = e.value;
  if (v.kind === 'seq') {
    for (const it of v.items) {
      const s = it.kind === 'scalar' ? String(it.value) : '';
      const m = /^([^:=]+)[:=](.+)$/.exec(s);
      add(m?.[1] ?? '', m?.[2] ?? '', it.span);
    }
  } else if (v.kind === 'map') {
    for (const x of v.entries) add(x.key, x.value.kind === 'scalar' ? String(x.value.value ?? '') : '', x.value.span);
  } else ctx.diags.push(error(`extra_hosts must be a list or a map (got ${describe(v)})`, v.span, { path: `services.${name}`, code: 'compose/shape' }));
  return [...byIp].map(([ip, hostnames]) => ({ ip, hostnames }));
}

function readResources(
  res: LEntry | undefined,
  cpus: LEntry | undefined,
  memLimit: LEntry | undefined,
  memReservation: LEntry | undefined,
  ctx: ServiceContext,
  name: string,
  setParam: (key: string, value: JsonValue, from: DocPath, at: Span) => void,
  declared: ReadonlySet<string>,
): void {
  const base: DocPath = ['services', name];
  const vals: { limits: { cpu?: [string, DocPath, Span]; memory?: [string, DocPath, Span] }; requests: { cpu?: [string, DocPath, Span]; memory?: [string, DocPath, Span] } } = { limits: {}, requests: {} };
  const read = (n: LNode, path: DocPath, at: Span, kind: 'cpu' | 'memory', into: 'limits' | 'requests') => {
    const raw = n.kind === 'scalar' && (typeof n.value === 'string' || typeof n.value === 'number') ? n.value : undefined;
    const q = raw === undefined ? undefined : kind === 'cpu' ? cpuQuantity(raw) : memoryQuantity(raw);
    if (q === undefined) {
      ctx.diags.push(error(`invalid ${kind === 'cpu' ? 'CPU count' : 'memory size'} ${describe(n)}`, n.span, { path: `services.${name}`, code: 'compose/resources', hint: kind === 'cpu' ? 'for example "0.5" or 2' : 'for example 512m or 1g' }));
      return;
    }
    vals[into][kind] = [q, path, at];
  };
  if (res) {
    if (res.value.kind !== 'map') ctx.diags.push(error(`deploy.resources must be a map (got ${describe(res.value)})`, res.value.span, { code: 'compose/shape' }));
    else {
      for (const side of res.value.entries) {
        const into = side.key === 'limits' ? 'limits' : side.key === 'reservations' ? 'requests' : undefined;
        if (!into) {
          ctx.diags.push(error(`unknown key "${side.key}" in deploy.resources`, side.keySpan, { path: `services.${name}`, code: 'compose/unknown-key', hint: 'allowed: limits, reservations' }));
          continue;
        }
        if (side.value.kind !== 'map') continue;
        for (const r of side.value.entries) {
          const path: DocPath = [...base, 'deploy', 'resources', side.key, r.key];
          if (r.key === 'cpus') read(r.value, path, r.keySpan, 'cpu', into);
          else if (r.key === 'memory') read(r.value, path, r.keySpan, 'memory', into);
          else ctx.diags.push(warning(`deploy.resources.${side.key}.${r.key} has no Kubernetes equivalent here; ignored`, r.keySpan, { path: `services.${name}`, code: 'compose/ignored' }));
        }
      }
    }
  }
  if (cpus && !vals.limits.cpu) read(cpus.value, [...base, 'cpus'], cpus.keySpan, 'cpu', 'limits');
  if (memLimit && !vals.limits.memory) read(memLimit.value, [...base, 'mem_limit'], memLimit.keySpan, 'memory', 'limits');
  if (memReservation && !vals.requests.memory) read(memReservation.value, [...base, 'mem_reservation'], memReservation.keySpan, 'memory', 'requests');
  const any = [vals.limits.cpu, vals.limits.memory, vals.requests.cpu, vals.requests.memory].find(Boolean);
  if (!any) return;
  if (!declared.has('cpu')) {
    ctx.diags.push(warning('this component type has no cpu and memory parameters; resources ignored', any[2], { path: `services.${name}`, code: 'compose/ignored' }));
    return;
  }
  // The components' cpu/memory are the request, and the limit too unless limit.* is set.
  const limit: JsonObject = {};
  for (const kind of ['cpu', 'memory'] as const) {
    const req = vals.requests[kind];
    const lim = vals.limits[kind];
    if (req) setParam(kind, req[0], req[1], req[2]);
    else if (lim) setParam(kind, lim[0], lim[1], lim[2]);
    if (req && lim && req[0] !== lim[0]) limit[kind] = lim[0];
  }
  if (Object.keys(limit).length) setParam('limit', limit, [...base, 'deploy', 'resources', 'limits'], (vals.limits.cpu ?? vals.limits.memory)![2]);
}

/** A DNS-1123 name for a generated object (`<app>-<volume>`), at most `max` characters. */
function objectName(parts: string[], max = 63): string {
  const raw = parts.join('-');
  const s = dns1123LabelProblem(raw) ? (suggestLabel(raw) ?? 'volume') : raw;
  return s.length > max ? s.slice(0, max).replace(/-+$/, '') : s;
}

function readVolumes(e: LEntry, ctx: ServiceContext, name: string, storage: Storage): boolean {
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

function readTmpfs(e: LEntry, ctx: ServiceContext, name: string, storage: Storage): boolean {
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

function readMounts(e: LEntry, key: 'configs' | 'secrets', ctx: ServiceContext, name: string, storage: Storage): boolean {
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

const labelKey = /^(([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

function readLabels(
  labels: LEntry | undefined,
  annotations: LEntry | undefined,
  ctx: ServiceContext,
  name: string,
  addTrait: (traitName: string, properties: JsonObject, from: DocPath, at: Span) => void,
): void {
  const read = (e: LEntry): [string, string, Span][] => {
    const v = e.value;
    if (v.kind === 'map') return v.entries.map((x): [string, string, Span] => [x.key, x.value.kind === 'scalar' ? String(x.value.value ?? '') : '', x.keySpan]);
    if (v.kind === 'seq') {
      return v.items.map((it): [string, string, Span] => {
        const s = it.kind === 'scalar' ? String(it.value) : '';
        const eq = s.indexOf('=');
        return eq < 0 ? [s, '', it.span] : [s.slice(0, eq), s.slice(eq + 1), it.span];
      });
    }
    ctx.diags.push(error(`${e.key} must be a map or a list of KEY=VALUE (got ${describe(v)})`, v.span, { path: `services.${name}`, code: 'compose/shape' }));
    return [];
  };
  const base: DocPath = ['services', name];
  const lab: JsonObject = {};
  const ann: JsonObject = {};
  if (labels) {
    for (const [k, v, at] of read(labels)) {
      if (labelKey.test(k) && k.length <= 317 && labelValue.test(v)) lab[k] = v;
      else {
        ann[k] = v;
        ctx.diags.push(warning(`label "${k}" is not a valid Kubernetes label${labelKey.test(k) ? ' value' : ''}; added as an annotation`, at, { path: `services.${name}.labels`, code: 'compose/label' }));
      }
    }
    if (Object.keys(lab).length) addTrait('labels', lab, [...base, 'labels'], labels.keySpan);
  }
  if (annotations) for (const [k, v] of read(annotations)) ann[k] = v;
  if (Object.keys(ann).length) addTrait('annotations', ann, [...base, annotations ? 'annotations' : 'labels'], (annotations ?? labels)!.keySpan);
}

function readDependsOn(e: LEntry | undefined, ctx: ServiceContext, name: string): { name: string; span: Span }[] {
  if (!e) return [];
  const out: { name: string; span: Span }[] = [];
  const add = (dep: string, at: Span) => {
    if (ctx.disabledNames.has(dep)) {
      ctx.diags.push(warning(`depends on "${dep}", which is off (its profiles are not active); the dependency is dropped`, at, { path: `services.${name}.depends_on`, code: 'compose/profiles' }));
      return;
    }
    if (!ctx.serviceNames.has(dep)) {
      ctx.diags.push(error(`unknown service "${dep}"`, at, { path: `services.${name}.depends_on`, code: 'compose/depends-on', hint: didYouMean(dep, [...ctx.serviceNames].filter((n) => n !== name)) ?? `services: ${[...ctx.serviceNames].join(', ')}` }));
      return;
    }
    out.push({ name: dep, span: at });
  };
  const v = e.value;
  if (v.kind === 'seq') {
    for (const it of v.items) {
      if (it.kind === 'scalar' && typeof it.value === 'string') add(it.value, it.span);
      else ctx.diags.push(error(`depends_on items must be service names (got ${describe(it)})`, it.span, { code: 'compose/depends-on' }));
    }
  } else if (v.kind === 'map') {
    for (const x of v.entries) {
      const cond = x.value.kind === 'map' ? x.value.entries.find((c) => c.key === 'condition') : undefined;
      const c = cond?.value.kind === 'scalar' ? cond.value.value : undefined;
      if (c !== undefined && c !== 'service_started' && c !== 'service_healthy' && c !== 'service_completed_successfully') {
        ctx.diags.push(error(`unknown depends_on condition ${describe(cond!.value)}`, cond!.value.span, { code: 'compose/depends-on', hint: 'the conditions are service_started, service_healthy and service_completed_successfully' }));
      }
      add(x.key, x.keySpan);
    }
  } else ctx.diags.push(error(`depends_on must be a list or a map (got ${describe(v)})`, v.span, { path: `services.${name}`, code: 'compose/depends-on' }));
  return out;
}

