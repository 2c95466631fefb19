/**
 * `vela def` against a cluster that runs KubeVela: apply definition files as
 * ComponentDefinition/TraitDefinition/PolicyDefinition/WorkflowStepDefinition
 * objects (core.oam.dev/v1beta1, namespace vela-system by default), get one
 * back as a CUE file, delete one, and sync the cluster's definitions of
 * every kind into `$VELA_HOME/definitions/cluster/`, where every command
 * finds them.
 */
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments, stringify as stringifyYaml } from 'yaml';
import { ApiError, UnknownKindError, withClient, type ClusterOptions, type KubeClient, type KubeObject } from '../deploy/index.js';
import { EnvironmentError, nodeFileSystem, type FileSystem } from '../host/index.js';
import { DiagnosticError, error, SourceFile, warning, type Diagnostic } from '../source/index.js';
import {
  cueDefinitionObject,
  DEFINITION_API,
  definitionObjectToCue,
  KIND_OF_TYPE,
  readCueDefinition,
  TYPE_OF_KIND,
  type DefinitionObject,
  type DefinitionType,
} from './definitions-object.js';
import { vetText, type DefContext } from './def-local.js';
import { forgetLoadedRegistries, isDefinitionFile } from './registry.js';

export const DEFAULT_DEFINITION_NAMESPACE = 'vela-system';
const KINDS = Object.values(KIND_OF_TYPE);

/** Where `sync --from-cluster` keeps what it copied (on the lookup path, after the user's own definitions). */
export const clusterCacheDir = (velaHome: string) => join(velaHome, 'definitions', 'cluster');

/** The cluster has no such kind: KubeVela (its CRDs) is not installed there. */
function withoutKubeVela<T>(fn: () => Promise<T>): Promise<T> {
  return fn().catch((e: unknown) => {
    if (e instanceof UnknownKindError) {
      throw new EnvironmentError(`the cluster does not serve ${e.kind} (${e.apiVersion}): KubeVela is not installed there`, { hint: 'vela def apply/get/delete/sync talk to clusters that run KubeVela; to use definitions locally, vela def install' });
    }
    throw e;
  });
}

/** Definition objects read from files: CUE definitions converted, YAML ones as written. Every problem of every file, or the objects. */
export async function definitionObjects(ctx: DefContext, target: string, namespace: string): Promise<{ objects: { file: string; object: DefinitionObject }[] }> {
  const fs = ctx.fs ?? nodeFileSystem;
  const path = resolve(ctx.cwd, target);
  const info = await fs.stat(path);
  if (!info) throw new DiagnosticError([error(`${target}: no such file or folder`, undefined, { code: 'def/no-file' })]);
  const files = info.kind === 'directory' ? (await fs.list(path)).filter((n) => isDefinitionFile(n) && !n.startsWith('.')).sort().map((n) => join(path, n)) : [path];
  if (!files.length) throw new DiagnosticError([error(`${target}: no definition files (.cue, .yaml) in this folder`, undefined, { code: 'def/no-file' })]);
  const objects: { file: string; object: DefinitionObject }[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const shown = relative(ctx.cwd, file) || file;
    const src = new SourceFile(shown, await fs.readText(file));
    if (/\.ya?ml$/i.test(file)) {
      const r = yamlDefinitionObjects(src, namespace);
      diagnostics.push(...r.diagnostics);
      objects.push(...r.objects.map((object) => ({ file: shown, object })));
      continue;
    }
    const r = readCueDefinition(src);
    if (!r.parts) {
      diagnostics.push(...r.diagnostics);
      continue;
    }
    // It must also read as vela reads it (vet's checks: a template that compiles, a parameter block that derives).
    const check = vetText(src);
    if (check.diagnostics.length) {
      diagnostics.push(...check.diagnostics);
      continue;
    }
    objects.push({ file: shown, object: cueDefinitionObject(r.parts, namespace) });
  }
  if (diagnostics.length) throw new DiagnosticError(diagnostics);
  const seen = new Map<string, string>();
  for (const { file, object } of objects) {
    const key = `${String(object.kind)}/${metaName(object)}`;
    const before = seen.get(key);
    if (before) throw new DiagnosticError([error(`${key} is defined twice: in ${before} and in ${file}`, undefined, { code: 'def/duplicate' })]);
    seen.set(key, file);
  }
  return { objects };
}

