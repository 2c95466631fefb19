/**
 * Variables in an Appfile (and in `--values` files), as docker compose has
 * them: `${VAR}`, `$VAR`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}`, `${VAR:+alt}` and `$$` for a literal `$`, in values only
 * (never keys, never top-level `x-` keys), from the environment first, then
 * `.env` beside the Appfile. The rules are compose's own
 * (compose/interpolate.ts), so both formats read a variable alike, and so is
 * the one deliberate difference: an unset variable without a default is an
 * error at the expression, not an empty string.
 *
 * What differs from compose is typing. A compose file is typed afterwards by
 * its schema; an Appfile is typed by YAML. So a plain (unquoted) scalar that
 * held a variable is read again as YAML reads a plain scalar
 * (`port: ${PORT:-80}` is the number 80, `debug: ${DEBUG:-false}` a boolean),
 * while a quoted or block scalar stays a string, as it would without the
 * variable. Positions stay those of the scalars as written.
 */
import { interpolateString, type Lookup } from './compose/interpolate.js';
import { parseDotenv } from './compose/dotenv.js';
import type { Diagnostic, SourceFile } from '../source/index.js';
import { plainScalar } from './plain-scalar.js';
import type { LEntry, LMap, LNode, LScalar } from './yaml-tree.js';

export type { Lookup } from './compose/interpolate.js';

export interface AppfileVariables {
  /** The process environment; it wins over `.env`, as in docker compose. */
  readonly env: Lookup;
  /** `.env` beside the Appfile, when there is one. */
  readonly dotenv?: SourceFile;
}

/** The lookup of an Appfile's variables: the environment, then `.env` (whose malformed lines are errors at their line). */
export function variableLookup(vars: AppfileVariables, diags: Diagnostic[]): Lookup {
  const fromFile = new Map<string, string>();
  if (vars.dotenv) {
    const r = parseDotenv(vars.dotenv);
    diags.push(...r.diagnostics.map(asAppfileDiagnostic));
    for (const [k, v] of r.vars) if (v !== undefined) fromFile.set(k, v);
  }
  return (name) => vars.env(name) ?? fromFile.get(name);
}

/** The tree with every string value interpolated; keys and top-level `x-` keys untouched. */
export function interpolateAppfile(root: LNode, lookup: Lookup, diags: Diagnostic[]): LNode {
  // Aliases share subtrees: interpolate each once, so an error is reported once. What holds no variable is
  // kept as it is (the same node; walking it again reports nothing), so an Appfile without variables costs no copy.
  const done = new Map<LNode, LNode>();
  const walk = (node: LNode): LNode => {
    if (node.kind === 'scalar' && !hasVariable(node)) return node;
    const seen = done.get(node);
    if (seen) return seen;
    let out: LNode;
    if (node.kind === 'scalar') out = interpolateScalar(node, lookup, diags);
    else if (node.kind === 'seq') {
      let items: LNode[] | undefined;
      for (let i = 0; i < node.items.length; i++) {
        const item = node.items[i]!;
        const next = walk(item);
        if (next !== item) (items ??= [...node.items])[i] = next;
      }
      out = items ? { ...node, items } : node;
    } else out = withValues(node, walk, false);
    if (out !== node) done.set(node, out);
    return out;
  };
  return root.kind === 'map' ? withValues(root, walk, true) : walk(root);
}

/** The map with `walk` applied to its values (not to those of `x-` keys, with `skipExtensions`); the same map when none changes. */
function withValues(map: LMap, walk: (node: LNode) => LNode, skipExtensions: boolean): LMap {
  let entries: LEntry[] | undefined;
  for (let i = 0; i < map.entries.length; i++) {
    const e = map.entries[i]!;
    if (skipExtensions && e.key.startsWith('x-')) continue;
    const next = walk(e.value);
    if (next !== e.value) (entries ??= [...map.entries])[i] = { ...e, value: next };
  }
  return entries ? { ...map, entries } : map;
}

function hasVariable(node: LScalar): boolean {
  return typeof node.value === 'string' && node.value.includes('$');
}

function interpolateScalar(node: LScalar, lookup: Lookup, diags: Diagnostic[]): LScalar {
  if (!hasVariable(node)) return node;
  const r = interpolateString(node.value as string, lookup, node.span);
  diags.push(...r.diagnostics.map(asAppfileDiagnostic));
  return { ...node, value: isPlain(node) ? plainScalar(r.value) : r.value };
}

/** Written without quotes and not as a block (`|`, `>`): YAML typed it by its text. */
function isPlain(node: LScalar): boolean {
  const first = node.span.file.text.slice(node.span.start, node.span.start + 1);
  return first !== '"' && first !== "'" && first !== '|' && first !== '>';
}

/** The interpolation rules are compose's; the codes say the Appfile. */
function asAppfileDiagnostic(d: Diagnostic): Diagnostic {
  return d.code?.startsWith('compose/') ? { ...d, code: `appfile/${d.code.slice('compose/'.length)}` } : d;
}

/**
 * A value as an Appfile must write it to mean exactly this text: every `$`
 * doubled, in strings at any depth (keys stay). `vela convert` writes values
 * that were already interpolated (a compose `$$` is one `$` by then); written
 * as they are, the Appfile would interpolate them a second time.
 */
export function escapeVariables<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$') as T;
  if (Array.isArray(value)) return value.map(escapeVariables) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeVariables(v)])) as T;
  return value;
}
