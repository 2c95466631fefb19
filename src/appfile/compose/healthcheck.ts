/**
 * `healthcheck` → `readinessProbe` and `livenessProbe` (the same exec probe):
 * compose restarts an unhealthy container and waits for a healthy one before
 * starting its dependants; Kubernetes needs both probes for that. Docker's
 * defaults (interval 30s, timeout 30s, retries 3) are kept, not Kubernetes'.
 */
import { didYouMean, type Span } from '../../source/index.js';
import type { JsonObject } from '../model.js';
import { describe, type LEntry } from '../yaml-tree.js';
import type { ServiceConversion } from './conversion.js';
import { healthcheckKeys } from './keys.js';
import { durationSeconds, probeSeconds } from './units.js';

export function convertHealthcheck(c: ServiceConversion): void {
  const e = c.get('healthcheck');
  if (!e) return;
  const probe = readHealthcheck(e, c);
  if (!probe) return;
  c.param('readinessProbe', probe, [...c.base, 'healthcheck'], e.keySpan);
  c.param('livenessProbe', probe, [...c.base, 'healthcheck'], e.keySpan);
}

function readHealthcheck(e: LEntry, c: ServiceConversion): JsonObject | undefined {
  const bad = (msg: string, span: Span, hint?: string) => c.error(msg, span, 'compose/healthcheck', hint, 'healthcheck');
  if (e.value.kind !== 'map') {
    bad(`healthcheck must be a map (got ${describe(e.value)})`, e.value.span);
    return undefined;
  }
  let command: string[] | undefined;
  const probe: JsonObject = { periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 3 };
  let disabled = false;
  for (const x of e.value.entries) {
    const v = x.value;
    switch (x.key) {
      case 'test': {
        if (v.kind === 'scalar' && typeof v.value === 'string') command = ['/bin/sh', '-c', v.value];
        else if (v.kind === 'seq' && v.items.every((i) => i.kind === 'scalar' && typeof i.value === 'string')) {
          const words = v.items.map((i) => String((i as { value: string }).value));
          if (words[0] === 'NONE') disabled = true;
          else if (words[0] === 'CMD' && words.length > 1) command = words.slice(1);
          else if (words[0] === 'CMD-SHELL' && words.length === 2) command = ['/bin/sh', '-c', words[1]!];
          else bad(`test must start with CMD, CMD-SHELL or NONE (got ${describe(v)})`, v.span, 'for example ["CMD", "curl", "-f", "http://localhost"] or ["CMD-SHELL", "pg_isready -U postgres"]');
        } else bad(`test must be a string or a list (got ${describe(v)})`, v.span);
        break;
      }
      case 'interval':
      case 'timeout':
      case 'start_period': {
        const secs = v.kind === 'scalar' && (typeof v.value === 'string' || typeof v.value === 'number') ? durationSeconds(v.value) : undefined;
        if (secs === undefined) {
          bad(`${x.key} must be a duration like 10s or 1m30s (got ${describe(v)})`, v.span);
          break;
        }
        if (x.key === 'interval') probe.periodSeconds = probeSeconds(secs, 1);
        else if (x.key === 'timeout') probe.timeoutSeconds = probeSeconds(secs, 1);
        else probe.initialDelaySeconds = probeSeconds(secs, 0);
        break;
      }
      case 'retries':
        if (v.kind === 'scalar' && typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= 1) probe.failureThreshold = v.value;
        else bad(`retries must be a whole number of at least 1 (got ${describe(v)})`, v.span);
        break;
      case 'disable':
        disabled = v.kind === 'scalar' && v.value === true;
        break;
      case 'start_interval':
        c.ignored('healthcheck.start_interval has no Kubernetes equivalent; ignored', x.keySpan, undefined, 'healthcheck');
        break;
      default:
        bad(`unknown key "${x.key}" in healthcheck`, x.keySpan, didYouMean(x.key, healthcheckKeys) ?? `allowed: ${healthcheckKeys.join(', ')}`);
    }
  }
  if (disabled) return undefined;
  if (!command) {
    // A healthcheck without `test` tunes the image's HEALTHCHECK, which Kubernetes does not run.
    if (e.value.entries.some((x) => x.key === 'test')) return undefined; // a bad `test` has its own error
    c.ignored("a healthcheck without `test` relies on the image's HEALTHCHECK, which Kubernetes ignores; no probe", e.keySpan);
    return undefined;
  }
  return { exec: { command }, ...probe };
}