const metaName = (o: DefinitionObject | KubeObject): string => String((o.metadata as { name?: unknown } | undefined)?.name ?? '');

function yamlDefinitionObjects(src: SourceFile, namespace: string): { objects: DefinitionObject[]; diagnostics: Diagnostic[] } {
  const objects: DefinitionObject[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const doc of parseAllDocuments(src.text, { uniqueKeys: true }) as ReturnType<typeof parseAllDocuments> & unknown[]) {
    if (!('errors' in doc)) continue;
    const e = doc.errors[0];
    if (e) {
      diagnostics.push(error(e.message.split('\n')[0]!, { file: src, start: e.pos[0], end: e.pos[1] }, { code: 'def/yaml' }));
      continue;
    }
    const v = doc.toJS({ maxAliasCount: 50 }) as DefinitionObject | null;
    if (!v) continue;
    const at = (path: string[]) => {
      const n = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      const r = n?.range ?? doc.contents?.range;
      return { file: src, start: r?.[0] ?? 0, end: r?.[1] ?? 0 };
    };
    if (typeof v.kind !== 'string' || !KINDS.includes(v.kind as (typeof KINDS)[number])) {
      diagnostics.push(error(`not a definition: kind ${typeof v.kind === 'string' ? JSON.stringify(v.kind) : 'is missing'}`, at(['kind']), { code: 'def/kind', hint: `one of ${KINDS.join(', ')}` }));
      continue;
    }
    if (v.apiVersion !== DEFINITION_API) {
      diagnostics.push(error(`apiVersion must be ${DEFINITION_API} (got ${JSON.stringify(v.apiVersion)})`, at(['apiVersion']), { code: 'def/api-version' }));
      continue;
    }
    if (!metaName(v)) {
      diagnostics.push(error('metadata.name is missing', at(['metadata']), { code: 'def/name' }));
      continue;
    }
    const { namespace: _ignored, ...meta } = v.metadata as Record<string, DefinitionObject[string]>;
    objects.push({ ...v, metadata: { ...meta, namespace } });
  }
  // The file must also read as vela reads it (vet's checks).
  if (!diagnostics.length) diagnostics.push(...vetText(src).diagnostics);
  return { objects, diagnostics };
}

export interface ApplyDefinitionsResult {
  readonly namespace: string;
  readonly dryRun: boolean;
  readonly objects: readonly { file: string; kind: string; name: string; action: 'created' | 'configured' | 'unchanged' | 'dry-run'; object: DefinitionObject }[];
  /** With dryRun: the objects as a YAML stream. */
  readonly text?: string;
}

/** `vela def apply FILE|DIR [--dry-run]`: server-side apply, every file checked before the first write. */
export async function applyDefinitions(ctx: DefContext, target: string, cluster: ClusterOptions, opts: { dryRun?: boolean; namespace?: string } = {}): Promise<ApplyDefinitionsResult> {
  const namespace = opts.namespace ?? DEFAULT_DEFINITION_NAMESPACE;
  const { objects } = await definitionObjects(ctx, target, namespace);
  if (opts.dryRun) {
    const text = objects.map(({ object }) => `---\n${stringifyYaml(object, { lineWidth: 0 })}`).join('');
    return { namespace, dryRun: true, text, objects: objects.map(({ file, object }) => ({ file, kind: String(object.kind), name: metaName(object), action: 'dry-run', object })) };
  }
  return withClient(cluster, (client) =>
    withoutKubeVela(async () => {
      // The server checks each object first (a dry run), so a refused one leaves nothing half-applied.
      for (const { file, object } of objects) {
        await client.apply(object as KubeObject, { dryRun: true, signal: ctx.signal }).catch((e: unknown) => {
          // The object is wrong (the file's fault): exit 1, naming the file. A field of the wrong type
          // is a 500 "failed to create typed patch object" from server-side apply on Kubernetes 1.20.
          if (e instanceof ApiError && (e.status === 400 || e.status === 422 || (e.status === 500 && /typed patch object/.test(e.message)))) {
            const causes = e.causes.map((c) => `${c.field ? `${c.field}: ` : ''}${c.message ?? ''}`).filter(Boolean);
            throw new DiagnosticError([error(`${file}: the cluster refuses ${String(object.kind)} ${metaName(object)}: ${causes.length ? causes.join('; ') : e.message}`, undefined, { code: 'def/refused', hint: 'nothing was applied; fix the definition and apply again' })]);
          }
          throw e;
        });
      }
      const out: ApplyDefinitionsResult['objects'][number][] = [];
      for (const { file, object } of objects) {
        const before = await client.get({ apiVersion: DEFINITION_API, kind: String(object.kind), name: metaName(object), namespace }, ctx.signal);
        const after = await client.applyFull(object as KubeObject, { signal: ctx.signal });
        const same = before && (before.metadata as { resourceVersion?: string }).resourceVersion === (after.object.metadata as { resourceVersion?: string }).resourceVersion;
        out.push({ file, kind: String(object.kind), name: metaName(object), action: after.created ? 'created' : same ? 'unchanged' : 'configured', object });
      }
      return { namespace, dryRun: false, objects: out };
    }),
  );
}

