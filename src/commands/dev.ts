import { setMaxListeners } from 'node:events';
import { BaseCommand, Flags, clusterFlags, clusterOptions, createDevFormatter, parseDuration, renderFlags, renderOptions } from '../cli/index.js';
import type { DevOptions, DevResult } from '../pipeline/dev-loop.js';

/** The flags of `vela dev`; `vela up --watch` takes the same ones (up.ts). */
export const devFlags = {
  ...renderFlags,
  'skip-build': Flags.boolean({ description: 'do not build or push images; use the tags their builds would get' }),
  push: Flags.boolean({ description: 'push built images to their registry', default: true, allowNo: true }),
  ...clusterFlags,
  'force-conflicts': Flags.boolean({ description: 'take over fields that another field manager owns' }),
  'take-over': Flags.boolean({ description: 'adopt objects that exist but are not vela\'s (refused otherwise); recorded as adopted' }),
  prune: Flags.boolean({ description: 'delete objects of the app that are no longer in the Appfile (only what vela created or adopted)', default: true, allowNo: true }),
  timeout: Flags.string({ description: 'bound on each cycle against the cluster (image builds not counted)', default: '5m' }),
  cleanup: Flags.boolean({ description: 'delete the app from the cluster when watching stops (Ctrl-C)' }),
  logs: Flags.boolean({ description: "stream the app's logs (all services, prefixed by service name)", default: true, allowNo: true }),
  debounce: Flags.string({ description: 'quiet time that ends a burst of saves before a cycle starts', default: '150ms' }),
};

type DevFlagValues = {
  [K in keyof typeof devFlags]?: unknown;
} & Parameters<typeof renderOptions>[0] &
  Parameters<typeof clusterOptions>[0] & {
    'skip-build'?: boolean;
    push?: boolean;
    'force-conflicts'?: boolean;
    'take-over'?: boolean;
    prune?: boolean;
    timeout?: string;
    cleanup?: boolean;
    logs?: boolean;
    debounce?: string;
    output?: string;
    format?: 'yaml' | 'json';
  };

/**
 * Runs the loop until Ctrl-C (which ends it normally: exit 0; a second Ctrl-C
 * exits at once), printing through the dev formatter.
 */
export async function runDevFromFlags(flags: DevFlagValues, io: { color: boolean; reporter: DevOptions['reporter'] }): Promise<DevResult> {
  const timeoutMs = parseDuration(flags.timeout ?? '5m', 'timeout');
  const debounceMs = parseDuration(flags.debounce ?? '150ms', 'debounce');
  const { runDev } = await import('../pipeline/dev-loop.js');
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  const onSigint = () => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping…\n');
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const cwd = process.cwd();
  const formatter = createDevFormatter({ color: io.color, cwd });
  try {
    return await runDev({
      ...renderOptions(flags),
      cluster: flags.output === undefined ? clusterOptions(flags, stop.signal) : undefined,
      output: flags.output === undefined ? undefined : { dir: flags.output, format: flags.format ?? 'yaml' },
      build: !flags['skip-build'],
      push: flags.push ?? true,
      force: flags['force-conflicts'],
      takeOver: flags['take-over'],
      prune: flags.prune ?? true,
      timeoutMs,
      cleanup: flags.cleanup,
      logs: flags.logs ?? true,
      debounceMs,
      reporter: io.reporter,
      signal: stop.signal,
      onEvent: (event) => {
        const out = formatter.format(event);
        if (out) (out.stream === 'stdout' ? process.stdout : process.stderr).write(out.text);
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

export default class Dev extends BaseCommand<typeof Dev> {
  static override summary = 'Deliver the app, then again on every change, streaming its logs, until Ctrl-C.';
  static override description = `Delivers once (as vela up), then watches the Appfile, the definitions folders and every build context (what .dockerignore leaves out does not count). On each change (a burst of saves is one change): only the images whose inputs changed are rebuilt, the app is rendered again, and only what changed is applied. The app's logs stream with a coloured service prefix, and each cycle prints one line. A broken Appfile mid-edit prints its error and applies nothing: the last good deployment keeps running. Ctrl-C stops watching; --cleanup then deletes the app. With --output DIR, the manifests are rewritten on each change and no cluster is used.`;
  static override examples = [
    '<%= config.bin %> dev',
    { description: 'Delete the app from the cluster when done', command: '<%= config.bin %> dev --cleanup' },
    { description: 'No cluster: keep a folder of manifests up to date', command: '<%= config.bin %> dev --output out/' },
    { description: 'The same loop from vela up', command: '<%= config.bin %> up --watch' },
  ];
  static override flags = devFlags;

  async run(): Promise<DevResult> {
    return runDevFromFlags(this.flags, { color: this.useColor(process.stderr), reporter: await this.reporter() });
  }
}
