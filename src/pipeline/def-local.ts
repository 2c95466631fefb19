/**
 * `vela def` without a cluster: list the lookup path's definitions, scaffold
 * one (`init`, from a manifest when given), check files (`vet`), and show
 * what one produces (`render`) by rendering a one-component Application
 * through the same pipeline as `vela dry-run`.
 */
import { basename, resolve } from 'node:path';
import { parseAllDocuments, stringify as stringifyYaml } from 'yaml';
import { parseDefinitionFile } from '../capability/index.js';
import { nodeFileSystem, type FileSystem } from '../host/index.js';
import { DiagnosticError, error, SourceFile, type Diagnostic } from '../source/index.js';
import { cueLabel, cueLiteral, DEFINITION_TYPES, readCueDefinition, type DefinitionType } from './definitions-object.js';
import { listComponents, listTraits, type DefinitionSummary } from './discovery.js';
import { dryRun, type DryRunResult } from './dry-run.js';
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

/** `vela def list`: components, then traits, each sorted by name; `type` filters. */
export async function listDefinitions(ctx: DefContext, opts: { type?: 'component' | 'trait' } = {}): Promise<{ definitions: DefinitionSummary[]; warnings: Diagnostic[] }> {
  const [components, traits] = await Promise.all([listComponents(registryOptions(ctx)), listTraits(registryOptions(ctx))]);
  const definitions = [...(opts.type === 'trait' ? [] : components.definitions), ...(opts.type === 'component' ? [] : traits.definitions)];
  return { definitions, warnings: [...components.warnings] };
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
 * component or trait, CUE or YAML), policies and workflow steps by their
 * header and template's syntax. Every problem of every file, then exit 1.
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
    // Components and traits are what vela renders: read them as the registry does (the template compiled).
    if (head.parts.type === 'policy' || head.parts.type === 'workflow-step') return { definitions: [{ name: head.parts.name, type: head.parts.type }], diagnostics: [] };
  }
  const r = parseDefinitionFile(src, 'flag');
  return { definitions: r.definitions.map((d) => ({ name: d.name, type: d.kind })), diagnostics: r.diagnostics };
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
 * with FILE searched before every other definition.
 */
export async function renderDefinition(ctx: DefContext, opts: RenderDefinitionOptions): Promise<DryRunResult & { name: string; type: string; text: string }> {
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
  if (!def || parsed.definitions.length > 1) throw new DiagnosticError([error(`${opts.file}: ${def ? 'holds more than one definition' : 'holds no component or trait definition'}`, undefined, { code: 'def/render', hint: 'render one component or trait definition at a time' })]);
  let properties: unknown = {};
  if (opts.parameters) {
    const pfile = resolve(ctx.cwd, opts.parameters);
    let ptext: string;
    try {
      ptext = await fs.readText(pfile);
    } catch {
      throw new DiagnosticError([error(`${opts.parameters}: no such file`, undefined, { code: 'def/no-file' })]);
    }
    const docs = parseAllDocuments(ptext);
    const doc = Array.isArray(docs) ? docs[0] : docs;
    const psrc = new SourceFile(opts.parameters, ptext);
    const e = doc?.errors[0];
    if (e) throw new DiagnosticError([error(e.message.split('\n')[0]!, { file: psrc, start: e.pos[0], end: e.pos[1] }, { code: 'def/yaml' })]);
    properties = doc?.toJS() ?? {};
    if (properties === null) properties = {};
    if (typeof properties !== 'object' || Array.isArray(properties)) throw new DiagnosticError([error('the parameters must be a map', { file: psrc, start: 0, end: ptext.length }, { code: 'def/yaml' })]);
  }
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
  return { ...r, name: def.name, type: def.kind, text: r.output.kind === 'text' ? r.output.text : '' };
}

export { DEFINITION_TYPES };
