/**
 * Plugs build progress into the host Reporter (src/host/progress.ts): one task
 * per service, so the CLI shows a spinner per service on a TTY and prefixed
 * lines in CI without knowing about Docker.
 */
import type { Reporter, TaskReporter } from '../host/index.js';
import { formatBytes } from './build-progress-lines.js';
import type { BuildReporter } from './types.js';

export function buildReporterFor(reporter: Reporter): BuildReporter {
  const tasks = new Map<string, TaskReporter>();
  const task = (service: string, title: string) => {
    let t = tasks.get(service);
    if (!t) {
      t = reporter.task(service, title);
      tasks.set(service, t);
    }
    return t;
  };
  return {
    event(e) {
      switch (e.kind) {
        case 'start':
          task(e.service, `building ${e.ref} (context ${formatBytes(e.contextBytes)})`);
          return;
        case 'cached':
          task(e.service, `${e.ref} is up to date`);
          return;
        case 'step':
          if (e.index !== undefined && e.total !== undefined) task(e.service, 'building').step(e.index, e.total, e.step.replace(/^Step \d+\/\d+ : /, ''));
          else task(e.service, 'building').update(e.step);
          return;
        case 'output':
          task(e.service, 'building').update(e.line);
          return;
        case 'built':
          task(e.service, 'building').update(`built ${e.ref}`);
          return;
        case 'push-start':
          task(e.service, `pushing ${e.ref}`).update(`pushing ${e.ref}`);
          return;
        case 'push-skipped':
          task(e.service, e.ref).update(`registry already has ${e.ref}`);
          return;
        case 'layer': {
          const pct = e.current !== undefined && e.total ? ` ${Math.floor((100 * e.current) / e.total)}%` : '';
          task(e.service, 'pushing').update(`layer ${e.id}: ${e.status}${pct}`);
          return;
        }
        case 'pushed':
          task(e.service, 'pushing').update(`pushed ${e.ref}`);
          return;
        case 'done': {
          const r = e.result;
          const what = r.built ? (r.pushed ? 'built and pushed' : 'built') : r.pushed ? 'pushed' : 'up to date';
          task(e.service, r.ref).succeed(`${r.ref} (${what})`);
          return;
        }
        case 'failed':
          task(e.service, 'build').fail(e.diagnostics[0]?.message);
          return;
        default: {
          const never: never = e;
          return never;
        }
      }
    },
  };
}
