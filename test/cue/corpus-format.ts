/**
 * The corpus file format: txtar archives (as in cue-lang/cue's testdata), one CUE case per file.
 *
 *   # one-line description            ← the archive comment
 *   -- in.cue --                       ← every `*.cue` section is one file of the same instance
 *   a: 1
 *   -- expr --                         ← optional: an `-e` expression to export instead of the whole value
 *   -- out.json --  /  -- error --     ← recorded from real CUE by scripts/cue-oracle.ts
 *   -- intended.json -- / -- intended-error -- + -- reason --
 *                                      ← where CUE v0.4 differs from the spec or current CUE
 *
 * Kept free of vitest so the oracle script and the benchmark can share it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { canonicalDecimal, parseDecimal } from '../../src/cue/adt/number.js';

export interface TxtarFile {
  readonly name: string;
  readonly data: string;
}

export interface Txtar {
  readonly comment: string;
  readonly files: readonly TxtarFile[];
}

const MARKER = /^-- (.+?) --$/;

/** Parses a txtar archive. Section data keeps its trailing newline; a missing final newline is added. */
export function parseTxtar(text: string): Txtar {
  const lines = text.split('\n');
  // A trailing newline yields one empty last element that is not a line of its own.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const comment: string[] = [];
  const files: { name: string; lines: string[] }[] = [];
  for (const line of lines) {
    const m = MARKER.exec(line);
    if (m) {
      files.push({ name: m[1]!.trim(), lines: [] });
    } else if (files.length === 0) {
      comment.push(line);
    } else {
      files[files.length - 1]!.lines.push(line);
    }
  }
  return {
    comment: comment.map((l) => l + '\n').join(''),
    files: files.map((f) => ({ name: f.name, data: f.lines.map((l) => l + '\n').join('') })),
  };
}

/** The inverse of parseTxtar (for archives whose sections end with a newline). */
export function formatTxtar(a: Txtar): string {
  let out = a.comment;
  for (const f of a.files) {
    out += `-- ${f.name} --\n`;
    out += f.data === '' || f.data.endsWith('\n') ? f.data : f.data + '\n';
  }
  return out;
}

/**
 * A number as written in JSON text, kept as text so that integers above 2^53 and long decimals compare exactly
 * (JSON.parse would round 9007199254740993 to …992).
 */
export class JsonNumber {
  constructor(readonly text: string) {}
  /** The exact value in one spelling: `1.5E+3`, `1500` and `1500.0` are all `1500`. */
  canonical(): string {
    const d = parseDecimal(this.text);
    return d ? canonicalDecimal(d) : this.text;
  }
}