/** The definitions named NAME in the namespace, of any kind (or of `type`). */
async function findOnCluster(client: KubeClient, name: string, namespace: string, type: DefinitionType | undefined, signal?: AbortSignal): Promise<KubeObject[]> {
  const kinds = type ? [KIND_OF_TYPE[type]] : KINDS;
  const found: KubeObject[] = [];
  for (const kind of kinds) {
    const o = await client.get({ apiVersion: DEFINITION_API, kind, name, namespace }, signal);
    if (o) found.push({ ...o, apiVersion: DEFINITION_API, kind });
  }
  return found;
}

function notFound(name: string, namespace: string): DiagnosticError {
  return new DiagnosticError([error(`no definition ${name} in namespace ${namespace}`, undefined, { code: 'def/not-found', hint: 'see what there is with `vela def sync --from-cluster`, or give the namespace with -n' })]);
}

function ambiguous(name: string, found: KubeObject[]): DiagnosticError {
  const types = found.map((o) => TYPE_OF_KIND[String(o.kind)]);
  return new DiagnosticError([error(`${name} names ${found.length} definitions: ${found.map((o) => o.kind).join(', ')}`, undefined, { code: 'def/ambiguous', hint: `say which with --type ${types.join('|')}` })]);
}

/** The one definition named NAME (of the type, when given): an error when there is none, or more than one. */
async function findOneOnCluster(client: KubeClient, name: string, namespace: string, type: DefinitionType | undefined, signal?: AbortSignal): Promise<KubeObject> {
  const found = await findOnCluster(client, name, namespace, type, signal);
  if (!found.length) throw notFound(name, namespace);
  if (found.length > 1) throw ambiguous(name, found);
  return found[0]!;
}

/** `vela def get NAME`: the cluster's definition, as a CUE file (or the object). */
export async function getDefinition(ctx: DefContext, name: string, cluster: ClusterOptions, opts: { namespace?: string; type?: DefinitionType } = {}): Promise<{ object: DefinitionObject; cue: string; yaml: string }> {
  const namespace = opts.namespace ?? DEFAULT_DEFINITION_NAMESPACE;
  return withClient(cluster, (client) =>
    withoutKubeVela(async () => {
      const object = cleanObject(await findOneOnCluster(client, name, namespace, opts.type, ctx.signal));
      return { object, cue: definitionObjectToCue(object), yaml: stringifyYaml(object, { lineWidth: 0 }) };
    }),
  );
}

/** What a definition object is without the server's bookkeeping. */
function cleanObject(o: KubeObject): DefinitionObject {
  const meta = (o.metadata ?? {}) as Record<string, unknown>;
  const annotations = { ...((meta.annotations as Record<string, string> | undefined) ?? {}) };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  const kept: Record<string, unknown> = { name: meta.name, namespace: meta.namespace };
  if (Object.keys(annotations).length) kept.annotations = annotations;
  if (meta.labels && Object.keys(meta.labels).length) kept.labels = meta.labels;
  return { apiVersion: DEFINITION_API, kind: String(o.kind), metadata: kept, spec: o.spec ?? {} } as unknown as DefinitionObject;
}

