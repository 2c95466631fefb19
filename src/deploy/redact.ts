/**
 * Secret values out of what vela reports about a cluster (`vela up --plan`,
 * `vela diff`, in every output form): the field changes of a plan keep their
 * paths, but a value that is a secret is replaced by `(redacted)`, before and
 * after, as kubectl diff masks Secrets. Only the manifests themselves
 * (`vela dry-run`, `--output`) carry values, and `--show-secrets` shows them
 * to a person who asks.
 *
 * A value is a secret when it is:
 * - under a Secret's `data` or `stringData` (or its last-applied annotation,
 *   which copies them);
 * - a container's env `value` whose variable is named like a secret
 *   (`DB_PASSWORD`, `API_TOKEN`, `SIGNING_KEY`, ...);
 * - a container's env `value` equal to a value of one of the app's Secrets
 *   (it came from a secret).
 */
import type { KubeObject } from './api/index.js';
import type { FieldChange } from './apply/object-diff.js';

export const REDACTED = '(redacted)';

const SECRET_ENV_NAME = /pass(word|wd)?|secret|token|credential|private|auth|(^|[_-])keys?($|[_-])|api_?key|access_?key|dsn/i;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
/** Shorter values are too common to say they came from a secret (`1`, `on`). */
const MIN_SECRET_LENGTH = 4;

type Segment = string | number;

/** The path of object-diff.ts (`spec.containers[0].env[1].value`, `data["tls.crt"]`) as segments. */
export function parseFieldPath(path: string): Segment[] {
  const out: Segment[] = [];
  const pattern = /(?:^|\.)([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/y;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < path.length && (match = pattern.exec(path))) {
    if (match[1] !== undefined) out.push(match[1]);
    else if (match[2] !== undefined) out.push(Number(match[2]));
    else out.push(JSON.parse(match[3]!) as string);
  }
  return out;
}

function getAt(root: unknown, segments: readonly Segment[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** Every value stored in the Secrets among `objects`, decoded (what a leaked env value would equal). */
export function secretValues(objects: readonly (KubeObject | undefined)[]): Set<string> {
  const values = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) values.add(value);
  };
  for (const object of objects) {
    if (object?.kind !== 'Secret') continue;
    for (const value of Object.values((object.data ?? {}) as Record<string, unknown>)) {
      add(value);
      if (typeof value === 'string') add(Buffer.from(value, 'base64').toString('utf8'));
    }
    for (const value of Object.values((object.stringData ?? {}) as Record<string, unknown>)) add(value);
  }
  return values;
}

/** Is the leaf at `segments` of an object of this kind a secret? `context` is the whole object the leaf is in. */
function isSecretLeaf(kind: string, segments: readonly Segment[], value: unknown, context: KubeObject | undefined, known: ReadonlySet<string>): boolean {
  if (kind === 'Secret') {
    if (segments[0] === 'data' || segments[0] === 'stringData') return true;
    if (segments[0] === 'metadata' && segments[1] === 'annotations' && segments[2] === LAST_APPLIED) return true;
  }
  const last = segments.length - 1;
  // ...containers[i].env[j].value
  if (segments[last] === 'value' && typeof segments[last - 1] === 'number' && segments[last - 2] === 'env' && typeof segments[last - 3] === 'number' && CONTAINER_LISTS.has(String(segments[last - 4]))) {
    const name = (getAt(context, segments.slice(0, last)) as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string' && SECRET_ENV_NAME.test(name)) return true;
    if (typeof value === 'string' && known.has(value)) return true;
  }
  return false;
}

function redactValue(kind: string, segments: Segment[], value: unknown, context: KubeObject | undefined, known: ReadonlySet<string>): unknown {
  if (value !== null && typeof value === 'object') {
    if (Array.isArray(value)) return value.map((item, index) => redactValue(kind, [...segments, index], item, context, known));
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(kind, [...segments, key], item, context, known)]));
  }
  return value !== undefined && isSecretLeaf(kind, segments, value, context, known) ? REDACTED : value;
}

/**
 * The changes with every secret value (before and after) replaced by
 * `(redacted)`. `before` and `after` are the whole objects the changes were
 * found between; `known` the app's secret values (secretValues).
 */
export function redactChanges(kind: string, changes: readonly FieldChange[], objects: { before?: KubeObject; after?: KubeObject }, known: ReadonlySet<string>): FieldChange[] {
  return changes.map((change) => {
    const segments = parseFieldPath(change.path);
    const before = redactValue(kind, segments, change.before, objects.before, known);
    const after = redactValue(kind, segments, change.after, objects.after, known);
    return { path: change.path, ...(before !== undefined && { before }), ...(after !== undefined && { after }) };
  });
}
