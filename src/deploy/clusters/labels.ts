/**
 * Cluster labels as `vela cluster join --labels` and `vela cluster labels`
 * take them: `k=v,k2=v2`, each key and value valid as a Kubernetes label
 * (an optional DNS-subdomain prefix and `/`, then at most 63 characters of
 * letters, digits, `-`, `_` and `.`, starting and ending with a letter or
 * digit; a value may be empty). Topology policies select clusters by them.
 */
import { DiagnosticError, error } from '../../source/index.js';

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a label key, or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !PREFIX.test(prefix))) return `the prefix "${prefix}" must be a DNS subdomain`;
  if (!NAME.test(name)) return 'must be at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  return undefined;
}

/** Why `value` is not a label value, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  return value === '' || NAME.test(value) ? undefined : 'must be empty or at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
}

const bad = (message: string, flag: string) => new DiagnosticError([error(message, undefined, { code: 'cluster/labels', hint: `for example \`${flag} region=eu,provider=aws\`` })]);

/** `k=v,k2=v2` (several arguments are joined) → labels; a malformed one is a user error. */
export function parseLabels(specs: readonly string[], flag = '--labels'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of specs.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw bad(`label "${part}" must be KEY=VALUE`, flag);
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem) throw bad(`label ${part}: ${labelKeyProblem(key) ? 'the key' : 'the value'} ${problem}`, flag);
    out[key] = value;
  }
  return out;
}

/** Label keys to remove: `k` or `k=v` (the value is not checked). */
export function parseLabelKeys(specs: readonly string[]): string[] {
  return specs.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean).map((s) => (s.includes('=') ? s.slice(0, s.indexOf('=')) : s));
}

export function formatLabels(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(',');
}
