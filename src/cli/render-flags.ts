/** Flags shared by the commands that render an app (`vela dry-run`, `up`, `diff`) and their mapping to options. */
import type { AppfileOverrides } from '../pipeline/appfile-inputs.js';
import type { DryRunOptions } from '../pipeline/dry-run.js';
import { DiagnosticError, error } from '../source/index.js';
import { Flags } from './oclif.js';

/** Overrides of the Appfile for CI: applied in this order, each flag in the order given. */
export const overrideFlags = {
  values: Flags.string({ description: 'merge this file onto the Appfile (maps merge, null removes a key; repeatable, applied in order)', multiple: true, multipleNonGreedy: true, helpValue: 'FILE' }),
  set: Flags.string({ description: 'set a value of the Appfile, typed like YAML (e.g. services.web.image=repo/web:abc123, services.web.ports[0].port=80; repeatable)', multiple: true, multipleNonGreedy: true, helpValue: 'PATH=VALUE' }),
  'set-string': Flags.string({ description: 'the same, always as a string (e.g. services.web.labels.version=1.10)', multiple: true, multipleNonGreedy: true, helpValue: 'PATH=VALUE' }),
  'set-file': Flags.string({ description: "set a value of the Appfile to a file's text (repeatable)", multiple: true, multipleNonGreedy: true, helpValue: 'PATH=FILE' }),
};

/**
 * `-v` of every command that reads an Appfile, compose file or Application: says how the file's format was decided
 * when it was guessed from its content. The base command says it (base-command.ts), from what the pipeline announces.
 */
export const appfileFlags = {
  verbose: Flags.boolean({ char: 'v', description: "say how the file's format was decided when it was guessed from its content" }),
};

export const renderFlags = {
  file: Flags.string({ char: 'f', description: 'the Appfile, compose file or KubeVela Application (default: ./vela.yaml, vela.yml, vela.json, Appfile, then compose.yaml, docker-compose.yml…; - for stdin)' }),
  format: Flags.option({ char: 'o', description: 'manifest format', options: ['yaml', 'json'] as const, default: 'yaml' as const })(),
  output: Flags.string({ description: 'write one file per object into this folder instead of printing them' }),
  definitions: Flags.string({ description: 'also look up definitions in this folder (repeatable, searched first)', multiple: true }),
  namespace: Flags.string({ char: 'n', description: "target namespace (default: the Appfile's namespace, else default; also VELA_NAMESPACE)", env: 'VELA_NAMESPACE' }),
  'cluster-version': Flags.string({ description: 'Kubernetes version the templates see as context.clusterVersion (e.g. 1.20)' }),
  profile: Flags.string({ description: 'compose files: turn on the services of this profile (repeatable; also COMPOSE_PROFILES)', multiple: true }),
  ...overrideFlags,
  ...appfileFlags,
  'render-charts': Flags.boolean({ description: 'render Helm charts (helmchart, helm) on the client with helm template instead of leaving them to Flux (needs helm on PATH)' }),
  'allow-outside-project': Flags.boolean({ description: "compose files: let env_file and the file: of configs and secrets name files outside the compose file's folder" }),
};

export interface RenderFlagValues {
  file?: string;
  profile?: string[];
  definitions?: string[];
  namespace?: string;
  'cluster-version'?: string;
  values?: string[];
  set?: string[];
  'set-string'?: string[];
  'set-file'?: string[];
  'render-charts'?: boolean;
  'allow-outside-project'?: boolean;
}

/** The pipeline's `overrides` for --values, --set, --set-string and --set-file. */
export function overrideOptions(flags: Pick<RenderFlagValues, 'values' | 'set' | 'set-string' | 'set-file'>): { overrides?: AppfileOverrides } {
  const overrides: AppfileOverrides = {
    ...(flags.values?.length ? { values: flags.values } : {}),
    ...(flags.set?.length ? { set: flags.set } : {}),
    ...(flags['set-string']?.length ? { setString: flags['set-string'] } : {}),
    ...(flags['set-file']?.length ? { setFile: flags['set-file'] } : {}),
  };
  return Object.keys(overrides).length ? { overrides } : {};
}

/**
 * The newest Kubernetes minor version this vela knows (1.37, August 2026). Templates choose API versions by the
 * cluster's version; for a version that does not exist yet that choice would be a guess, so it is refused.
 */
export const NEWEST_KUBERNETES_MINOR = 37;

export function parseClusterVersion(text: string | undefined): DryRunOptions['clusterVersion'] {
  if (text === undefined) return undefined;
  const usage = (message: string, hint?: string) => new DiagnosticError([error(`--cluster-version: ${message}`, undefined, { code: 'cli/usage', ...(hint ? { hint } : {}) })]);
  // MAJOR.MINOR[.PATCH], a leading v, and a pre-release or build suffix as clusters report them (v1.20.15-gke.100).
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+][0-9A-Za-z.+-]*)?$/.exec(text.trim());
  if (!m) throw usage(`expected MAJOR.MINOR like 1.20, got ${JSON.stringify(text)}`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major !== 1 || minor > NEWEST_KUBERNETES_MINOR) {
    throw usage(`Kubernetes ${major}.${minor} does not exist (the newest this vela knows is 1.${NEWEST_KUBERNETES_MINOR})`, 'give the version your cluster reports (`kubectl version`), e.g. 1.29');
  }
  return { major, minor, gitVersion: `v${major}.${minor}.${m[3] ?? '0'}` };
}

/** The pipeline's options for the render flags (the Appfile, its definitions, namespace and cluster version). */
export function renderOptions(flags: RenderFlagValues): DryRunOptions {
  return {
    cwd: process.cwd(),
    file: flags.file,
    definitionDirs: flags.definitions,
    namespace: flags.namespace,
    clusterVersion: parseClusterVersion(flags['cluster-version']),
    ...(flags.profile?.length ? { profiles: flags.profile } : {}),
    ...overrideOptions(flags),
    ...(flags['render-charts'] && { renderCharts: true }),
    ...(flags['allow-outside-project'] ? { allowOutsideProject: true } : {}),
  };
}
