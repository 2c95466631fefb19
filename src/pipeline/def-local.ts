/**
 * `vela def` without a cluster: list the lookup path's definitions, scaffold
 * one (`init`, from a manifest when given), check files (`vet`), and show
 * what one produces (`render`) by rendering a one-component Application
 * through the same pipeline as `vela dry-run`.
 */
import { basename, resolve } from 'node:path';
import { parseAllDocuments, stringify as stringifyYaml } from 'yaml';
import { CapabilityDefinition, parseDefinitionFile, type DefinitionSource, type JsonSchema } from '../capability/index.js';
import { nodeFileSystem, type FileSystem } from '../host/index.js';
import { DiagnosticError, error, SourceFile, type Diagnostic, type Span } from '../source/index.js';
import { validateAgainstSchema, type JsonValue } from '../appfile/index.js';
import { cueLabel, cueLiteral, DEFINITION_TYPES, readCueDefinition, type DefinitionType } from './definitions-object.js';
import { listComponents, listPoliciesAndSteps, listTraits, type DefinitionSummary } from './discovery.js';
import { dryRun } from './dry-run.js';
import { isDefinitionFile, type RegistryOptions } from './registry.js';

export interface DefContext {
  readonly cwd: string;
  readonly velaHome: string;
  readonly fs?: FileSystem;
  readonly signal?: AbortSignal;
  /** `--definitions DIR`: searched first. */
  readonly definitionDirs?: readonly string[];
}

const registryOptions = (ctx: DefContext): RegistryOptions => ({ cwd: ctx.cwd, velaHome: ctx.velaHome, definitionDirs: ctx.definitionDirs, fs: ctx.fs });

/** `vela def list`: components, traits, policies, then workflow steps, each sorted by name; `type` filters. */
export async function listDefinitions(ctx: DefContext, opts: { type?: DefinitionType } = {}): Promise<{ definitions: DefinitionSummary[]; warnings: Diagnostic[] }> {
  const [components, traits, others] = await Promise.all([listComponents(registryOptions(ctx)), listTraits(registryOptions(ctx)), listPoliciesAndSteps(registryOptions(ctx))]);
  const all: DefinitionSummary[] = [...components.definitions, ...traits.definitions, ...others.definitions];
  // One registry load behind all three: its warnings once.
  return { definitions: opts.type ? all.filter((d) => d.kind === opts.type) : all, warnings: [...components.warnings] };
}

// --------------------------------------------------------------------------- init

