/**
 * A direct writer of the YAML that serialize.ts's `toYaml` gives, for the
 * objects rendering makes nearly always: plain maps, lists, integers,
 * booleans, nulls and one-line strings. Building the `yaml` package's
 * document (a node per value, a visit, then its printer) cost more per
 * service than rendering the objects; this writes the same bytes straight
 * from the data. Anything it is not sure to write exactly as the package
 * does (a multi-line string, a string needing escapes, a fraction, a map of
 * nulls only, a very long key, a class instance) makes it give up on the
 * whole object, and the package writes it. Tests compare both writers.
 */
import { isAmbiguousInYaml11 } from './yaml-1-1-strings.js';

class NotPlain extends Error {}

/** The YAML text of `o` (a map), or undefined when the `yaml` package must write it. */
export function emitYaml(o: unknown): string | undefined {
  if (!isPlainObject(o)) return undefined;
  const keys = Object.keys(o);
  if (keys.length === 0) return '{}\n';
  const out: string[] = [];
  try {
    writeMap(o, keys, '', '', out);
  } catch (e) {
    if (e instanceof NotPlain) return undefined;
    throw e;
  }
  return out.join('');
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `keys`: the map's own keys (its caller took them to see whether it is empty). */
function writeMap(o: Record<string, unknown>, keys: readonly string[], indent: string, first: string, out: string[]): void {
  // The package writes a map whose values are all null as explicit keys (`? key`); that is left to it.
  let allNull = true;
  for (const k of keys) if (o[k] !== null) allNull = false;
  if (allNull) throw new NotPlain();
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    out.push(i === 0 ? first : indent, scalarString(k, true), ':');
    writeChild(o[k], indent, out);
  }
}

/** A map's value, after `key:`. Lists under a key are indented (the `indentSeq` option). */
function writeChild(v: unknown, indent: string, out: string[]): void {
  if (Array.isArray(v)) {
    if (v.length === 0) out.push(' []\n');
    else {
      out.push('\n');
      writeSeq(v, indent + '  ', indent + '  ', out);
    }
  } else if (v !== null && typeof v === 'object') {
    if (!isPlainObject(v)) throw new NotPlain();
    const keys = Object.keys(v);
    if (keys.length === 0) out.push(' {}\n');
    else {
      out.push('\n');
      writeMap(v, keys, indent + '  ', indent + '  ', out);
    }
  } else out.push(' ', scalar(v), '\n');
}

function writeSeq(items: readonly unknown[], indent: string, first: string, out: string[]): void {
  for (let i = 0; i < items.length; i++) {
    // A hole in a list: left to the package.
    if (!(i in items)) throw new NotPlain();
    const v = items[i];
    out.push(i === 0 ? first : indent, '- ');
    if (Array.isArray(v)) {
      if (v.length === 0) out.push('[]\n');
      else writeSeq(v, indent + '  ', '', out);
    } else if (v !== null && typeof v === 'object') {
      if (!isPlainObject(v)) throw new NotPlain();
      const keys = Object.keys(v);
      if (keys.length === 0) out.push('{}\n');
      else writeMap(v, keys, indent + '  ', '', out);
    } else out.push(scalar(v), '\n');
  }
}

function scalar(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  // Integers are written as JSON writes them; fractions and -0 are left to the package.
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || Object.is(v, -0)) throw new NotPlain();
    return String(v);
  }
  if (typeof v === 'string') return scalarString(v, false);
  throw new NotPlain();
}

/** What the package's plain style refuses (its own rule): indicators first, `: ` or ` #` inside, a space or colon last. */
const NEEDS_QUOTES = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** Printable ASCII only: such a string is its own text in double quotes (no escapes). */
const PRINTABLE = /^[\x20-\x7e]*$/;

/**
 * A string as a key or a value. The package takes these paths: strings YAML
 * 1.1 or 1.2 would read as something else are double-quoted (by
 * serialize.ts's rule, which covers every form of YAML 1.2's core schema);
 * strings its plain style allows are written as they are.
 */
function scalarString(s: string, key: boolean): string {
  if (!PRINTABLE.test(s) || s.includes('"') || s.includes('\\')) throw new NotPlain();
  // Over 1024 characters a key is written as an explicit `? key`.
  if (key && s.length > 1000) throw new NotPlain();
  if (isAmbiguousInYaml11(s)) return `"${s}"`;
  // A string starting like a document marker gets the package's special handling.
  if (NEEDS_QUOTES.test(s) || /^(%|---|\.\.\.)/.test(s)) throw new NotPlain();
  return s;
}
