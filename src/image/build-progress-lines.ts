/**
 * Build progress as plain lines: one line per event, prefixed with the service
 * name, so concurrent builds stay readable in CI logs. The CLI's display
 * (spinners on a TTY) lives in src/cli; this one is what tests and the bench use.
 */
import type { BuildEvent, BuildReporter } from './types.js';

/** Push progress statuses worth a line (not every `Pushing [==>  ]` tick). */
const LAYER_MILESTONES = /^(Pushed|Layer already exists|Mounted from|Preparing$|Waiting$)/;

export function formatBuildEvent(e: BuildEvent): string | undefined {
  const p = `[${e.service}] `;
  switch (e.kind) {
    case 'start':
      return `${p}building ${e.ref} (context ${formatBytes(e.contextBytes)})`;
    case 'cached':
      return `${p}${e.ref} is up to date (no changes since it was built)`;
    case 'step':
      return `${p}${e.step}`;
    case 'output':
      return `${p}  ${e.line}`;
    case 'built':
      return `${p}built ${e.ref}`;
    case 'push-start':
      return `${p}pushing ${e.ref}`;
    case 'push-skipped':
      return `${p}registry already has ${e.ref}: not pushed again`;
    case 'layer':
      return LAYER_MILESTONES.test(e.status) ? `${p}  ${e.id}: ${e.status}` : undefined;
    case 'pushed':
      return `${p}pushed ${e.ref}${e.digest ? `@${e.digest}` : ''}`;
    case 'done':
      return undefined;
    case 'failed':
      return `${p}failed`;
    default: {
      const never: never = e;
      return never;
    }
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function createLineReporter(write: (line: string) => void = (l) => process.stderr.write(l + '\n')): BuildReporter {
  return {
    event(e) {
      const line = formatBuildEvent(e);
      if (line !== undefined) write(line);
    },
  };
}
