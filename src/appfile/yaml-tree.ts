/**
 * YAML text → a located tree: every map, list and scalar keeps its span, and
 * every map entry the span of its key. Later stages read this tree, never the
 * `yaml` package's nodes, so the safety rules live in one place:
 * - a file over the size limit is refused before it is parsed;
 * - one document only;
 * - duplicate keys are errors showing both positions (the package's own check
 *   would only show the second);
 * - aliases are expanded by us, with a budget, so a "billion laughs" file is an
 *   error instead of a hang (converted subtrees are shared, never copied, so
 *   even the refused file costs little memory);
 * - `<<` merge keys work as in docker compose files;
 * - nesting is bounded (maxDepth), checked without recursion, so a deeply
 *   nested file is an error at its line instead of a stack overflow here or
 *   in any later stage that walks the tree.
 */
import { explainIndentation } from './indentation.js';
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import { error, warning, type Diagnostic, type SourceFile, type Span } from '../source/index.js';
import { formatDocPath } from './doc-path.js';
import { fastYamlTree } from './yaml-fast-tree.js';
import type { DocPath, JsonObject, JsonValue } from './model.js';

export type Scalar = string | number | boolean | null;

export type LNode = LScalar | LMap | LSeq;

export interface LScalar {
  readonly kind: 'scalar';
  readonly value: Scalar;
  readonly span: Span;
  /** Node count once aliases are expanded (1 for a scalar). */
  readonly size: number;
}

export interface LEntry {
  readonly key: string;
  readonly keySpan: Span;
  readonly value: LNode;
}

export interface LMap {
  readonly kind: 'map';
  readonly entries: readonly LEntry[];
  readonly span: Span;
  readonly size: number;
}

export interface LSeq {
  readonly kind: 'seq';
  readonly items: readonly LNode[];
  readonly span: Span;
  readonly size: number;
}

export interface YamlLimits {
  /** Refuse files larger than this many bytes (UTF-8). */
  maxBytes: number;
  /** How many times aliases may be used in one file. */
  maxAliasCount: number;
  /** How many nodes alias expansion may add in total. */
  maxAliasNodes: number;
  /** How deep maps and lists may nest. */
  maxDepth: number;
}

/** 64 levels: a Kubernetes object nests about 15 deep; 64 leaves room and stays far from the stack's limit. */
export const defaultYamlLimits: YamlLimits = { maxBytes: 1024 * 1024, maxAliasCount: 1000, maxAliasNodes: 10_000, maxDepth: 64 };

export interface ParsedYaml {
  /** Undefined when the file could not be read as one YAML document. */
  readonly root?: LNode;
  readonly diagnostics: Diagnostic[];
}

/** Parses of a file by its limits: detecting a file's format and reading it parse it once. */
const parsed = new WeakMap<SourceFile, Map<string, ParsedYaml>>();

export function parseYamlTree(file: SourceFile, limits: Partial<YamlLimits> = {}): ParsedYaml {
  const key = JSON.stringify(limits);
  let byLimits = parsed.get(file);
  const hit = byLimits?.get(key);
  if (hit) return hit;
  const r = parseYamlTreeUncached(file, limits);
  if (!byLimits) parsed.set(file, (byLimits = new Map()));
  byLimits.set(key, r);
  return r;
}

function parseYamlTreeUncached(file: SourceFile, limits: Partial<YamlLimits>): ParsedYaml {
  const lim = { ...defaultYamlLimits, ...limits };
  const diagnostics: Diagnostic[] = [];
  const bytes = utf8Length(file.text, lim.maxBytes);
  if (bytes > lim.maxBytes) {
    diagnostics.push(
      error(`${file.name} is too large (${formatBytes(bytes)}; the limit is ${formatBytes(lim.maxBytes)})`, undefined, {
        code: 'appfile/too-large',
        hint: 'an Appfile this large is almost certainly not one; check the file name',
      }),
    );
    return { diagnostics };
  }
  // A large generated file is nearly always of the plainest YAML, which is read directly.
  const fast = fastYamlTree(file, lim.maxDepth);
  if (fast) return { root: fast, diagnostics };
  return packageYamlTree(file, lim);
}