export interface InitOptions {
  readonly name: string;
  readonly type: DefinitionType;
  readonly description?: string;
  /** `--template-yaml`: a manifest (one or more documents) the template outputs. */
  readonly templateYaml?: SourceFile;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A CUE definition to start from. From a manifest, as KubeVela does: the
 * first document is a component's `output`, the others `outputs` named by
 * kind and name (a trait's are all `outputs`); `parameter` is left for the
 * author to fill in.
 */
export function scaffoldDefinition(opts: InitOptions): string {
  if (!NAME.test(opts.name)) throw new DiagnosticError([error(`${JSON.stringify(opts.name)} is not a definition name`, undefined, { code: 'def/name', hint: 'lower case letters, digits and -, starting and ending with a letter or digit' })]);
  const docs = opts.templateYaml ? manifests(opts.templateYaml) : [];
  const header: Record<string, unknown> = { type: opts.type, annotations: {}, labels: {}, description: opts.description ?? '', attributes: {} };
  const first = docs[0];
  if (opts.type === 'component') {
    header.attributes = first && typeof first.apiVersion === 'string' && typeof first.kind === 'string' ? { workload: { definition: { apiVersion: first.apiVersion, kind: first.kind } } } : { workload: { definition: { apiVersion: 'apps/v1', kind: 'Deployment' } } };
  } else if (opts.type === 'trait') {
    header.attributes = { appliesToWorkloads: [], podDisruptive: false };
  }
  const body: string[] = [];
  const outputs = opts.type === 'component' ? docs.slice(1) : docs;
  if (opts.type === 'component') body.push(`output: ${first ? cueLiteral(first, '') : '{}'}`);
  if (opts.type === 'trait' && !docs.length) body.push('patch: {}');
  if (outputs.length) {
    const named = new Map<string, unknown>();
    for (const d of outputs) {
      const meta = (d.metadata ?? {}) as { name?: unknown };
      let key = `${String(d.kind ?? 'object').toLowerCase()}${typeof meta.name === 'string' ? `-${meta.name}` : ''}`;
      for (let i = 2; named.has(key); i++) key = `${key.replace(/-\d+$/, '')}-${i}`;
      named.set(key, d);
    }
    body.push(`outputs: ${cueLiteral(Object.fromEntries(named), '')}`);
  }
  body.push('parameter: {}');
  const template = body.join('\n').split('\n').map((l) => (l ? `\t${l}` : l)).join('\n');
  return `${cueLabel(opts.name)}: ${cueLiteral(header, '')}\ntemplate: {\n${template}\n}\n`;
}

/** `vela def init`: the scaffold, printed or written to a new file (never over an existing one). */
export async function initDefinition(ctx: DefContext, opts: Omit<InitOptions, 'templateYaml'> & { templateYaml?: string; output?: string }): Promise<{ name: string; type: string; cue: string; file?: string }> {
  const fs = ctx.fs ?? nodeFileSystem;
  let templateYaml: SourceFile | undefined;
  if (opts.templateYaml) {
    const text = await fs.readText(resolve(ctx.cwd, opts.templateYaml)).catch(() => undefined);
    if (text === undefined) throw new DiagnosticError([error(`--template-yaml ${opts.templateYaml}: no such file`, undefined, { code: 'cli/usage' })]);
    templateYaml = new SourceFile(opts.templateYaml, text);
  }
  const cue = scaffoldDefinition({ ...opts, templateYaml });
  if (!opts.output) return { name: opts.name, type: opts.type, cue };
  const path = resolve(ctx.cwd, opts.output);
  if (await fs.exists(path)) throw new DiagnosticError([error(`--output ${opts.output}: the file exists`, undefined, { code: 'cli/usage', hint: 'choose another name, or remove it first' })]);
  await fs.writeFileAtomic(path, cue);
  return { name: opts.name, type: opts.type, cue, file: opts.output };
}

function manifests(src: SourceFile): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const doc of parseAllDocuments(src.text, { uniqueKeys: true })) {
    if (!('errors' in doc)) continue;
    const e = doc.errors[0];
    if (e) throw new DiagnosticError([error(e.message.split('\n')[0]!, { file: src, start: e.pos[0], end: e.pos[1] }, { code: 'def/yaml' })]);
    const v = doc.toJS({ maxAliasCount: 50 }) as unknown;
    if (v === null || v === undefined) continue;
    if (typeof v !== 'object' || Array.isArray(v)) {
      const r = doc.contents?.range;
      throw new DiagnosticError([error('a manifest must be a map', { file: src, start: r?.[0] ?? 0, end: r?.[1] ?? 0 }, { code: 'def/yaml' })]);
    }
    out.push(v as Record<string, unknown>);
  }
  return out;
}

// --------------------------------------------------------------------------- vet

export interface VetEntry {
  readonly file: string;
  /** What the file defines: `component webservice`, … */
  readonly definitions: readonly { readonly name: string; readonly type: string }[];
}

/**
 * `vela def vet FILE...`: every file read as the lookup path reads it (a
 * component or trait, CUE or YAML), policies and workflow steps with their
 * `parameter` derived into a schema. Every problem of every file, then exit 1.
 */
export async function vetDefinitions(ctx: DefContext, files: readonly string[]): Promise<{ files: VetEntry[]; diagnostics: Diagnostic[] }> {
  const fs = ctx.fs ?? nodeFileSystem;
  const out: VetEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const f of files) {
    const path = resolve(ctx.cwd, f);
    let text: string;
    try {
      text = await fs.readText(path);
    } catch {
      diagnostics.push(error(`${f}: no such file`, undefined, { code: 'def/no-file' }));
      continue;
    }
    const src = new SourceFile(f, text);
    const r = vetText(src);
    diagnostics.push(...r.diagnostics);
    if (!r.diagnostics.length) out.push({ file: f, definitions: r.definitions });
  }
  return { files: out, diagnostics };
}

