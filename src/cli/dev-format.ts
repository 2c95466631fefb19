/**
 * What `vela dev` prints: one line per cycle (what triggered it, what was
 * rebuilt, what changed, how long it took), a broken input's diagnostics with
 * their code frames, and the app's log lines behind a coloured, padded
 * `service |` prefix (one colour per service, in order of appearance, as
 * compose does). Log lines go to stdout (they are the app's output); the rest
 * is talk, on stderr.
 */
import { relative } from 'node:path';
import type { DevEvent } from '../pipeline/dev-loop.js';
import { formatDiagnostics } from '../source/index.js';
import { classifyError } from './errors.js';

const COLOURS = [36, 33, 32, 35, 34, 91, 96, 93, 92, 95];

export interface DevFormatter {
  /** The text for an event and the stream it belongs on. */
  format(event: DevEvent): { text: string; stream: 'stdout' | 'stderr' } | undefined;
}

const seconds = (ms: number) => (ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`);

export function createDevFormatter(opts: { color: boolean; cwd: string }): DevFormatter {
  const colourOf = new Map<string, number>();
  let width = 0;
  const paint = (code: number, text: string) => (opts.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const shown = (paths: readonly string[]) => {
    const names = paths.map((path) => relative(opts.cwd, path) || '.');
    return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  };
  const why = (cycle: number, trigger: readonly string[]) => (cycle === 1 ? 'first delivery' : trigger.length ? `${shown(trigger)} changed` : 'change');
  return {
    format(event) {
      switch (event.kind) {
        case 'watching':
          return { text: `watching ${shown(event.roots)} for changes (Ctrl-C stops)\n`, stream: 'stderr' };
        case 'log': {
          const service = event.source.service;
          if (!colourOf.has(service)) colourOf.set(service, COLOURS[colourOf.size % COLOURS.length]!);
          width = Math.max(width, service.length);
          return { text: `${paint(colourOf.get(service)!, `${service.padEnd(width)} |`)} ${event.line}\n`, stream: 'stdout' };
        }
        case 'delivered': {
          const changed = event.changes.objects.map((obj) => `${obj.action} ${obj.kind} ${obj.name}`);
          const perCluster = (event.changes.clusters ?? []).map((c) => {
            const s = c.summary;
            const counts = s ? (['created', 'updated', 'adopted', 'pruned', 'released'] as const).filter((a) => s[a]).map((a) => `${s[a]} ${a}`) : [];
            return `${c.cluster}: ${counts.length ? counts.join(', ') : 'nothing changed'}${s?.unchanged ? ` (${s.unchanged} unchanged)` : ''}`;
          });
          const what = perCluster.length
            ? perCluster.join('; ')
            : event.changes.files !== undefined
              ? `${event.changes.files} files written to ${event.target}`
              : changed.length
                ? `${changed.join(', ')}${event.changes.summary.unchanged ? `; ${event.changes.summary.unchanged} unchanged` : ''}`
                : `nothing changed (${event.changes.summary.unchanged} unchanged)`;
          const built = event.rebuilt.length ? `; rebuilt ${event.rebuilt.join(', ')}${event.built.length < event.rebuilt.length ? ` (${event.rebuilt.length - event.built.length} cached)` : ''}` : '';
          const warnings = event.warnings.length ? formatDiagnostics(event.warnings, { color: opts.color }) + '\n' : '';
          return { text: `${warnings}${paint(32, '✓')} cycle ${event.cycle} (${why(event.cycle, event.trigger)}): ${what}${built} [${seconds(event.ms)}]\n`, stream: 'stderr' };
        }
        case 'invalid':
          return {
            text: `${formatDiagnostics(event.diagnostics, { color: opts.color })}\n${paint(31, '✗')} cycle ${event.cycle} (${why(event.cycle, event.trigger)}): not applied, the last good deployment keeps running; fix and save [${seconds(event.ms)}]\n`,
            stream: 'stderr',
          };
        case 'failed': {
          const failure = classifyError(event.error);
          return { text: `${formatDiagnostics(failure.diagnostics, { color: opts.color })}\n${paint(31, '✗')} cycle ${event.cycle} (${why(event.cycle, event.trigger)}): delivery failed; watching goes on [${seconds(event.ms)}]\n`, stream: 'stderr' };
        }
        case 'cleanup':
          return { text: `cleaned up: app ${event.result.app} deleted from namespace ${event.result.namespace}\n`, stream: 'stderr' };
        default: {
          const never: never = event;
          return never;
        }
      }
    },
  };
}