/** The tree as the `yaml` package reads it, with every check and message (what `fastYamlTree` must equal). */
export function packageYamlTree(file: SourceFile, lim: YamlLimits): ParsedYaml {
  const diagnostics: Diagnostic[] = [];
  // No `keepSourceTokens`: nothing reads the tokens, and keeping them made the parse of a large file about a third slower.
  const docs = parseAllDocuments(file.text, {
    // We check duplicates ourselves, to show both positions.
    uniqueKeys: false,
    prettyErrors: false,
    merge: true,
  });
  // A trailing `---` leaves an empty document behind; that is not a second Appfile.
  const isEmpty = (d: (typeof docs)[number]) =>
    d.errors.length === 0 && (d.contents === null || (isScalar(d.contents) && d.contents.value === null && d.contents.range[0] === d.contents.range[1]));
  const nonEmpty = docs.filter((d) => !isEmpty(d));
  const at = (start: number, end = start) => ({ file, start, end });
  if (nonEmpty.length > 1) {
    const second = nonEmpty[1]!;
    const start = second.range[0];
    diagnostics.push(
      error(`${file.name} holds more than one YAML document`, at(start, start + 3), {
        code: 'appfile/multiple-documents',
        hint: 'an Appfile is a single document: remove the `---` separator and what follows, or split it into two files',
      }),
    );
    return { diagnostics };
  }
  const doc = nonEmpty[0];
  if (!doc || isEmpty(doc)) {
    diagnostics.push(
      error(`${file.name} is empty`, undefined, { code: 'appfile/empty', hint: 'an Appfile needs at least `name:` and `services:`' }),
    );
    return { diagnostics };
  }
  // The package reports its own stack overflow as an error at the position it reached, once per
  // stage that overflowed (how many depends on the stack's size): one diagnostic says it, at the first.
  const overflow = doc.errors.find((e) => /call stack/i.test(e.message));
  if (overflow) return { diagnostics: [tooDeep(lim.maxDepth, at(overflow.pos[0], overflow.pos[1]))] };
  for (const e of doc.errors) {
    diagnostics.push(error(cleanYamlMessage(e.message), at(e.pos[0], e.pos[1]), { code: `yaml/${e.code.toLowerCase()}` }));
  }
  for (const w of doc.warnings) {
    diagnostics.push(warning(cleanYamlMessage(w.message), at(w.pos[0], w.pos[1]), { code: `yaml/${w.code.toLowerCase()}` }));
  }
  if (doc.errors.length > 0) {
    // An indentation mistake: one message in plain words at the line indented wrong, instead of the parser's.
    const plain = explainIndentation(file, diagnostics);
    return { diagnostics: plain ? [plain, ...diagnostics.filter((d) => d.severity !== 'error')] : diagnostics };
  }
  const deep = firstTooDeep(doc.contents as YamlNode | null, lim.maxDepth);
  if (deep) {
    diagnostics.push(tooDeep(lim.maxDepth, at(deep.range?.[0] ?? 0, deep.range?.[1] ?? 0)));
    return { diagnostics };
  }

  const builder = new TreeBuilder(file, doc, lim, diagnostics);
  const root = builder.build();
  // Errors found while building (duplicate keys, unknown aliases) leave a usable tree: later checks still run.
  return root ? { root, diagnostics } : { diagnostics };
}

function tooDeep(max: number, span: Span): Diagnostic {
  return error(`maps and lists nest deeper than ${max} levels here`, span, {
    code: 'appfile/too-deep',
    hint: 'no Appfile, compose file or Kubernetes object needs this; check how the file was generated',
  });
}

