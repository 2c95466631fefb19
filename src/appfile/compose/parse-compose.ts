/**
 * A compose file (Compose Specification) → the raw app. Pure, and needs no
 * definitions: the compose text, the environment, `.env` and the texts of the
 * files it refers to (`env_file`, `configs`/`secrets` with `file:`) come in;
 * the raw app, with each service converted to the parameters and traits it
 * means (convert-service.ts), and diagnostics go out. Every diagnostic, here
 * and when resolve/ validates the result, points into the compose file.
 */
import { posix } from 'node:path';
import { didYouMean, error, SourceFile, warning, type Diagnostic, type Span } from '../../source/index.js';
import { checkDependencies } from '../depends-on.js';
import { locator } from '../doc-path.js';
import { dns1123LabelProblem, suggestLabel } from '../names.js';
import { Origins } from '../origins.js';
import type { ParseResult, RawCompose, RawComposeService } from '../raw-app.js';
import { sortDiagnostics } from '../sort-diagnostics.js';
import { describe, parseYamlTree, type LEntry, type LNode } from '../yaml-tree.js';
import { convertService } from './convert-service.js';
import { parseDotenv } from './dotenv.js';
import { interpolateTree, type Lookup } from './interpolate.js';
import { configKeys, topLevelKeys, volumeKeys } from './keys.js';
import { readNamed, resolveFileContents, type FileSource, type RefusedFile, type TopLevel } from './top-level.js';

export interface ParseComposeOptions {
  /** The folder of the compose file (build contexts and `file:` paths are relative to it). */
  readonly dir: string;
  /** The process environment's variables; they win over `.env`, as in docker compose. */
  readonly env: Lookup;
  /** The text of `.env` beside the compose file, when there is one. */
  readonly dotenv?: string;
  /** Active profiles (`--profile`); COMPOSE_PROFILES in `env` adds to them. */
  readonly profiles?: readonly string[];
  /** Texts of the files the compose file refers to (or why the host refused them), by `composeFileKey` of the path as written. */
  readonly files?: Readonly<Record<string, string | RefusedFile>>;
  /** Refuse larger files (default 1 MiB). */
  readonly maxBytes?: number;
}

/** The key under which a referenced file's text is passed in `files`: the path as written, normalised. */
export function composeFileKey(path: string): string {
  return posix.normalize(path.replaceAll('\\', '/'));
}