/** One file's definitions, or why it is not one. */
export function vetText(src: SourceFile): { definitions: { name: string; type: string }[]; diagnostics: Diagnostic[] } {
  if (!isDefinitionFile(src.name)) return { definitions: [], diagnostics: [error(`${src.name}: not a definition file (.cue, .yaml or .yml)`, undefined, { code: 'def/file' })] };
  if (!/\.ya?ml$/i.test(src.name)) {
    const head = readCueDefinition(src);
    if (!head.parts) return { definitions: [], diagnostics: head.diagnostics };
  }
  // Read as the registry reads it; a policy's or workflow step's template is used by KubeVela's controller
  // (often with providers vela lacks, `vela/op`), so its `parameter` is what vela can check: the schema derives.
  const r = parseDefinitionFile(src, 'flag');
  const diagnostics = [...r.diagnostics, ...r.definitions.filter((d) => d.kind === 'policy' || d.kind === 'workflow-step').flatMap((d) => deriveSchema(d).problems)];
  return { definitions: r.definitions.map((d) => ({ name: d.name, type: d.kind })), diagnostics };
}

/** A definition's parameter schema, or why it cannot be derived. */
function deriveSchema(def: DefinitionSource): { schema?: JsonSchema; problems: Diagnostic[] } {
  try {
    return { schema: new CapabilityDefinition(def).schema, problems: [] };
  } catch (e) {
    if (e instanceof DiagnosticError) return { problems: [...e.diagnostics] };
    throw e;
  }
}

// --------------------------------------------------------------------------- render

export interface RenderDefinitionOptions {
  readonly file: string;
  /** `--parameters FILE.yaml`: the properties. */
  readonly parameters?: string;
  readonly namespace?: string;
}

/**
 * `vela def render FILE`: the manifests FILE produces, rendered as a
 * one-component Application (a trait on a `webservice` of image `nginx`)
 * with FILE searched before every other definition. A policy or workflow
 * step is run by KubeVela's controller, not rendered by vela: its parameters
 * are checked against its `parameter` and the object `vela def apply` would
 * write is shown (as KubeVela's own `vela def render` does).
 */
export async function renderDefinition(ctx: DefContext, opts: RenderDefinitionOptions): Promise<RenderedDefinition> {
  const fs = ctx.fs ?? nodeFileSystem;
  const path = resolve(ctx.cwd, opts.file);
  let text: string;
  try {
    text = await fs.readText(path);
  } catch {
    throw new DiagnosticError([error(`${opts.file}: no such file`, undefined, { code: 'def/no-file' })]);
  }
  const src = new SourceFile(opts.file, text);
  const parsed = parseDefinitionFile(src, 'flag');
  if (parsed.diagnostics.length) throw new DiagnosticError(parsed.diagnostics);
  const def = parsed.definitions[0];
  if (!def || parsed.definitions.length > 1) throw new DiagnosticError([error(`${opts.file}: ${def ? 'holds more than one definition' : 'holds no definition'}`, undefined, { code: 'def/render', hint: 'render one definition at a time' })]);
  const params = opts.parameters ? await readParameters(fs, ctx.cwd, opts.parameters) : undefined;
  const properties: unknown = params?.data ?? {};
  if (def.kind === 'policy' || def.kind === 'workflow-step') return renderControllerDefinition(ctx, opts, def, params);
  const component =
    def.kind === 'component'
      ? { name: def.name, type: def.name, properties }
      : { name: 'main', type: 'webservice', properties: { image: 'nginx' }, traits: [{ type: def.name, properties }] };
  const app = { apiVersion: 'core.oam.dev/v1beta1', kind: 'Application', metadata: { name: `render-${def.name}` }, spec: { components: [component] } };
  // The parameters file's positions do not carry over; its name does, in the Application's name.
  const appText = `# ${basename(opts.file)}${opts.parameters ? ` with ${basename(opts.parameters)}` : ''}\n${stringifyYaml(app)}`;
  const stdin = (async function* () {
    yield appText;
  })();
  const r = await dryRun({ cwd: ctx.cwd, velaHome: ctx.velaHome, definitionDirs: ctx.definitionDirs, fs: ctx.fs, file: '-', stdin, extraSources: parsed.definitions, namespace: opts.namespace ?? 'default', output: { format: 'yaml' } }).catch(
    (e: unknown) => {
      // Positions in the Application made here are named for it, not for a stdin the user never wrote to.
      if (!(e instanceof DiagnosticError)) throw e;
      const named = new SourceFile(`the Application rendering ${opts.file}`, appText);
      throw new DiagnosticError(
        e.diagnostics.map((d) => (d.span && d.span.file.text === appText ? { ...d, span: { ...d.span, file: named } } : d)),
        e.exitCode,
      );
    },
  );
  return { name: def.name, type: def.kind, text: r.output.kind === 'text' ? r.output.text : '', manifests: r.rendered.manifests.map((m) => m.object), warnings: r.warnings };
}

