/**
 * A direct reader of the plainest YAML into the located tree of
 * yaml-tree.ts: block maps and lists indented with spaces, one-line plain
 * scalars and quotes without escapes. That is what a generated Appfile of
 * hundreds of services is made of, and the `yaml` package took over a
 * millisecond a service to read it (its tokens and document nodes, then our
 * tree). Anything else (comments, flow collections, anchors, tags, block
 * scalars, multi-line scalars, empty values, numbers in other forms than
 * plain decimals, duplicate keys, merge keys, deep nesting, any mistake)
 * makes it give up on the whole file: then the package reads it, with the
 * checks and messages of yaml-tree.ts. Spans and values equal the package
 * path's (tests compare both on many files).
 */
import type { SourceFile, Span } from '../source/index.js';
import type { LEntry, LNode } from './yaml-tree.js';

class NotPlain extends Error {}

interface Line {
  /** Offset of the line's first character. */
  readonly start: number;
  /** Offset of its first non-space character. */
  readonly content: number;
  /** Offset of its end, before the line break (trailing spaces included). */
  readonly end: number;
  /** Offset after its line break (= end at the end of the text). */
  readonly next: number;
}

/** The tree of `file`, or undefined when the `yaml` package must read it. */
export function fastYamlTree(file: SourceFile, maxDepth: number): LNode | undefined {
  const text = file.text;
  // Comments, tabs, carriage returns and document markers: the package's.
  if (/[#\t\r]/.test(text) || /^(---|\.\.\.)/m.test(text)) return undefined;
  // Control characters, a byte order mark and Unicode line breaks: the package's too.
  if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u2028\u2029]/.test(text)) return undefined;
  try {
    return new Reader(file, maxDepth).read();
  } catch (e) {
    if (e instanceof NotPlain) return undefined;
    throw e;
  }
}

class Reader {
  private readonly text: string;
  /**
   * The line being read (lines of spaces only skipped), undefined past the end. Lines are found as the reader
   * reaches them, not listed first: a list of every line of a large file would live through the whole read and
   * be copied by every garbage collection it meets.
   */
  private line: Line | undefined;
  /** Where the line after `line` starts. */
  private rest = 0;

  constructor(
    private readonly file: SourceFile,
    private readonly maxDepth: number,
  ) {
    this.text = file.text;
    this.advance();
  }

