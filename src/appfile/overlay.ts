/**
 * Overrides from the command line, so a pipeline changes an Appfile without
 * editing it: `--values FILE` (a file shaped like the Appfile, merged onto
 * it), `--set PATH=VALUE` (typed as YAML types a plain scalar, or a flow
 * `[...]`/`{...}`), `--set-string PATH=VALUE` (always a string) and
 * `--set-file PATH=FILE` (the file's text as a string). Applied in that order,
 * each flag in the order given, to the located tree before the Appfile is
 * read, so every later error points into the file or the flag that gave the
 * value: a value from `--values` at its line there, one from `--set` at its
 * column in the flag (shown as `--set:1:COL`).
 *
 * Merging (as Helm and JSON merge patch do): maps merge key by key, anything
 * else replaces, and `null` removes a key; keys keep their place in the
 * Appfile, new ones come after. PATH is keys separated by dots, with `[N]` for
 * a list item (`services.web.ports[0].port`); `\` makes the next character
 * part of a key (`labels.app\.kubernetes\.io/name`). A missing map on the way
 * is created; an index may be at most the list's length (appending).
 */
import { error, SourceFile, type Diagnostic, type Span } from '../source/index.js';
import type { Lookup } from './compose/interpolate.js';
import { formatDocPath } from './doc-path.js';
import { plainScalar } from './plain-scalar.js';
import { interpolateAppfile } from './variables.js';
import { describe, parseYamlTree, type LEntry, type LMap, type LNode, type LSeq, type YamlLimits } from './yaml-tree.js';

export type Overlay =
  /** `--values FILE`: the file's text, named as shown to the user. */
  | { readonly kind: 'values'; readonly file: SourceFile }
  /** `--set PATH=VALUE`, or with `asString` `--set-string PATH=VALUE`. */
  | { readonly kind: 'set'; readonly arg: string; readonly asString?: boolean }
  /** `--set-file PATH=FILE`: `content` is FILE's text, named as shown to the user. */
  | { readonly kind: 'set-file'; readonly arg: string; readonly content: SourceFile };

export interface OverlayOptions {
  /** Variables for `--values` files (interpolated like the Appfile); none: taken as written. */
  readonly lookup?: Lookup;
  readonly limits?: Partial<YamlLimits>;
}

/** The flag as the user typed it, the name of its positions in messages. */
export function overlayFlag(o: Overlay): string {
  return o.kind === 'values' ? '--values' : o.kind === 'set-file' ? '--set-file' : o.asString ? '--set-string' : '--set';
}

/** The Appfile's tree with every overlay applied in order; a broken overlay is reported and left out. */
export function applyOverlays(root: LMap, overlays: readonly Overlay[], diags: Diagnostic[], opts: OverlayOptions = {}): LNode {
  let out: LNode = root;
  for (const o of overlays) {
    if (o.kind === 'values') {
      const values = readValuesFile(o.file, diags, opts);
      if (values) out = mergeTrees(out, values);
      continue;
    }
    const set = readSetFlag(o, diags);
    // Removing what is not there changes nothing (and creates no empty maps on the way).
    if (!set || (set.value === undefined && !hasPath(out, set.path))) continue;
    try {
      out = setAt(out, set.path, 0, set.value);
    } catch (e) {
      if (!(e instanceof SetProblem)) throw e;
      diags.push(error(e.message, e.span, { code: 'appfile/overlay', ...(e.hint ? { hint: e.hint } : {}) }));
    }
  }
  return out;
}

function readValuesFile(file: SourceFile, diags: Diagnostic[], opts: OverlayOptions): LMap | undefined {
  const tree = parseYamlTree(file, opts.limits ?? {});
  // An empty values file changes nothing, as in Helm.
  const problems = tree.diagnostics.filter((d) => d.code !== 'appfile/empty');
  diags.push(...problems);
  if (!tree.root || problems.some((d) => d.severity === 'error')) return undefined;
  if (tree.root.kind !== 'map') {
    diags.push(
      error(`a values file is a map shaped like the Appfile (got ${describe(tree.root)})`, tree.root.span, {
        code: 'appfile/overlay',
        hint: 'for example `services: {web: {image: repo/web:1.2}}`',
      }),
    );
    return undefined;
  }
  if (!opts.lookup) return tree.root;
  const before = diags.length;
  const root = interpolateAppfile(tree.root, opts.lookup, diags);
  return diags.slice(before).some((d) => d.severity === 'error') ? undefined : (root as LMap);
}

