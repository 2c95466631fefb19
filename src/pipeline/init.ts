/**
 * `vela init`: write a first Appfile. What to ask, how answers are checked and
 * how the document is built live here; the questions go through a small `Ask`
 * interface, so the wizard runs on @inquirer/prompts at a terminal
 * (src/cli/prompts.ts) and on scripted answers in tests. Without a terminal
 * the same steps take their answers from flags, and missing information is an
 * error naming the flag to pass.
 */
import { basename, dirname, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { parseAppfile, resolveAppModel, traitAppliesTo, validateAgainstSchema, type JsonValue } from '../appfile/index.js';
import type { Definition, JsonSchema, Registry } from '../capability/index.js';
import { DiagnosticError, error, type Diagnostic, SourceFile } from '../source/index.js';
import { nodeFileSystem, type FileSystem } from '../host/index.js';
import { displayPath } from './display-path.js';
import { loadRegistry } from './registry.js';

/** One choice of a select or checkbox question. */
export interface Choice<T> {
  readonly value: T;
  readonly name: string;
  readonly description?: string;
  readonly checked?: boolean;
}

/** `true` when the answer is fine, else the message to show. */
export type Validate<T> = (value: T) => string | true;

/**
 * The prompt layer. An implementation may check `validate` itself (inquirer
 * does, while the user types); the wizard checks every answer again and asks
 * once more when it is still wrong, so a prompt layer that ignores it is safe.
 */
export interface Ask {
  text(q: { message: string; default?: string; validate?: Validate<string> }): Promise<string>;
  number(q: { message: string; default?: number; integer?: boolean; validate?: Validate<number | undefined> }): Promise<number | undefined>;
  select<T>(q: { message: string; choices: readonly Choice<T>[]; default?: T }): Promise<T>;
  confirm(q: { message: string; default?: boolean }): Promise<boolean>;
  checkbox<T>(q: { message: string; choices: readonly Choice<T>[] }): Promise<T[]>;
  /** Tell the user something between questions (e.g. why an answer is asked again). */
  note?(message: string): void;
}

export interface InitOptions {
  cwd: string;
  /** Where to write (default `vela.yaml` in cwd). */
  file?: string;
  /** Ask questions (a terminal, no --yes, not CI). Without it every answer comes from the flags below. */
  ask?: Ask;
  /** Overwrite an existing file without asking. */
  force?: boolean;
  name?: string;
  service?: string;
  type?: string;
  image?: string;
  port?: number;
  /** Build the image from the folder's Dockerfile (a `build` section). */
  build?: boolean;
  /** `--set KEY=VALUE`: further component parameters. */
  set?: readonly string[];
  definitionDirs?: readonly string[];
  velaHome?: string;
  fs?: FileSystem;
}

export interface InitResult {
  /** False when the user declined to overwrite, or chose to convert a compose file instead. */
  readonly written: boolean;
  /** The file, as shown to the user (relative to cwd when inside it). */
  readonly path: string;
  /** The Appfile text (also when not written). */
  readonly text?: string;
  readonly name?: string;
  readonly services: readonly string[];
  /** What to run instead, e.g. `vela convert compose.yaml -o vela.yaml`. */
  readonly next?: string;
}

export const composeFileNames = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;

/** The service document being built: keys in the order they are written. */
type Doc = Record<string, unknown>;

/** A folder name made into a DNS-1123 label (the app's default name). */
export function sanitizeName(raw: string): string {
  const s = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return s === '' ? 'app' : /^[a-z0-9]/.test(s) ? s : `app-${s}`.slice(0, 63);
}

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` is not a DNS-1123 label (what Kubernetes accepts as an object name), or true. */
export function checkLabel(name: string): string | true {
  if (name === '') return 'must not be empty';
  if (name.length > 63) return `must be at most 63 characters (it has ${name.length})`;
  if (!LABEL.test(name)) return 'must consist of lowercase letters, digits and "-", and start and end with a letter or digit';
  return true;
}

export async function runInit(opts: InitOptions): Promise<InitResult> {
  const fs = opts.fs ?? nodeFileSystem;
  const target = resolve(opts.cwd, opts.file ?? 'vela.yaml');
  const shown = displayPath(opts.cwd, target);
  const ask = opts.ask;

  // Overwriting is settled first, before the user spends time on questions.
  const exists = await fs.exists(target);
  if (!opts.force && exists) {
    if (!ask) {
      throw new DiagnosticError([
        error(`${shown} already exists`, undefined, { code: 'init/exists', hint: 'pass --force to overwrite it, or --file to write elsewhere' }),
      ]);
    }
    if (!(await ask.confirm({ message: `${shown} already exists. Overwrite it?`, default: false }))) {
      return { written: false, path: shown, services: [] };
    }
  }

  const names = await fs.list(opts.cwd);
  const compose = composeFileNames.find((n) => names.includes(n));
  const dockerfile = names.includes('Dockerfile') ? 'Dockerfile' : undefined;
  if (ask && compose && !hasServiceFlags(opts)) {
    const convert = await ask.confirm({ message: `Found ${compose}. Convert it with \`vela convert\` instead?`, default: true });
    if (convert) return { written: false, path: shown, services: [], next: `vela convert ${compose} -o ${shown}${exists ? ' --force' : ''}` };
  }

  const { registry } = await loadRegistry({ cwd: opts.cwd, definitionDirs: opts.definitionDirs, velaHome: opts.velaHome, fs: opts.fs });
  const wizard = new Wizard(registry, ask, opts, dockerfile);
  const name = await wizard.appName(sanitizeName(basename(resolve(opts.cwd))));
  const services: Record<string, Doc> = {};
  do {
    const svc = await wizard.serviceName(name, Object.keys(services));
    services[svc] = await wizard.service(Object.keys(services).length === 0);
  } while (ask && (await ask.confirm({ message: 'Add another service?', default: false })));

  const text = appfileText(name, services);
  // The file must load: check it as `vela dry-run` would read it, before it is written.
  const { diagnostics } = resolveAppModel(parseAppfile(new SourceFile(shown, text), { dir: dirname(target) }), registry);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new DiagnosticError(errors.map((d) => withHint(d, 'the flags describe an app that does not validate; see `vela show <type>`')));
  await fs.writeFileAtomic(target, text);
  return { written: true, path: shown, text, name, services: Object.keys(services) };
}