export function parseComposeFile(file: SourceFile, opts: ParseComposeOptions): ParseResult<RawCompose> {
  const prepared = prepare(file, opts);
  const diags = prepared.diagnostics;
  const root = prepared.root;
  if (!root) return { diagnostics: sortDiagnostics(diags) };
  if (root.kind !== 'map') {
    diags.push(error(`a compose file must be a map with \`services\` (got ${describe(root)})`, root.span, { code: 'compose/not-a-map' }));
    return { diagnostics: sortDiagnostics(diags) };
  }
  const origins = new Origins(locator(root));
  const top: TopLevel = { volumes: new Map(), configs: new Map(), secrets: new Map() };
  let nameEntry: LEntry | undefined;
  let servicesEntry: LEntry | undefined;
  for (const e of root.entries) {
    switch (e.key) {
      case 'name':
        nameEntry = e;
        break;
      case 'services':
        servicesEntry = e;
        break;
      case 'version':
        diags.push(warning('`version` is obsolete in the Compose Specification and ignored', e.keySpan, { code: 'compose/ignored' }));
        break;
      case 'networks':
        diags.push(warning('networks have no Kubernetes meaning here: every pod can reach the Services of its namespace; ignored', e.keySpan, { code: 'compose/ignored' }));
        break;
      case 'volumes':
        readNamed(e, 'volume', volumeKeys, top.volumes, diags);
        break;
      case 'configs':
        readNamed(e, 'config', configKeys, top.configs, diags);
        break;
      case 'secrets':
        readNamed(e, 'secret', configKeys, top.secrets, diags);
        break;
      case 'include':
        diags.push(
          error('`include` is not supported', e.keySpan, {
            code: 'compose/unsupported',
            hint: 'merge the included files into this one (docker compose config prints the merged file)',
          }),
        );
        break;
      case 'models':
        diags.push(warning('models have no Kubernetes meaning here; ignored', e.keySpan, { code: 'compose/ignored' }));
        break;
      default:
        if (e.key.startsWith('x-')) break;
        diags.push(
          error(`unknown top-level key "${e.key}"`, e.keySpan, {
            code: 'compose/unknown-key',
            hint: didYouMean(e.key, topLevelKeys) ?? `a compose file has ${topLevelKeys.map((k) => `\`${k}\``).join(', ')} (and \`x-\` keys)`,
          }),
        );
    }
  }

  const name = appName(nameEntry, opts.dir, diags);
  const fileSource: FileSource = (path) => {
    const key = composeFileKey(path);
    return opts.files && Object.hasOwn(opts.files, key) ? opts.files[key] : undefined;
  };
  resolveFileContents(top, fileSource, prepared.lookup, diags);

  const services: { raw: RawComposeService; hasPorts: boolean }[] = [];
  if (!servicesEntry) {
    diags.push(error('missing required key "services"', { file, start: root.span.start, end: root.span.start }, { code: 'compose/missing-services' }));
  } else if (servicesEntry.value.kind !== 'map' || servicesEntry.value.entries.length === 0) {
    diags.push(error('services must be a map of service name to settings, with at least one service', servicesEntry.value.span, { code: 'compose/services' }));
  } else {
    const active = new Set([...(opts.profiles ?? []), ...(opts.env('COMPOSE_PROFILES') ?? '').split(',').map((s) => s.trim()).filter(Boolean)]);
    const all = servicesEntry.value.entries;
    const enabled = all.filter((se) => isEnabled(se, active, diags));
    const enabledNames = new Set(enabled.map((se) => se.key));
    const disabledNames = new Set(all.map((se) => se.key).filter((n) => !enabledNames.has(n)));
    if (enabled.length === 0) {
      diags.push(
        error('no service is enabled: every service has profiles, and none of them is active', servicesEntry.keySpan, {
          code: 'compose/no-services',
          hint: 'activate one with --profile NAME (or COMPOSE_PROFILES)',
        }),
      );
    }
    const claimUsers = new Map<string, string>();
    for (const se of enabled) {
      const problem = dns1123LabelProblem(se.key);
      if (problem) {
        const s = suggestLabel(se.key);
        diags.push(
          error(`invalid service name "${se.key}" for Kubernetes: ${problem}`, se.keySpan, {
            path: 'services',
            code: 'compose/invalid-name',
            hint: `other services reach it by this name, so vela does not rename it silently${s ? `; rename it to "${s}" (and its references)` : ''}`,
          }),
        );
      }
      const r = convertService(se, {
        app: name ?? 'app',
        top,
        origins,
        lookup: prepared.lookup,
        files: fileSource,
        serviceNames: enabledNames,
        disabledNames,
        claimUsers,
        diags,
      });
      if (r) services.push(r);
    }
    checkDependencies(
      services.map((s) => ({ name: s.raw.name, deps: s.raw.dependsOn })),
      diags,
    );
    warnUnreachable(services, diags);
  }

  const raw: RawCompose = {
    format: 'compose',
    file,
    dir: opts.dir,
    ...(name !== undefined ? { name } : {}),
    services: services.map((s) => s.raw),
    origins,
  };
  return { raw, diagnostics: sortDiagnostics(diags) };
}

interface Prepared {
  readonly root?: LNode;
  readonly lookup: Lookup;
  readonly diagnostics: Diagnostic[];
}

/** Reads the YAML, `.env` and the environment, and interpolates every value. */
function prepare(file: SourceFile, opts: ParseComposeOptions): Prepared {
  const tree = parseYamlTree(file, opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {});
  const diags = tree.diagnostics.map((d) => (d.code === 'appfile/empty' ? { ...d, hint: 'a compose file needs `services:`' } : d));
  const dotenv = new Map<string, string>();
  if (opts.dotenv !== undefined) {
    const envFile = new SourceFile(posix.join(posix.dirname(file.name), '.env'), opts.dotenv);
    const r = parseDotenv(envFile);
    diags.push(...r.diagnostics);
    for (const [k, v] of r.vars) if (v !== undefined) dotenv.set(k, v);
  }
  const lookup: Lookup = (n) => {
    // Only a string counts: an environment object may answer `constructor` with Object's function.
    const fromEnv = opts.env(n);
    return typeof fromEnv === 'string' ? fromEnv : dotenv.get(n);
  };
  if (!tree.root || diags.some((d) => d.severity === 'error' && d.code !== 'appfile/duplicate-key')) return { lookup, diagnostics: diags };
  const root = interpolateTree(tree.root, lookup, diags);
  return { root, lookup, diagnostics: diags };
}