export interface RenderedDefinition {
  readonly name: string;
  readonly type: DefinitionType;
  /** What is printed: the manifests (a component or trait), or the definition object (a policy or workflow step), as YAML. */
  readonly text: string;
  readonly manifests: readonly Record<string, unknown>[];
  readonly warnings: readonly Diagnostic[];
}

/** `--parameters FILE.yaml`: a map, with the spans of its values for errors. */
async function readParameters(fs: FileSystem, cwd: string, file: string): Promise<{ data: Record<string, unknown>; src: SourceFile; at: (path: readonly (string | number)[]) => Span }> {
  let ptext: string;
  try {
    ptext = await fs.readText(resolve(cwd, file));
  } catch {
    throw new DiagnosticError([error(`${file}: no such file`, undefined, { code: 'def/no-file' })]);
  }
  const psrc = new SourceFile(file, ptext);
  const doc = parseAllDocuments(ptext, { uniqueKeys: true })[0];
  const e = doc && 'errors' in doc ? doc.errors[0] : undefined;
  if (e) throw new DiagnosticError([error(e.message.split('\n')[0]!, { file: psrc, start: e.pos[0], end: e.pos[1] }, { code: 'def/yaml' })]);
  const data = (doc && 'errors' in doc ? doc.toJS({ maxAliasCount: 50 }) : undefined) ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new DiagnosticError([error('the parameters must be a map', { file: psrc, start: 0, end: ptext.length }, { code: 'def/yaml' })]);
  const at = (path: readonly (string | number)[]): Span => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc && 'errors' in doc ? (doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined) : undefined;
      if (node?.range) return { file: psrc, start: node.range[0], end: node.range[1] };
    }
    return { file: psrc, start: 0, end: 0 };
  };
  return { data: data as Record<string, unknown>, src: psrc, at };
}

/** A policy or workflow step: the parameters checked against its schema, and the object it is stored as. */
async function renderControllerDefinition(ctx: DefContext, opts: RenderDefinitionOptions, def: DefinitionSource, params: Awaited<ReturnType<typeof readParameters>> | undefined): Promise<RenderedDefinition> {
  const { schema, problems } = deriveSchema(def);
  if (problems.length) throw new DiagnosticError(problems);
  if (params && schema) {
    const wrong = validateAgainstSchema(params.data as JsonValue, schema, { locate: (p) => params.at(p), basePath: [] });
    if (wrong.length) throw new DiagnosticError(wrong);
  }
  // Loaded here: def-cluster brings the cluster client, which rendering a component never needs.
  const { definitionObjects, DEFAULT_DEFINITION_NAMESPACE } = await import('./def-cluster.js');
  const { objects } = await definitionObjects(ctx, opts.file, DEFAULT_DEFINITION_NAMESPACE);
  const object = objects[0]!.object as Record<string, unknown>;
  const head = `# ${def.kind} ${def.name}: run by KubeVela's controller; ${params ? `${basename(opts.parameters!)} fits its parameters; ` : ''}the object vela def apply writes\n`;
  return { name: def.name, type: def.kind, text: head + stringifyYaml(object, { lineWidth: 0 }), manifests: [object], warnings: [] };
}

export { DEFINITION_TYPES };