/** The first map or list nested deeper than `max`, found with an explicit stack (no recursion to overflow). */
function firstTooDeep(root: YamlNode | null, max: number): YamlNode | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (isSeq(node) || isMap(node)) {
      if (depth >= max) return node;
      for (const it of node.items) {
        if (isPair(it)) {
          stack.push({ node: it.value, depth: depth + 1 });
          stack.push({ node: it.key, depth: depth + 1 });
        } else stack.push({ node: it, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

class TooManyAliases extends Error {}

class TreeBuilder {
  /** Anchors defined so far, in document order (the last definition wins, as in YAML). */
  private readonly anchors = new Map<string, YamlNode>();
  /** Converted nodes, so an alias shares its target's subtree instead of copying it. */
  private readonly memo = new Map<YamlNode, LNode>();
  private aliasUses = 0;
  private aliasNodes = 0;

  constructor(
    private readonly file: SourceFile,
    private readonly doc: Document.Parsed,
    private readonly lim: YamlLimits,
    private readonly diagnostics: Diagnostic[],
  ) {}

  build(): LNode | undefined {
    try {
      return this.node(this.doc.contents as YamlNode, []);
    } catch (e) {
      if (e instanceof TooManyAliases) return undefined;
      throw e;
    }
  }

  private span(n: { range?: [number, number, number] | null } | null | undefined, fallback = 0): Span {
    const r = n?.range;
    return r ? { file: this.file, start: r[0], end: r[1] } : { file: this.file, start: fallback, end: fallback };
  }

  private node(n: YamlNode | null | undefined, path: DocPath, fallbackOffset = 0): LNode {
    if (n === null || n === undefined) {
      return { kind: 'scalar', value: null, span: this.span(undefined, fallbackOffset), size: 1 };
    }
    const memo = this.memo.get(n);
    if (memo) return memo;
    const out = this.convert(n, path, fallbackOffset);
    this.memo.set(n, out);
    // Registered after conversion: an alias inside its own anchor is an error, not a loop.
    if (!isAlias(n) && n.anchor) this.anchors.set(n.anchor, n);
    return out;
  }

  private convert(n: YamlNode, path: DocPath, fallbackOffset: number): LNode {
    if (isAlias(n)) return this.alias(n.source, this.span(n, fallbackOffset), path);
    if (isScalar(n)) return this.scalar(n.value, this.span(n, fallbackOffset));
    if (isSeq(n)) {
      const items = n.items.map((it, i) => this.node(it as YamlNode, [...path, i]));
      return { kind: 'seq', items, span: this.span(n, fallbackOffset), size: 1 + sum(items) };
    }
    if (isMap(n)) return this.map(n.items, this.span(n, fallbackOffset), path);
    this.diagnostics.push(error('unsupported YAML node', this.span(n, fallbackOffset), { code: 'appfile/yaml' }));
    return { kind: 'scalar', value: null, span: this.span(n, fallbackOffset), size: 1 };
  }

  private alias(name: string, at: Span, path: DocPath): LNode {
    const target = this.anchors.get(name);
    if (!target) {
      this.diagnostics.push(
        error(`unknown alias *${name}`, at, { code: 'appfile/unknown-alias', hint: `define the anchor &${name} before it is used` }),
      );
      return { kind: 'scalar', value: null, span: at, size: 1 };
    }
    const value = this.node(target, path);
    this.aliasUses++;
    this.aliasNodes += value.size;
    if (this.aliasUses > this.lim.maxAliasCount || this.aliasNodes > this.lim.maxAliasNodes) {
      const why =
        this.aliasUses > this.lim.maxAliasCount
          ? `more than ${this.lim.maxAliasCount} aliases are used`
          : `expanding the aliases would create more than ${this.lim.maxAliasNodes} nodes`;
      this.diagnostics.push(
        error(`too many aliases: ${why}`, at, {
          code: 'appfile/alias-limit',
          hint: 'vela refuses deeply nested aliases (a "billion laughs" file); write the values out instead',
        }),
      );
      throw new TooManyAliases();
    }
    return value;
  }

  private scalar(value: unknown, at: Span): LScalar {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return { kind: 'scalar', value, span: at, size: 1 };
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        this.diagnostics.push(error('numbers must be finite (.inf and .nan are not allowed)', at, { code: 'appfile/yaml' }));
        return { kind: 'scalar', value: null, span: at, size: 1 };
      }
      return { kind: 'scalar', value, span: at, size: 1 };
    }
    if (typeof value === 'bigint') return { kind: 'scalar', value: Number(value), span: at, size: 1 };
    // Tags such as !!binary or !!timestamp give other values; an Appfile has no use for them.
    this.diagnostics.push(
      error('unsupported YAML value', at, { code: 'appfile/yaml', hint: 'use a plain string, number, boolean or null' }),
    );
    return { kind: 'scalar', value: null, span: at, size: 1 };
  }

  private map(items: readonly unknown[], at: Span, path: DocPath): LMap {
    const entries: LEntry[] = [];
    const seen = new Map<string, LEntry>();
    const merged: LEntry[] = [];
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const k = pair.key as YamlNode | null;
      const keySpan = this.span(k, at.start);
      const keyName = isScalar(k) && typeof k.value !== 'symbol' ? String(k.value) : '<<';
      const value = this.node(pair.value as YamlNode | null, [...path, keyName], keySpan.end);
      if (isScalar(k) && typeof k.value === 'symbol') {
        // `<<: *base` or `<<: [*a, *b]`: keys given explicitly win, then the earlier sources.
        const sources = value.kind === 'seq' ? value.items : [value];
        for (const s of sources) {
          if (s.kind !== 'map') {
            this.diagnostics.push(error('a merge key (<<) takes a map or a list of maps', s.span, { code: 'appfile/yaml' }));
            continue;
          }
          merged.push(...s.entries);
        }
        continue;
      }
      const key = this.keyText(k, keySpan);
      if (key === undefined) continue;
      const prev = seen.get(key);
      if (prev) {
        this.diagnostics.push(
          error(`duplicate key "${key}"`, keySpan, {
            code: 'appfile/duplicate-key',
            ...(path.length > 0 ? { path: formatDocPath(path) } : {}),
            hint: `"${key}" is already set at line ${this.file.lineCol(prev.keySpan.start).line}; keep one of them`,
            related: [prev.keySpan],
          }),
        );
        continue;
      }
      const entry = { key, keySpan, value };
      seen.set(key, entry);
      entries.push(entry);
    }
    for (const e of merged) {
      if (seen.has(e.key)) continue;
      seen.set(e.key, e);
      entries.push(e);
    }
    return { kind: 'map', entries, span: at, size: 1 + sum(entries.map((e) => e.value)) };
  }

  private keyText(k: YamlNode | null, at: Span): string | undefined {
    if (isScalar(k) && (typeof k.value === 'string' || typeof k.value === 'number' || typeof k.value === 'boolean')) {
      // A number or boolean key is what its text says (`8080: x` is the key "8080").
      return typeof k.value === 'string' ? k.value : (k.source ?? String(k.value));
    }
    this.diagnostics.push(
      error(k === null || (isScalar(k) && k.value === null) ? 'a map key is missing' : 'map keys must be plain strings', at, {
        code: 'appfile/bad-key',
      }),
    );
    return undefined;
  }
}

function sum(nodes: readonly LNode[]): number {
  let s = 0;
  for (const n of nodes) s += n.size;
  return s;
}

/** The `yaml` package appends positions to some messages; ours come from the span. */
function cleanYamlMessage(m: string): string {
  return m.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, '').replace(/\.$/, '');
}