/** `over` onto `base`: maps merge key by key, `null` removes a key, anything else replaces. */
export function mergeTrees(base: LNode, over: LNode): LNode {
  if (base.kind !== 'map' || over.kind !== 'map') return over;
  const overByKey = new Map(over.entries.map((e) => [e.key, e]));
  const entries: LEntry[] = [];
  for (const e of base.entries) {
    const o = overByKey.get(e.key);
    if (!o) entries.push(e);
    else if (!isNull(o.value)) entries.push({ key: e.key, keySpan: e.keySpan, value: mergeTrees(e.value, o.value) });
  }
  const baseKeys = new Set(base.entries.map((e) => e.key));
  for (const o of over.entries) if (!baseKeys.has(o.key) && !isNull(o.value)) entries.push(o);
  return mapNode(entries, base.span);
}

// ---------------------------------------------------------------------------
// --set, --set-string, --set-file

interface Segment {
  readonly key: string | number;
  readonly span: Span;
}

interface SetFlag {
  readonly path: readonly Segment[];
  /** Undefined: remove the key (`--set PATH=null`). */
  readonly value: LNode | undefined;
}

class SetProblem extends Error {
  constructor(
    message: string,
    readonly span: Span,
    readonly hint?: string,
  ) {
    super(message);
  }
}

function readSetFlag(o: Exclude<Overlay, { kind: 'values' }>, diags: Diagnostic[]): SetFlag | undefined {
  const flag = overlayFlag(o);
  const file = new SourceFile(flag, o.arg);
  const parsed = parsePath(file);
  if ('problem' in parsed) {
    diags.push(error(parsed.problem, parsed.span, { code: 'appfile/overlay', hint: `write ${flag} PATH=${o.kind === 'set-file' ? 'FILE' : 'VALUE'}, e.g. ${flag} services.web.image=${o.kind === 'set-file' ? 'image.txt' : 'repo/web:1.2'}` }));
    return undefined;
  }
  const valueSpan: Span = { file, start: parsed.valueStart, end: o.arg.length };
  if (o.kind === 'set-file') return { path: parsed.path, value: scalarNode(o.content.text, { file: o.content, start: 0, end: o.content.text.length }) };
  const text = o.arg.slice(parsed.valueStart);
  if (o.asString) return { path: parsed.path, value: scalarNode(text, valueSpan) };
  if (text.startsWith('[') || text.startsWith('{')) {
    const value = readFlowValue(file, parsed.valueStart, diags);
    return value ? { path: parsed.path, value } : undefined;
  }
  const scalar = plainScalar(text);
  return { path: parsed.path, value: scalar === null ? undefined : scalarNode(scalar, valueSpan) };
}

/**
 * A flow collection (`[{port: 80}]`) parsed as YAML. The text is parsed with
 * the PATH= part blanked out, so offsets match the flag's, then every span is
 * moved onto the flag's own file: messages show the flag as typed.
 */
function readFlowValue(file: SourceFile, valueStart: number, diags: Diagnostic[]): LNode | undefined {
  const padded = new SourceFile(file.name, ' '.repeat(valueStart) + file.text.slice(valueStart));
  const tree = parseYamlTree(padded);
  const move = (s: Span): Span => ({ file, start: s.start, end: s.end });
  diags.push(...tree.diagnostics.map((d) => ({ ...d, ...(d.span ? { span: move(d.span) } : {}), code: d.code ?? 'appfile/overlay' })));
  if (!tree.root || tree.diagnostics.some((d) => d.severity === 'error')) return undefined;
  return respan(tree.root, move);
}

function respan(node: LNode, move: (s: Span) => Span): LNode {
  if (node.kind === 'scalar') return { ...node, span: move(node.span) };
  if (node.kind === 'seq') return { ...node, span: move(node.span), items: node.items.map((n) => respan(n, move)) };
  return { ...node, span: move(node.span), entries: node.entries.map((e) => ({ key: e.key, keySpan: move(e.keySpan), value: respan(e.value, move) })) };
}

/** The VALUE of `PATH=VALUE` (the FILE of `--set-file PATH=FILE`), or undefined when the flag is malformed. */
export function overlayValue(arg: string): string | undefined {
  const parsed = parsePath(new SourceFile('--set', arg));
  return 'problem' in parsed ? undefined : arg.slice(parsed.valueStart);
}