const hasServiceFlags = (o: InitOptions) => o.image !== undefined || o.type !== undefined || o.port !== undefined || o.build === true;

const withHint = (d: Diagnostic, hint: string): Diagnostic => (d.hint ? d : { ...d, hint });

/** The Appfile: a comment header, then name and services in the order they were given. */
export function appfileText(name: string, services: Record<string, Doc>): string {
  const header = [
    `The Appfile of ${name}, written by \`vela init\`.`,
    '`vela show <type>` lists the parameters of a component type, `vela traits` the traits;',
    '`vela dry-run` prints the Kubernetes manifests, `vela up` deploys.',
  ];
  return `${header.map((l) => `# ${l}`).join('\n')}\n${yamlOf({ name, services })}`;
}

/** YAML of plain data, keys in the order given; strings quoted only where YAML needs it. */
function yamlOf(value: unknown): string {
  return stringifyYaml(value, { lineWidth: 0 });
}

class Wizard {
  constructor(
    private readonly registry: Registry,
    private readonly ask: Ask | undefined,
    private readonly opts: InitOptions,
    private readonly dockerfile: string | undefined,
  ) {}

  async appName(folderDefault: string): Promise<string> {
    const given = this.opts.name;
    if (!this.ask) {
      const name = given ?? folderDefault;
      const bad = checkLabel(name);
      if (bad !== true) throw flagError('--name', `the app name "${name}" ${bad}`);
      return name;
    }
    return this.askText({ message: 'App name', default: given ?? folderDefault, validate: checkLabel });
  }

  async serviceName(app: string, taken: readonly string[]): Promise<string> {
    const fallback = taken.length === 0 ? (this.opts.service ?? app) : undefined;
    const validate = (s: string) => (taken.includes(s) ? `a service named "${s}" already exists` : checkLabel(s));
    if (!this.ask) {
      const bad = validate(fallback!);
      if (bad !== true) throw flagError('--service', `the service name "${fallback}" ${bad}`);
      return fallback!;
    }
    return this.askText({ message: 'Service name', ...(fallback !== undefined && { default: fallback }), validate });
  }