/** UTF-8 length of a string, giving up early once past `limit`. */
function utf8Length(s: string, limit: number): number {
  if (s.length * 3 <= limit) return s.length; // cannot be over the limit; the exact count does not matter
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/**
 * A map for keys the user wrote: nothing to inherit, so `__proto__`,
 * `constructor` or `toString` are keys like any other, never Object's own
 * members. Made by a constructor whose prototype is an empty object without
 * a prototype, not by `Object.create(null)`: V8 keeps an object made that way
 * as a hash table, slow to fill and to read for every service's parameters.
 */
export function userMap<T = JsonValue>(): Record<string, T> {
  return new (UserMap as unknown as new () => Record<string, T>)();
}

function UserMap(): void {}
UserMap.prototype = Object.create(null) as object;

/** The plain JSON value of a located node; its maps have no prototype (userMap). */
export function toJson(n: LNode): JsonValue {
  switch (n.kind) {
    case 'scalar':
      return n.value;
    case 'seq': {
      // Indexed loops: every value of the Appfile passes here once, while the code is still cold.
      const items = n.items;
      const out = new Array<JsonValue>(items.length);
      for (let i = 0; i < items.length; i++) out[i] = toJson(items[i]!);
      return out;
    }
    case 'map': {
      const o: JsonObject = userMap();
      const entries = n.entries;
      for (let i = 0; i < entries.length; i++) o[entries[i]!.key] = toJson(entries[i]!.value);
      return o;
    }
  }
}

/** What a node is, in words, for messages ("a map", "a list", `"80"`). */
export function describe(n: LNode): string {
  if (n.kind === 'map') return 'a map';
  if (n.kind === 'seq') return 'a list';
  return describeValue(n.value);
}

export function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'a map';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