/** `a.b[0].c\.d=VALUE` → the segments with their spans, and where VALUE starts. */
function parsePath(file: SourceFile): { path: Segment[]; valueStart: number } | { problem: string; span: Span } {
  const text = file.text;
  const path: Segment[] = [];
  const at = (start: number, end = start + 1): Span => ({ file, start, end: Math.min(Math.max(end, start), text.length) });
  let i = 0;
  for (;;) {
    // A key: up to `.`, `[` or `=`; `\` takes the next character as it is.
    const start = i;
    let key = '';
    while (i < text.length && text[i] !== '.' && text[i] !== '[' && text[i] !== '=') {
      if (text[i] === '\\' && i + 1 < text.length) i++;
      key += text[i];
      i++;
    }
    if (key === '') {
      if (i >= text.length) return { problem: `expected PATH=VALUE, got ${JSON.stringify(text)}`, span: at(0, text.length) };
      return { problem: path.length === 0 ? 'the path is empty' : 'a key in the path is empty', span: at(i) };
    }
    path.push({ key, span: at(start, i) });
    // Any number of `[N]` after a key.
    while (text[i] === '[') {
      const close = text.indexOf(']', i);
      const digits = close < 0 ? '' : text.slice(i + 1, close);
      if (!/^\d+$/.test(digits)) return { problem: 'a list index is a number in brackets, e.g. ports[0]', span: at(i, close < 0 ? text.length : close + 1) };
      path.push({ key: Number(digits), span: at(i, close + 1) });
      i = close + 1;
    }
    if (i >= text.length) return { problem: `expected PATH=VALUE, got ${JSON.stringify(text)}`, span: at(0, text.length) };
    if (text[i] === '=') return { path, valueStart: i + 1 };
    if (text[i] !== '.') return { problem: `unexpected ${JSON.stringify(text[i])} after a list index`, span: at(i) };
    i++;
  }
}

/** `node` with `value` at `path[index..]`; maps and lists on the way are created when absent. */
function setAt(node: LNode | undefined, path: readonly Segment[], index: number, value: LNode | undefined): LNode {
  const seg = path[index]!;
  const last = index === path.length - 1;
  const where = index === 0 ? 'the Appfile' : formatDocPath(path.slice(0, index).map((s) => s.key));
  if (typeof seg.key === 'string') {
    if (node && node.kind !== 'map' && !isNull(node)) {
      throw new SetProblem(`${where} is ${describe(node)}, not a map: it has no key "${seg.key}"`, seg.span);
    }
    const entries = node?.kind === 'map' ? [...node.entries] : [];
    const found = entries.findIndex((e) => e.key === seg.key);
    if (last && value === undefined) {
      if (found >= 0) entries.splice(found, 1);
    } else {
      const old = found >= 0 ? entries[found] : undefined;
      const entry: LEntry = { key: seg.key, keySpan: old?.keySpan ?? seg.span, value: last ? value! : setAt(old?.value, path, index + 1, value) };
      if (old) entries[found] = entry;
      else entries.push(entry);
    }
    return mapNode(entries, node?.kind === 'map' ? node.span : seg.span);
  }
  if (node && node.kind !== 'seq' && !isNull(node)) {
    throw new SetProblem(`${where} is ${describe(node)}, not a list: it has no item [${seg.key}]`, seg.span);
  }
  const items = node?.kind === 'seq' ? [...node.items] : [];
  if (seg.key > items.length) {
    throw new SetProblem(`${where} has ${items.length} item${items.length === 1 ? '' : 's'}: [${seg.key}] is past its end`, seg.span, `set [${items.length}] to add an item`);
  }
  if (last && value === undefined) {
    if (seg.key < items.length) items.splice(seg.key, 1);
  } else {
    items[seg.key] = last ? value! : setAt(items[seg.key], path, index + 1, value);
  }
  const list: LSeq = { kind: 'seq', items, span: node?.kind === 'seq' ? node.span : seg.span, size: 1 + sizeOf(items) };
  return list;
}

function hasPath(root: LNode, path: readonly Segment[]): boolean {
  let node: LNode | undefined = root;
  for (const seg of path) {
    if (typeof seg.key === 'string') node = node?.kind === 'map' ? node.entries.find((e) => e.key === seg.key)?.value : undefined;
    else node = node?.kind === 'seq' ? node.items[seg.key] : undefined;
    if (!node) return false;
  }
  return true;
}

function scalarNode(value: string | number | boolean, span: Span): LNode {
  return { kind: 'scalar', value, span, size: 1 };
}

function mapNode(entries: LEntry[], span: Span): LMap {
  return { kind: 'map', entries, span, size: 1 + sizeOf(entries.map((e) => e.value)) };
}

function isNull(n: LNode): boolean {
  return n.kind === 'scalar' && n.value === null;
}

function sizeOf(nodes: readonly LNode[]): number {
  let total = 0;
  for (const n of nodes) total += n.size;
  return total;
}
