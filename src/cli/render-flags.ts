/** Flags shared by the commands that render an app (`vela dry-run`, `up`, `diff`) and their mapping to options. */
import type { DryRunOptions } from '../pipeline/dry-run.js';
import { DiagnosticError, error } from '../source/index.js';
import { Flags } from './oclif.js';

export const renderFlags = {
  file: Flags.string({ char: 'f', description: 'the Appfile, compose file or KubeVela Application (default: ./vela.yaml, vela.yml, vela.json, Appfile, then compose.yaml, docker-compose.yml…; - for stdin)' }),
  format: Flags.option({ char: 'o', description: 'manifest format', options: ['yaml', 'json'] as const, default: 'yaml' as const })(),
  output: Flags.string({ description: 'write one file per object into this folder instead of printing them' }),
  definitions: Flags.string({ description: 'also look up definitions in this folder (repeatable, searched first)', multiple: true }),
  namespace: Flags.string({ char: 'n', description: "target namespace (default: the Appfile's namespace, else default)" }),
  'cluster-version': Flags.string({ description: 'Kubernetes version the templates see as context.clusterVersion (e.g. 1.20)' }),
  profile: Flags.string({ description: 'compose files: turn on the services of this profile (repeatable; also COMPOSE_PROFILES)', multiple: true }),
  'allow-outside-project': Flags.boolean({ description: "compose files: let env_file and the file: of configs and secrets name files outside the compose file's folder" }),
};

export interface RenderFlagValues {
  file?: string;
  profile?: string[];
  definitions?: string[];
  namespace?: string;
  'cluster-version'?: string;
  'allow-outside-project'?: boolean;
}

export function parseClusterVersion(text: string | undefined): DryRunOptions['clusterVersion'] {
  if (text === undefined) return undefined;
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) {
    throw new DiagnosticError([error(`--cluster-version: expected MAJOR.MINOR like 1.20, got ${JSON.stringify(text)}`, undefined, { code: 'cli/usage' })]);
  }
  return { major: Number(m[1]), minor: Number(m[2]), gitVersion: `v${m[1]}.${m[2]}.${m[3] ?? '0'}` };
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
    ...(flags['allow-outside-project'] ? { allowOutsideProject: true } : {}),
  };
}