/** The paths of the files a compose file refers to (`env_file`, `file:` of configs and secrets), for the pipeline to read. */
export function composeReferencedFiles(file: SourceFile, opts: Omit<ParseComposeOptions, 'files'>): string[] {
  const { root } = prepare(file, opts);
  if (root?.kind !== 'map') return [];
  const out = new Set<string>();
  const str = (n: LNode | undefined) => (n?.kind === 'scalar' && typeof n.value === 'string' ? n.value : undefined);
  const get = (m: LNode, k: string) => (m.kind === 'map' ? m.entries.find((e) => e.key === k)?.value : undefined);
  for (const section of ['configs', 'secrets']) {
    const s = get(root, section);
    if (s?.kind === 'map') for (const e of s.entries) {
      const f = str(get(e.value, 'file'));
      if (f) out.add(f);
    }
  }
  const services = get(root, 'services');
  if (services?.kind === 'map') {
    for (const se of services.entries) {
      const ef = get(se.value, 'env_file');
      const items = ef?.kind === 'seq' ? ef.items : ef ? [ef] : [];
      for (const it of items) {
        const p = str(it) ?? str(get(it, 'path'));
        if (p) out.add(p);
      }
    }
  }
  return [...out];
}

function appName(e: LEntry | undefined, dir: string, diags: Diagnostic[]): string | undefined {
  if (e) {
    const v = e.value;
    if (!(v.kind === 'scalar' && typeof v.value === 'string' && v.value !== '')) {
      diags.push(error(`the project name must be a string (got ${describe(v)})`, v.span, { code: 'compose/invalid-name' }));
      return undefined;
    }
    const problem = dns1123LabelProblem(v.value);
    if (!problem) return v.value;
    const s = suggestLabel(v.value);
    if (s) {
      diags.push(warning(`the project name "${v.value}" is not a Kubernetes name (${problem}); the app is called "${s}"`, v.span, { code: 'compose/renamed' }));
      return s;
    }
    diags.push(error(`invalid project name "${v.value}": ${problem}`, v.span, { code: 'compose/invalid-name' }));
    return undefined;
  }
  const base = dir.split(/[\\/]+/).filter((p) => p !== '' && p !== '.').at(-1) ?? 'app';
  return dns1123LabelProblem(base) ? (suggestLabel(base) ?? 'app') : base;
}

function isEnabled(se: LEntry, active: ReadonlySet<string>, diags: Diagnostic[]): boolean {
  const p = se.value.kind === 'map' ? se.value.entries.find((e) => e.key === 'profiles') : undefined;
  if (!p) return true;
  if (p.value.kind !== 'seq' || p.value.items.some((i) => i.kind !== 'scalar' || typeof i.value !== 'string')) {
    diags.push(error(`profiles must be a list of profile names (got ${describe(p.value)})`, p.value.span, { code: 'compose/profiles', hint: 'for example `profiles: [debug]`' }));
    return false;
  }
  return p.value.items.some((i) => i.kind === 'scalar' && active.has(String(i.value)));
}

/** Known ports of common images, for the hint when a service others depend on has none. */
const wellKnownPorts: Record<string, string> = {
  postgres: '5432',
  postgis: '5432',
  mysql: '3306',
  mariadb: '3306',
  redis: '6379',
  valkey: '6379',
  mongo: '27017',
  rabbitmq: '5672',
  memcached: '11211',
  elasticsearch: '9200',
  nats: '4222',
  minio: '9000',
};

/**
 * Compose containers reach any port of each other; Kubernetes pods reach other
 * services only through a Service, which needs a port. A service that others
 * depend on without `ports` or `expose` is probably unreachable.
 */
function warnUnreachable(services: readonly { raw: RawComposeService; hasPorts: boolean }[], diags: Diagnostic[]): void {
  const depended = new Set(services.flatMap((s) => s.raw.dependsOn.map((d) => d.name)));
  for (const { raw: s, hasPorts } of services) {
    if (!depended.has(s.name) || hasPorts || s.type === 'task') continue;
    const repo = (s.image ?? '').split('/').at(-1)?.split(/[:@]/)[0] ?? '';
    const port = wellKnownPorts[repo];
    diags.push(
      warning(`service "${s.name}" has no ports: other services cannot reach it by name in Kubernetes`, s.span, {
        code: 'compose/no-ports',
        hint: port ? `add \`expose: ["${port}"]\` (the port ${repo} listens on) to give it a Service` : 'add `expose: ["PORT"]` with the port it listens on, to give it a Service',
      }),
    );
  }
}
