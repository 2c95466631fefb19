/**
 * Decoding of CUE literals (CUE spec: "Integer and float literals", "String
 * and byte sequence literals"): number values with multipliers, string
 * escapes, raw strings and the indentation of multi-line strings.
 *
 * The scanner finds where a literal's text is; this module turns that text
 * into a value, reporting problems at exact offsets through a callback.
 */
import type { QuoteInfo } from './token.js';
import { parseDecimal, type Decimal } from './adt/number.js';

export type LiteralErrorHandler = (start: number, end: number, message: string) => void;

const SI: Record<string, number> = { K: 1, M: 2, G: 3, T: 4, P: 5 };

/**
 * The value of a number literal as written (`raw`; the scanner has already
 * checked its form). A number with a multiplier is an integer; a fraction
 * times a multiplier is truncated toward zero (CUE spec "Integer literals":
 * `1.3Ki` is 1331). CUE's Go implementation rejects such literals instead;
 * we follow the spec.
 */
export function decodeNumber(raw: string, isFloat: boolean): { type: 'int' | 'float'; value: number } {
  const s = raw.indexOf('_') >= 0 ? raw.replace(/_/g, '') : raw;
  const c1 = s.charCodeAt(1) | 0x20;
  if (s.charCodeAt(0) === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) {
    const digits = s.slice(2);
    if (digits === '') return { type: 'int', value: 0 };
    const prefix = c1 === 120 ? '0x' : c1 === 111 ? '0o' : '0b';
    const v = digits.length > 12 ? Number(BigInt(prefix + digits)) : parseInt(digits, c1 === 120 ? 16 : c1 === 111 ? 8 : 2);
    return { type: 'int', value: v };
  }
  const last = s.charCodeAt(s.length - 1);
  let multLen = 0;
  if (last === 105 /* i */) multLen = 2;
  else if (SI[s[s.length - 1]!] !== undefined) multLen = 1;
  if (multLen === 0) {
    return { type: isFloat ? 'float' : 'int', value: Number(s) };
  }
  // Exact arithmetic: mantissa digits as a BigInt, scaled by the multiplier,
  // divided by 10^(fraction digits); the division must be exact.
  const letter = s[s.length - multLen]!;
  const power = SI[letter] ?? 0;
  const base = multLen === 2 ? 1024n : 1000n;
  const mantissa = s.slice(0, s.length - multLen);
  const dot = mantissa.indexOf('.');
  const intPart = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const frac = dot < 0 ? '' : mantissa.slice(dot + 1);
  const num = BigInt((intPart || '0') + frac) * base ** BigInt(power);
  // BigInt division truncates toward zero.
  return { type: 'int', value: Number(num / 10n ** BigInt(frac.length)) };
}

/**
 * The exact value of a number literal: an integer of any size, or a float
 * as a decimal (`1.5e3` is 15 × 10^2). Multipliers give integers as in
 * decodeNumber.
 */
export function decodeExactNumber(raw: string, isFloat: boolean): { type: 'int'; value: bigint } | { type: 'float'; value: Decimal } {
  const s = raw.indexOf('_') >= 0 ? raw.replace(/_/g, '') : raw;
  const c1 = s.charCodeAt(1) | 0x20;
  if (s.charCodeAt(0) === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) {
    const digits = s.slice(2);
    return { type: 'int', value: digits === '' ? 0n : BigInt(s.slice(0, 2).toLowerCase() + digits) };
  }
  const last = s[s.length - 1]!;
  const multLen = last === 'i' ? 2 : SI[last] !== undefined ? 1 : 0;
  if (multLen === 0) {
    if (!isFloat) return { type: 'int', value: BigInt(s) };
    const d = parseDecimal(s);
    if (d) return { type: 'float', value: d };
    return { type: 'float', value: { coef: 0n, exp: 0 } };
  }
  const letter = s[s.length - multLen]!;
  const base = multLen === 2 ? 1024n : 1000n;
  const mantissa = s.slice(0, s.length - multLen);
  const dot = mantissa.indexOf('.');
  const intPart = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const frac = dot < 0 ? '' : mantissa.slice(dot + 1);
  const num = BigInt((intPart || '0') + frac) * base ** BigInt(SI[letter] ?? 0);
  return { type: 'int', value: num / 10n ** BigInt(frac.length) };
}

/**
 * Decode the literal parts of a string. `ranges` holds [start, end) offset
 * pairs of the text between delimiters (one pair per part, interpolation
 * expressions excluded). For a multi-line string, the first part begins
 * right after the newline that follows the opening quotes, and the last part
 * ends at the closing quotes: the white space before them is removed from
 * every line, and the final newline is dropped.
 */
export function decodeStringParts(
  text: string,
  ranges: readonly number[],
  q: QuoteInfo,
  onError: LiteralErrorHandler,
): string[] {
  const nParts = ranges.length / 2;
  const out: string[] = new Array<string>(nParts);
  let prefix = '';
  let lastEnd = ranges[ranges.length - 1]!;
  if (q.multiline) {
    // The indentation is the white space between the last newline and the closing quotes.
    let i = lastEnd;
    const lastStart = ranges[ranges.length - 2]!;
    while (i > lastStart && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) i--;
    prefix = text.slice(i, lastEnd);
    // Drop the final newline (and a CR before it) together with the indentation.
    if (i > lastStart && text.charCodeAt(i - 1) === 10) {
      i--;
      if (i > lastStart && text.charCodeAt(i - 1) === 13) i--;
    }
    lastEnd = i;
  }
  const st = { atLineStart: q.multiline, reportedIndent: false };
  for (let p = 0; p < nParts; p++) {
    const a = ranges[2 * p]!;
    const b = p === nParts - 1 ? lastEnd : ranges[2 * p + 1]!;
    out[p] = decodeRange(text, a, b, q, prefix, st, onError);
  }
  return out;
}

