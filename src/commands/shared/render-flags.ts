/** Flags and output shared by `vela dry-run` and `vela up --output`. */
import { Flags } from '../../cli/index.js';
import { formatDiagnostics, type Diagnostic } from '../../source/index.js';
import type { RenderedApp } from '../../render/types.js';
import type { DryRunOptions } from '../../pipeline/dry-run.js';

export const renderFlags = {
  file: Flags.string({ char: 'f', description: 'the Appfile, compose file or KubeVela Application (default: ./vela.yaml, vela.yml, vela.json, Appfile, then compose.yaml, docker-compose.yml…; - for stdin)' }),
  format: Flags.option({ char: 'o', description: 'manifest format', options: ['yaml', 'json'] as const, default: 'yaml' as const })(),
  output: Flags.string({ description: 'write one file per object into this folder instead of printing them' }),
  definitions: Flags.string({ description: 'also look up definitions in this folder (repeatable, searched first)', multiple: true }),
  namespace: Flags.string({ char: 'n', description: "target namespace (default: the Appfile's namespace, else default)" }),
  'cluster-version': Flags.string({ description: 'Kubernetes version the templates see as context.clusterVersion (e.g. 1.20)' }),
  profile: Flags.string({ description: 'compose files: turn on the services of this profile (repeatable; also COMPOSE_PROFILES)', multiple: true }),
};

interface RenderFlagValues {
  file?: string;
  profile?: string[];
  definitions?: string[];
  namespace?: string;
  'cluster-version'?: string;
}

export function parseClusterVersion(v: string | undefined): DryRunOptions['clusterVersion'] {
  if (v === undefined) return undefined;
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(v);
  if (!m) {
    throw Object.assign(new Error(`--cluster-version: expected MAJOR.MINOR like 1.20, got ${JSON.stringify(v)}`), { exitCode: 1, oclif: { exit: 1 } });
  }
  return { major: Number(m[1]), minor: Number(m[2]), gitVersion: `v${m[1]}.${m[2]}.${m[3] ?? '0'}` };
}

export function renderOptions(flags: RenderFlagValues): DryRunOptions {
  return {
    cwd: process.cwd(),
    file: flags.file,
    definitionDirs: flags.definitions,
    namespace: flags.namespace,
    clusterVersion: parseClusterVersion(flags['cluster-version']),
    ...(flags.profile?.length ? { profiles: flags.profile } : {}),
  };
}

type Cmd = { jsonEnabled(): boolean };

export function printWarnings(cmd: Cmd, warnings: readonly Diagnostic[], unbuilt: readonly { service: string; image: string }[]): void {
  if (cmd.jsonEnabled()) return;
  const color = process.stderr.isTTY === true && !process.env.NO_COLOR;
  if (warnings.length) process.stderr.write(formatDiagnostics(warnings, { color }) + '\n');
  for (const u of unbuilt) process.stderr.write(`note: service ${u.service} uses image ${u.image} (the tag its build would get; not built by dry-run)\n`);
}

export async function emitManifests(
  cmd: Cmd,
  rendered: RenderedApp,
  flags: { format: 'yaml' | 'json'; output?: string },
): Promise<unknown> {
  const { manifestsToYaml, manifestsToJson } = await import('../../pipeline/output.js');
  if (flags.output) {
    const { writeManifests } = await import('../../pipeline/write-manifests.js');
    const w = await writeManifests(flags.output, rendered.name, rendered.manifests, flags.format);
    if (!cmd.jsonEnabled()) {
      process.stderr.write(`wrote ${w.files.length} manifest${w.files.length === 1 ? '' : 's'} of app ${rendered.name} to ${w.dir}${w.removed.length ? ` (removed ${w.removed.length} left from an earlier run)` : ''}\n`);
    }
    return { app: rendered.name, namespace: rendered.namespace, dir: w.dir, files: w.files, removed: w.removed };
  }
  if (!cmd.jsonEnabled()) process.stdout.write(flags.format === 'json' ? manifestsToJson(rendered.manifests) : manifestsToYaml(rendered.manifests));
  return {
    app: rendered.name,
    namespace: rendered.namespace,
    manifests: rendered.manifests.map((m) => ({ object: m.object, origin: { ...m.origin, span: undefined, fields: undefined, position: m.origin.span ? positionOf(m.origin.span) : undefined } })),
  };
}

function positionOf(s: { file: { name: string; lineCol(o: number): { line: number; column: number } }; start: number }): string {
  const { line, column } = s.file.lineCol(s.start);
  return `${s.file.name}:${line}:${column}`;
}