export type JsonValue = null | boolean | number | JsonNumber | string | JsonValue[] | { [key: string]: JsonValue };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** JSON.parse, except that numbers become JsonNumbers holding their text. */
export function parseJsonExact(text: string): JsonValue {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${i} of ${JSON.stringify(text.slice(0, 80))}`);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const value = (): JsonValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: { [key: string]: JsonValue } = {};
      ws();
      if (text[i] === '}') return i++, out;
      for (;;) {
        ws();
        const key = value();
        if (typeof key !== 'string') fail('expected a key');
        ws();
        if (text[i++] !== ':') fail("expected ':'");
        Object.defineProperty(out, key as string, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') i++;
        else if (text[i++] === '}') return out;
        else fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const out: JsonValue[] = [];
      ws();
      if (text[i] === ']') return i++, out;
      for (;;) {
        out.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i++] === ']') return out;
        else fail("expected ',' or ']'");
      }
    }
    if (c === '"') {
      const start = i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      return JSON.parse(text.slice(start, i)) as string;
    }
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) fail('unexpected character');
    i += m![0].length;
    return new JsonNumber(m![0]);
  };
  const v = value();
  ws();
  if (i < text.length) fail('unexpected text after the value');
  return v;
}

/** JSON text with 2-space indentation in which every number is written in its canonical exact form. */
export function formatJsonExact(v: JsonValue): string {
  return canonicalJson(v, true);
}

/** What a case expects: a JSON value, or an error (with real CUE's first error line, informative only). */
export type Expectation =
  | { readonly kind: 'json'; readonly value: JsonValue }
  | { readonly kind: 'error'; readonly message: string };

export interface CorpusCase {
  /** `topic/name`, the test name. */
  readonly id: string;
  readonly file: string;
  readonly description: string;
  /** The `*.cue` sections, in archive order. */
  readonly inputs: readonly { readonly name: string; readonly text: string }[];
  readonly expression?: string;
  /** Real CUE v0.4's result as recorded by the oracle; undefined until the oracle has run. */
  readonly recorded?: Expectation;
  /** The spec / current-CUE result where it differs from v0.4. */
  readonly intended?: Expectation;
  readonly reason?: string;
  /** With an `-- order --` section the differential test also checks the order of object keys. */
  readonly checkOrder: boolean;
  readonly archive: Txtar;
}

function section(a: Txtar, name: string): string | undefined {
  return a.files.find((f) => f.name === name)?.data;
}

function expectation(a: Txtar, jsonName: string, errorName: string, file: string): Expectation | undefined {
  const json = section(a, jsonName);
  const err = section(a, errorName);
  if (json !== undefined && err !== undefined) throw new Error(`${file}: both ${jsonName} and ${errorName}`);
  if (json !== undefined) return { kind: 'json', value: parseJsonExact(json) };
  if (err !== undefined) return { kind: 'error', message: err.trim() };
  return undefined;
}

/** Reads one case from its archive text. */
export function parseCase(id: string, file: string, text: string): CorpusCase {
  const archive = parseTxtar(text);
  const inputs = archive.files
    .filter((f) => f.name.endsWith('.cue'))
    .map((f) => ({ name: f.name, text: f.data }));
  if (inputs.length === 0) throw new Error(`${file}: no .cue section`);
  const expr = section(archive, 'expr')?.trim();
  const reason = section(archive, 'reason')?.trim();
  const intended = expectation(archive, 'intended.json', 'intended-error', file);
  if (intended !== undefined && !reason) throw new Error(`${file}: an intended result needs a reason section`);
  return {
    id,
    file,
    description: archive.comment.replace(/^#\s?/gm, '').trim(),
    inputs,
    ...(expr ? { expression: expr } : {}),
    ...(reason ? { reason } : {}),
    checkOrder: section(archive, 'order') !== undefined,
    recorded: expectation(archive, 'out.json', 'error', file),
    intended,
    archive,
  };
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir).sort()) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (entry.endsWith('.txtar')) out.push(p);
  }
}

/** Every case under `root`, sorted by id. */
export function loadCorpus(root: string): CorpusCase[] {
  const files: string[] = [];
  walk(root, files);
  return files.map((file) => {
    const id = relative(root, file).split(sep).join('/').replace(/\.txtar$/, '');
    return parseCase(id, file, readFileSync(file, 'utf8'));
  });
}

/** The expectation the differential test checks: intended where present, else real CUE's. */
export function expected(c: CorpusCase): Expectation | undefined {
  return c.intended ?? c.recorded;
}

/**
 * A canonical text of a JSON value for comparison with readable diffs: numbers print in their exact canonical
 * form (so `1.0` equals `1` and `1.5E+3` equals `1500`, but 9007199254740993 differs from …992), object keys are
 * sorted unless `ordered` (then their order is part of the value). Plain JavaScript numbers are accepted too.
 */
export function canonicalJson(value: unknown, ordered = false, indent = ''): string {
  const inner = indent + '  ';
  if (value instanceof JsonNumber) return value.canonical();
  if (typeof value === 'number') return Number.isFinite(value) ? new JsonNumber(String(value)).canonical() : 'null';
  if (typeof value === 'bigint') return String(value);
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((e) => inner + canonicalJson(e, ordered, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(value);
  if (!ordered) keys.sort();
  if (keys.length === 0) return '{}';
  const entries = keys.map((k) => `${inner}${JSON.stringify(k)}: ${canonicalJson((value as Record<string, unknown>)[k], ordered, inner)}`);
  return `{\n${entries.join(',\n')}\n${indent}}`;
}