  /** Moves to the next line with content. */
  private advance(): void {
    const text = this.text;
    let start = this.rest;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      const next = end < 0 ? text.length : end + 1;
      if (end < 0) end = text.length;
      let content = start;
      while (content < end && text.charCodeAt(content) === 32) content++;
      // Lines of spaces only are skipped; they are in no span (a collection ends with its last line of content).
      if (content < end) {
        this.rest = next;
        this.line = { start, content, end, next };
        return;
      }
      start = next;
    }
    this.rest = text.length;
    this.line = undefined;
  }

  read(): LNode {
    const first = this.line;
    if (!first || first.content !== first.start) throw new NotPlain();
    const root = this.block(first.content, 0);
    if (this.line !== undefined) throw new NotPlain();
    return root;
  }

  private span(start: number, end: number): Span {
    return { file: this.file, start, end };
  }

  private column(offset: number): number {
    return offset - this.line!.start;
  }

  /** A map or a list starting at `offset` on the current line. */
  private block(offset: number, depth: number): LNode {
    if (depth >= this.maxDepth) throw new NotPlain();
    return this.isItem(offset) ? this.seq(offset, depth) : this.map(offset, depth);
  }

  private isItem(offset: number): boolean {
    const line = this.line!;
    return this.text.charCodeAt(offset) === 45 /* - */ && (offset + 1 === line.end || this.text.charCodeAt(offset + 1) === 32);
  }

  private map(offset: number, depth: number): LNode {
    const column = this.column(offset);
    const entries: LEntry[] = [];
    // Duplicate keys: looked up in the entries while a map is small (most are), in a set once it grows.
    let seen: Set<string> | undefined;
    let size = 1;
    let keyStart = offset;
    let end = 0;
    for (;;) {
      const line = this.line!;
      const { key, keyEnd, colon } = this.key(keyStart, line);
      if (seen === undefined) {
        for (let i = 0; i < entries.length; i++) if (entries[i]!.key === key) throw new NotPlain();
        if (entries.length >= 16) seen = new Set(entries.map((e) => e.key));
      } else if (seen.has(key)) throw new NotPlain();
      seen?.add(key);
      let valueStart = colon + 1;
      while (valueStart < line.end && this.text.charCodeAt(valueStart) === 32) valueStart++;
      let value: LNode;
      if (valueStart < line.end) {
        value = this.scalar(valueStart, line.end);
        this.advance();
        end = line.next;
      } else {
        this.advance();
        const next = this.line;
        if (!next) throw new NotPlain();
        const col = next.content - next.start;
        // A list under a key may sit at the key's own column.
        if (col > column || (col === column && this.isItem(next.content))) value = this.block(next.content, depth + 1);
        else throw new NotPlain();
        end = value.span.end;
      }
      entries.push({ key, keySpan: this.span(keyStart, keyEnd), value });
      size += value.size;
      const next = this.line;
      if (!next) break;
      const col = next.content - next.start;
      if (col > column) throw new NotPlain();
      if (col < column || this.isItem(next.content)) break;
      keyStart = next.content;
    }
    return { kind: 'map', entries: exact(entries), span: this.span(offset, end), size };
  }

  private seq(offset: number, depth: number): LNode {
    const column = this.column(offset);
    const items: LNode[] = [];
    let size = 1;
    let dash = offset;
    let end = 0;
    for (;;) {
      const line = this.line!;
      let itemStart = dash + 1;
      while (itemStart < line.end && this.text.charCodeAt(itemStart) === 32) itemStart++;
      // `-` alone on its line: the package's.
      if (itemStart === line.end) throw new NotPlain();
      let item: LNode;
      if (this.isItem(itemStart) || this.keyColon(itemStart, line) !== undefined) {
        item = this.block(itemStart, depth + 1);
        end = item.span.end;
      } else {
        item = this.scalar(itemStart, line.end);
        this.advance();
        end = line.next;
      }
      items.push(item);
      size += item.size;
      const next = this.line;
      if (!next) break;
      const col = next.content - next.start;
      if (col > column) throw new NotPlain();
      if (col < column || !this.isItem(next.content)) break;
      dash = next.content;
    }
    return { kind: 'seq', items: exact(items), span: this.span(offset, end), size };
  }

  /** Where the `:` of a key on this line is (a plain or quoted key), or undefined when the text is no key. */
  private keyColon(start: number, line: Line): number | undefined {
    const text = this.text;
    const c = text.charCodeAt(start);
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const close = text.indexOf(text[start]!, start + 1);
      if (close < 0 || close >= line.end) return undefined;
      const colon = close + 1;
      return text.charCodeAt(colon) === 58 && (colon + 1 === line.end || text.charCodeAt(colon + 1) === 32) ? colon : undefined;
    }
    for (let i = start; i < line.end; i++) {
      if (text.charCodeAt(i) === 58 /* : */ && (i + 1 === line.end || text.charCodeAt(i + 1) === 32)) return i;
    }
    return undefined;
  }

  private key(start: number, line: Line): { key: string; keyEnd: number; colon: number } {
    const colon = this.keyColon(start, line);
    // Over 1024 characters an implicit key is an error of the package's.
    if (colon === undefined || colon - start > 1000) throw new NotPlain();
    const raw = this.text.slice(start, colon);
    const c = raw.charCodeAt(0);
    if (c === 34 || c === 39) return { key: quoted(raw), keyEnd: colon, colon };
    // A key with spaces before its colon, a null key, a merge key or one starting with an indicator: the package's.
    if (raw.endsWith(' ') || !plainStart(raw) || NULL.test(raw) || raw === '<<') throw new NotPlain();
    // A number or boolean key is its text, as yaml-tree.ts reads it.
    return { key: raw, keyEnd: colon, colon };
  }

  private scalar(start: number, lineEnd: number): LNode {
    let end = lineEnd;
    while (end > start && this.text.charCodeAt(end - 1) === 32) end--;
    const raw = this.text.slice(start, end);
    const span = this.span(start, end);
    const c = raw.charCodeAt(0);
    if (c === 34 || c === 39) return { kind: 'scalar', value: quoted(raw), span, size: 1 };
    if (!plainStart(raw) || raw.endsWith(':') || raw.includes(': ')) throw new NotPlain();
    return { kind: 'scalar', value: plainValue(raw), span, size: 1 };
  }
}

/**
 * The list in an array of its own length: the tree lives as long as the app, and an array grown by push keeps room
 * for 17 entries (most maps and lists of an Appfile have a few).
 */
function exact<T>(list: T[]): T[] {
  return list.length < 16 ? list.slice() : list;
}

/** A one-line quoted string without escapes (`"..."` or `'...'` with no quote of its kind inside), else the package's. */
function quoted(raw: string): string {
  const q = raw[0]!;
  if (raw.length < 2 || raw[raw.length - 1] !== q) throw new NotPlain();
  const inner = raw.slice(1, -1);
  if (inner.includes(q) || (q === '"' && inner.includes('\\'))) throw new NotPlain();
  return inner;
}

/** YAML's indicators may not start a plain scalar (and `-`, `?`, `:` are left to the package). */
function plainStart(raw: string): boolean {
  return raw.length > 0 && !/^[-?:,[\]{}#&*!|>'"%@`]/.test(raw);
}

const NULL = /^(?:~|null|Null|NULL)$/;
const BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;
/** The other numbers of YAML 1.2's core schema (signed, octal, hexadecimal, floats, infinities, not-a-number): the package's. */
const OTHER_NUMBER = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** A plain scalar's value by YAML 1.2's core schema. */
function plainValue(raw: string): string | number | boolean | null {
  if (NULL.test(raw)) return null;
  if (BOOL.test(raw)) return raw.charCodeAt(0) === 116 || raw.charCodeAt(0) === 84 ? true : false;
  if (DECIMAL.test(raw)) {
    const n = Number(raw);
    if (!Number.isSafeInteger(n)) throw new NotPlain();
    return n;
  }
  if (OTHER_NUMBER.test(raw)) throw new NotPlain();
  return raw;
}