  /** One service: type, image or build, port, the component's parameters, then traits. */
  async service(first: boolean): Promise<Doc> {
    const component = await this.componentType(first);
    const schema = component.schema;
    const props = visibleProperties(schema);
    const required = new Set(schema.required ?? []);
    const doc: Doc = { type: component.name };
    const handled = new Set<string>();

    if (props.image) {
      handled.add('image');
      const build = await this.wantsBuild(first);
      const image = await this.image(build, required.has('image'));
      if (image !== undefined) doc.image = image;
      if (build) doc.build = { docker: { file: this.dockerfile ?? 'Dockerfile', context: '.' } };
    }
    const portsItem = props.ports?.type === 'array' ? props.ports.items : undefined;
    if (portsItem?.properties?.port) {
      handled.add('ports');
      const port = await this.port(required.has('ports'));
      if (port !== undefined) doc.ports = [portsItem.properties.expose ? { port, expose: true } : { port }];
    } else if (props.port && (props.port.type === 'integer' || props.port.type === 'number')) {
      handled.add('port');
      const port = await this.port(required.has('port'));
      if (port !== undefined) doc.port = port;
    }

    const fromSet = parseSetFlags(this.opts.set ?? [], schema);
    for (const [k, v] of Object.entries(fromSet)) {
      handled.add(k);
      doc[k] = v;
    }
    // Required parameters first, in the definition's order; then the optional ones the user picks.
    for (const key of Object.keys(props).filter((k) => required.has(k) && !handled.has(k))) {
      if (!this.ask) throw flagError(key === 'image' ? '--image' : `--set ${key}=VALUE`, `the ${component.name} parameter "${key}" is required`, props[key]!.description);
      doc[key] = await this.param(key, props[key]!, true);
      handled.add(key);
    }
    if (this.ask) {
      const optional = Object.keys(props).filter((k) => !handled.has(k) && !required.has(k));
      if (optional.length > 0) {
        const chosen = await this.ask.checkbox({
          message: `Optional ${component.name} parameters to set (none is fine)`,
          choices: optional.map((k) => ({ value: k, name: k, description: describeParam(props[k]!) })),
        });
        for (const k of chosen) doc[k] = await this.param(k, props[k]!, false);
      }
      await this.traits(component, doc);
    }
    return doc;
  }

  private async componentType(first: boolean): Promise<Definition> {
    const components = this.registry.components();
    const wanted = (first ? this.opts.type : undefined) ?? 'webservice';
    if (!this.ask) {
      const c = this.registry.component(wanted);
      if (!c) throw flagError('--type', `unknown component type "${wanted}"`, `available: ${components.map((d) => d.name).join(', ')}`);
      return c;
    }
    const name = await this.ask.select({
      message: 'Component type',
      choices: components.map((d) => ({ value: d.name, name: d.name, description: d.description })),
      ...(this.registry.component(wanted) && { default: wanted }),
    });
    return this.registry.component(name)!;
  }

  private async wantsBuild(first: boolean): Promise<boolean> {
    if (this.opts.build) {
      if (!this.dockerfile) throw flagError('--build', 'there is no Dockerfile in this folder to build');
      return first;
    }
    if (!this.ask || !first || !this.dockerfile || this.opts.image !== undefined) return false;
    return this.ask.select({
      message: 'Where does the image come from?',
      choices: [
        { value: true, name: `Build it from ./${this.dockerfile}`, description: 'a build section: `vela up` builds and pushes it' },
        { value: false, name: 'An existing image', description: 'e.g. nginx:1.27 or registry.example.com/team/app:1.2' },
      ],
      default: true,
    });
  }

  private async image(build: boolean, required: boolean): Promise<string | undefined> {
    const validate = (s: string) =>
      s === '' ? (required ? 'an image is required' : true) : /\s/.test(s) ? 'an image reference has no spaces' : true;
    if (!this.ask) {
      const image = this.opts.image;
      if (image === undefined) {
        if (required) {
          const hint = build
            ? 'with --build, --image names the repository to push to (the tag is derived)'
            : this.dockerfile
              ? `or build ./${this.dockerfile}: --build --image REPOSITORY`
              : undefined;
          throw flagError('--image', 'an image is required', hint);
        }
        return undefined;
      }
      const bad = validate(image);
      if (bad !== true) throw flagError('--image', bad);
      return image;
    }
    const message = build ? 'Image repository to push the build to (the tag is derived from the build context)' : 'Container image, e.g. nginx:1.27';
    const image = await this.askText({ message, ...(this.opts.image !== undefined && { default: this.opts.image }), validate });
    return image === '' ? undefined : image;
  }