/** `vela def delete NAME`. */
export async function deleteDefinition(ctx: DefContext, name: string, cluster: ClusterOptions, opts: { namespace?: string; type?: DefinitionType } = {}): Promise<{ kind: string; name: string; namespace: string }> {
  const namespace = opts.namespace ?? DEFAULT_DEFINITION_NAMESPACE;
  return withClient(cluster, (client) =>
    withoutKubeVela(async () => {
      const kind = String((await findOneOnCluster(client, name, namespace, opts.type, ctx.signal)).kind);
      await client.delete({ apiVersion: DEFINITION_API, kind, name, namespace }, { signal: ctx.signal });
      return { kind, name, namespace };
    }),
  );
}

export interface SyncResult {
  readonly namespace: string;
  readonly dir: string;
  readonly added: readonly string[];
  readonly updated: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
  /** Definitions left out, with why (a name another kind took, a template vela cannot read). */
  readonly skipped: readonly { name: string; kind: string; reason: string }[];
  readonly warnings: readonly Diagnostic[];
}

/**
 * `vela def sync --from-cluster`: the cluster's components, traits, policies and workflow steps as CUE
 * files in `$VELA_HOME/definitions/cluster/` (the folder made to match:
 * files of definitions gone from the cluster are removed). A definition vela
 * cannot read is left out with a warning, so one bad template on the cluster
 * does not break every command. Written all at once, after reading everything.
 */
export async function syncFromCluster(ctx: DefContext, cluster: ClusterOptions, opts: { namespace?: string } = {}): Promise<SyncResult> {
  const fs = ctx.fs ?? nodeFileSystem;
  const namespace = opts.namespace ?? DEFAULT_DEFINITION_NAMESPACE;
  const dir = clusterCacheDir(ctx.velaHome);
  const objects = await withClient(cluster, (client) =>
    withoutKubeVela(async () => {
      const all: KubeObject[] = [];
      for (const kind of KINDS) all.push(...(await client.list(DEFINITION_API, kind, { namespace, signal: ctx.signal })));
      return all;
    }),
  );
  const files = new Map<string, string>();
  const skipped: { name: string; kind: string; reason: string }[] = [];
  const warnings: Diagnostic[] = [];
  const syncedKind = new Map<string, string>();
  const kindRank = (o: KubeObject) => KINDS.indexOf(String(o.kind) as (typeof KINDS)[number]);
  for (const o of objects.sort((a, b) => kindRank(a) - kindRank(b) || metaName(a).localeCompare(metaName(b)))) {
    const name = metaName(o);
    const kind = String(o.kind);
    // One folder, one file per name: of definitions sharing a name, the first kind in KINDS' order is kept.
    const file = `${name}.cue`;
    const earlier = syncedKind.get(file);
    if (earlier) {
      skipped.push({ name, kind, reason: `the ${earlier} of the same name was synced` });
      warnings.push(warning(`${kind} ${name}: a ${earlier} shares the name; only the ${earlier} is synced`, undefined, { code: 'def/sync' }));
      continue;
    }
    const text = definitionObjectToCue(cleanObject(o));
    const check = vetText(new SourceFile(join(dir, file), text));
    if (check.diagnostics.length) {
      skipped.push({ name, kind, reason: check.diagnostics[0]!.message });
      warnings.push(warning(`${kind} ${name} is not synced: vela cannot read its template (${check.diagnostics[0]!.message})`, undefined, { code: 'def/sync' }));
      continue;
    }
    files.set(file, text);
    syncedKind.set(file, kind);
  }
  const existing = (await fs.exists(dir)) ? (await fs.list(dir)).filter((n) => n.endsWith('.cue')) : [];
  const added: string[] = [];
  const updated: string[] = [];
  const unchanged: string[] = [];
  for (const [file, text] of files) {
    const name = file.replace(/\.cue$/, '');
    if (!existing.includes(file)) added.push(name);
    else if ((await fs.readText(join(dir, file))) !== text) updated.push(name);
    else unchanged.push(name);
  }
  const removed = existing.filter((f) => !files.has(f)).map((f) => f.replace(/\.cue$/, ''));
  for (const [file, text] of files) await fs.writeFileAtomic(join(dir, file), text);
  for (const name of removed) await fs.remove(join(dir, `${name}.cue`));
  forgetLoadedRegistries();
  return { namespace, dir, added, updated, removed, unchanged, skipped, warnings };
}