/** Fast check: a range with no backslash and no newline decodes to itself. */
function isSimple(text: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 || c === 10 || c === 13) return false;
  }
  return true;
}

/** Decode a single-part string (no interpolation). */
export function decodeString(text: string, a: number, b: number, q: QuoteInfo, onError: LiteralErrorHandler): string {
  if (!q.multiline) return decodeRange(text, a, b, q, '', { atLineStart: false, reportedIndent: false }, onError);
  return decodeStringParts(text, [a, b], q, onError)[0]!;
}

function decodeRange(
  text: string,
  a: number,
  b: number,
  q: QuoteInfo,
  prefix: string,
  st: { atLineStart: boolean; reportedIndent: boolean },
  onError: LiteralErrorHandler,
): string {
  if (b <= a) return '';
  if (!q.multiline && isSimple(text, a, b)) return text.slice(a, b);
  const parts: string[] = [];
  let i = a;
  let run = a;
  const hashes = q.hashes;
  while (i < b) {
    if (st.atLineStart) {
      st.atLineStart = false;
      if (text.startsWith(prefix, i)) {
        i += prefix.length;
      } else if (text.charCodeAt(i) !== 10 && !(text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10)) {
        if (!st.reportedIndent) {
          st.reportedIndent = true;
          let e = i;
          while (e < b && (text.charCodeAt(e) === 32 || text.charCodeAt(e) === 9)) e++;
          onError(
            i,
            e,
            `invalid string: non-matching whitespace for multiline string (expected ${JSON.stringify(prefix)}, got ${JSON.stringify(text.slice(i, e))})`,
          );
        }
      }
      run = i;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === 10) {
      parts.push(text.slice(run, i + 1));
      i++;
      run = i;
      st.atLineStart = true;
      continue;
    }
    if (c === 13 && q.multiline) {
      // Carriage returns are stripped from multi-line strings.
      parts.push(text.slice(run, i));
      i++;
      run = i;
      continue;
    }
    if (c !== 92) {
      i++;
      continue;
    }
    // A backslash starts an escape only when followed by the string's number of `#`.
    let h = 0;
    while (h < hashes && text.charCodeAt(i + 1 + h) === 35) h++;
    if (h < hashes) {
      i++;
      continue;
    }
    parts.push(text.slice(run, i));
    const escStart = i;
    let e = i + 1 + hashes;
    const d = text.charCodeAt(e);
    e++;
    switch (d) {
      case 97: parts.push('\x07'); break; // \a
      case 98: parts.push('\b'); break;
      case 102: parts.push('\f'); break;
      case 110: parts.push('\n'); break;
      case 114: parts.push('\r'); break;
      case 116: parts.push('\t'); break;
      case 118: parts.push('\v'); break;
      case 92: parts.push('\\'); break;
      case 47: parts.push('/'); break;
      case 10: // an escaped newline in a multi-line string continues the line
        if (q.multiline) st.atLineStart = true;
        else onError(escStart, e, 'unknown escape sequence');
        break;
      case 117: // \u
      case 85: { // \U
        const len = d === 117 ? 4 : 8;
        const cp = readHex(text, e, len, b);
        if (cp < 0) {
          onError(escStart, Math.min(e + len, b), 'escape sequence not terminated or has an illegal character');
        } else if (cp > 0x10ffff) {
          onError(escStart, e + len, 'escape sequence is invalid Unicode code point');
          e += len;
        } else {
          parts.push(String.fromCodePoint(cp));
          e += len;
        }
        break;
      }
      case 120: { // \x (bytes only)
        if (q.quote !== 39) {
          onError(escStart, e, 'hexadecimal escape not allowed in string literal');
          break;
        }
        const v = readHex(text, e, 2, b);
        if (v < 0) onError(escStart, Math.min(e + 2, b), 'escape sequence not terminated or has an illegal character');
        else {
          parts.push(String.fromCharCode(v));
          e += 2;
        }
        break;
      }
      default:
        if (d === q.quote) {
          parts.push(String.fromCharCode(d));
        } else if (d >= 48 && d <= 55) {
          if (q.quote !== 39) {
            onError(escStart, e, 'octal escape not allowed in string literal');
            break;
          }
          // \ooo: three octal digits (bytes only)
          let v = 0;
          let k = 0;
          for (; k < 3; k++) {
            const o = text.charCodeAt(e - 1 + k);
            if (o < 48 || o > 55 || e - 1 + k >= b) break;
            v = v * 8 + (o - 48);
          }
          if (k < 3 || v > 255) onError(escStart, e - 1 + k, 'invalid octal escape sequence');
          else parts.push(String.fromCharCode(v));
          e += k - 1;
        } else {
          onError(escStart, Math.min(e, b), e - 1 >= b ? 'escape sequence not terminated' : 'unknown escape sequence');
        }
    }
    i = e;
    run = e;
  }
  if (run < b) parts.push(text.slice(run, b));
  return parts.length === 1 ? parts[0]! : parts.join('');
}

function readHex(text: string, at: number, len: number, limit: number): number {
  if (at + len > limit) return -1;
  let v = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(at + i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}