  private async port(required: boolean): Promise<number | undefined> {
    const validate = (n: number | undefined) =>
      n === undefined ? (required ? 'a port is required' : true) : Number.isInteger(n) && n >= 1 && n <= 65535 ? true : 'must be a whole number from 1 to 65535';
    if (!this.ask) {
      const bad = validate(this.opts.port);
      if (bad !== true) throw flagError('--port', bad);
      return this.opts.port;
    }
    return this.askNumber({
      message: `Port the service listens on${required ? '' : ' (empty: none)'}`,
      ...(this.opts.port !== undefined && { default: this.opts.port }),
      integer: true,
      validate,
    });
  }

  private async traits(component: Definition, doc: Doc): Promise<void> {
    const ask = this.ask!;
    const applicable = this.registry.traits().filter((t) => traitAppliesTo(t, component));
    if (applicable.length === 0) return;
    const chosen = await ask.checkbox({
      message: 'Traits to add (none is fine)',
      choices: applicable.map((t) => ({ value: t.name, name: t.name, description: t.description })),
    });
    const declared = new Set(Object.keys(component.schema.properties ?? {}));
    for (const name of chosen) {
      const trait = this.registry.trait(name)!;
      const props = visibleProperties(trait.schema);
      const required = new Set(trait.schema.required ?? []);
      const section: Doc = {};
      for (const key of Object.keys(props).filter((k) => required.has(k))) section[key] = await this.param(`${name}.${key}`, props[key]!, true);
      const optional = Object.keys(props).filter((k) => !required.has(k));
      if (optional.length > 0) {
        const picked = await ask.checkbox({
          message: `Optional ${name} properties to set (none is fine)`,
          choices: optional.map((k) => ({ value: k, name: k, description: describeParam(props[k]!) })),
        });
        for (const k of picked) section[k] = await this.param(`${name}.${k}`, props[k]!, false);
      }
      // A trait named like one of the component's parameters (e.g. env) must go under `traits:`.
      if (declared.has(name)) ((doc.traits ??= {}) as Doc)[name] = section;
      else doc[name] = section;
    }
  }

  /** One parameter, asked the way its schema reads best; the answer is checked against the schema. */
  async param(label: string, schema: JsonSchema, required: boolean): Promise<unknown> {
    const ask = this.ask!;
    const message = `${label}${schema.description ? ` — ${schema.description}` : ''}`;
    const check = (v: unknown) => checkAgainst(v, schema);
    const type = scalarType(schema);
    if (schema.enum && schema.enum.length > 0) {
      return ask.select({
        message,
        choices: schema.enum.map((v) => ({ value: v, name: typeof v === 'string' ? v : JSON.stringify(v) })),
        ...(schema.default !== undefined && { default: schema.default }),
      });
    }
    if (type === 'boolean') return ask.confirm({ message, default: typeof schema.default === 'boolean' ? schema.default : false });
    if (type === 'integer' || type === 'number') {
      const n = await this.askNumber({
        message,
        ...(typeof schema.default === 'number' && { default: schema.default }),
        integer: type === 'integer',
        validate: (v) => (v === undefined ? (required ? 'a value is required' : true) : check(v)),
      });
      return n;
    }
    if (type === 'string') {
      return this.askText({
        message,
        ...(typeof schema.default === 'string' && { default: schema.default }),
        validate: (s) => (s === '' ? (required ? 'a value is required' : true) : check(s)),
      });
    }
    const items = schema.type === 'array' ? scalarType(schema.items ?? {}) : undefined;
    if (items === 'string' || items === 'integer' || items === 'number') {
      const toList = (s: string) =>
        s.split(',').map((x) => x.trim()).filter((x) => x !== '').map((x) => (items === 'string' ? x : Number(x)));
      const s = await this.askText({
        message: `${message} (comma-separated)`,
        ...(Array.isArray(schema.default) && { default: schema.default.join(', ') }),
        validate: (s) => (s === '' && required ? 'a value is required' : check(toList(s))),
      });
      return toList(s);
    }
    // Maps, lists of maps, alternatives: YAML in flow style reads well on one line.
    const read = (s: string): { value?: unknown; problem?: string } => {
      try {
        return { value: parseYaml(s) };
      } catch (e) {
        return { problem: `not YAML: ${(e as Error).message.split('\n')[0]}` };
      }
    };
    const s = await this.askText({
      message: `${message} (YAML, e.g. ${example(schema)})`,
      ...(schema.default !== undefined && { default: JSON.stringify(schema.default) }),
      validate: (s) => {
        if (s === '') return required ? 'a value is required' : true;
        const r = read(s);
        return r.problem ?? check(r.value);
      },
    });
    return read(s).value;
  }

  /** Ask until the answer passes `validate`: the prompt layer may not have checked it. */
  private async askText(q: { message: string; default?: string; validate: Validate<string> }): Promise<string> {
    for (;;) {
      const answer = await this.ask!.text(q);
      const value = answer === '' && q.default !== undefined ? q.default : answer;
      const ok = q.validate(value);
      if (ok === true) return value;
      this.ask!.note?.(`${q.message}: ${ok}`);
    }
  }

  private async askNumber(q: { message: string; default?: number; integer?: boolean; validate: Validate<number | undefined> }): Promise<number | undefined> {
    for (;;) {
      const answer = await this.ask!.number(q);
      const value = answer === undefined ? q.default : answer;
      const ok = q.integer && value !== undefined && !Number.isInteger(value) ? 'must be a whole number' : q.validate(value);
      if (ok === true) return value;
      this.ask!.note?.(`${q.message}: ${ok}`);
    }
  }
}

/** Top-level properties a user sets: not the hidden (+ignore) ones. */
function visibleProperties(schema: JsonSchema): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([, s]) => !s['x-ignore']));
}

function scalarType(schema: JsonSchema): string | undefined {
  return typeof schema.type === 'string' ? schema.type : undefined;
}

function describeParam(s: JsonSchema): string {
  const type = typeof s.type === 'string' ? s.type : Array.isArray(s.type) ? s.type.join(' | ') : 'value';
  const dflt = s.default !== undefined ? `, default ${JSON.stringify(s.default)}` : '';
  return `${s.description ?? ''} (${type}${dflt})`.trim();
}

function example(s: JsonSchema): string {
  if (s.type === 'array') return s.items?.properties ? `[{${Object.keys(s.items.properties).slice(0, 2).map((k) => `${k}: …`).join(', ')}}]` : '[a, b]';
  if (s.properties && Object.keys(s.properties).length > 0) return `{${Object.keys(s.properties).slice(0, 2).map((k) => `${k}: …`).join(', ')}}`;
  return '{key: value}';
}

/** The first schema problem of a value, or true. */
function checkAgainst(value: unknown, schema: JsonSchema): string | true {
  const diags = validateValue(value, schema);
  return diags.length === 0 ? true : diags[0]!.message;
}

/** Through the Appfile's own validator, so messages read the same as `vela dry-run`'s. */
function validateValue(value: unknown, schema: JsonSchema): Diagnostic[] {
  return validateAgainstSchema(value as JsonValue, schema, { locate: () => undefined, basePath: [] });
}

/** `--set KEY=VALUE`: the value is read in the light of the parameter's type (YAML for maps and lists). */
export function parseSetFlags(set: readonly string[], schema: JsonSchema): Doc {
  const out: Doc = {};
  for (const s of set) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw flagError('--set', `expected KEY=VALUE, got ${JSON.stringify(s)}`);
    const key = s.slice(0, eq);
    const raw = s.slice(eq + 1);
    const p = schema.properties?.[key];
    if (!p) {
      const known = Object.keys(visibleProperties(schema));
      throw flagError('--set', `unknown parameter "${key}"`, known.length ? `parameters: ${known.join(', ')}` : undefined);
    }
    const value = coerce(raw, p);
    const bad = checkAgainst(value, p);
    if (bad !== true) throw flagError(`--set ${key}`, bad);
    out[key] = value;
  }
  return out;
}

function coerce(raw: string, schema: JsonSchema): unknown {
  const t = scalarType(schema);
  if (t === 'string') return raw;
  if ((t === 'integer' || t === 'number') && /^-?\d+(\.\d+)?$/.test(raw.trim())) return Number(raw);
  if (t === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  try {
    return parseYaml(raw);
  } catch {
    return raw;
  }
}

function flagError(flag: string, message: string, hint?: string): DiagnosticError {
  return new DiagnosticError([error(`${flag}: ${message}`, undefined, { code: 'init/flag', ...(hint ? { hint } : {}) })]);
}
