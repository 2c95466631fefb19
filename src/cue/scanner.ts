/**
 * The CUE scanner (CUE spec: "Lexical elements"): turns source text into
 * tokens in one pass over the text with charCode checks.
 *
 * - Commas are inserted automatically, as in Go: a newline (or the end of
 *   the file) after an identifier, keyword, literal, `_|_`, `)`, `]`, `}`,
 *   `?`, `...` or an attribute ends the element.
 * - Comments are collected into `comments` as they are passed; the parser
 *   attaches them to declarations.
 * - String literals are scanned, not decoded: the token gives the range of
 *   the content, the parser decodes it (literal.ts). A string with `\(`
 *   stops there (INTERP_START); the parser parses the expression and calls
 *   `resumeInterpolation` at its closing `)`, the way cue/scanner does.
 *
 * The scanner has no exceptions and no regular expressions in its hot path;
 * errors go to a callback so the parser can cap and de-duplicate them.
 */
import type { SourceFile } from '../source/index.js';
import type { Comment } from './ast.js';
import { Tok, type QuoteInfo, type Token } from './token.js';

export type ErrorHandler = (start: number, end: number, message: string) => void;

/** Everything needed to rewind the scanner (the parser's look-ahead). */
export interface ScannerState {
  readonly pos: number;
  readonly tok: Token;
  readonly start: number;
  readonly end: number;
  readonly autoComma: boolean;
  readonly insertComma: boolean;
  readonly quote: QuoteInfo;
  readonly contentStart: number;
  readonly contentEnd: number;
  readonly nComments: number;
}

const DOUBLE: QuoteInfo = { quote: 34, multiline: false, hashes: 0 };
const SINGLE: QuoteInfo = { quote: 39, multiline: false, hashes: 0 };

const unicodeLetter = /\p{L}/u;

/** ASCII character classes: 1 letter (incl. `_` and `$`), 2 digit. */
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36) ASCII[c] = 1;
  else if (c >= 48 && c <= 57) ASCII[c] = 2;
}

/** ASCII letters, `_` and `$`; non-ASCII letters through a (rare) regex test. */
export function isLetter(c: number): boolean {
  if (c < 128) return ASCII[c] === 1;
  return unicodeLetter.test(String.fromCharCode(c));
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentPart(c: number): boolean {
  if (c < 128) return ASCII[c]! !== 0;
  return unicodeLetter.test(String.fromCharCode(c));
}

/** The keyword spelled at [pos, pos+len), without allocating a string. */
function keywordAt(text: string, pos: number, len: number): Token | undefined {
  switch (len) {
    case 2:
      if (text.startsWith('if', pos)) return Tok.IF;
      if (text.startsWith('in', pos)) return Tok.IN;
      return undefined;
    case 3:
      if (text.startsWith('for', pos)) return Tok.FOR;
      if (text.startsWith('let', pos)) return Tok.LET;
      return undefined;
    case 4:
      if (text.startsWith('null', pos)) return Tok.NULL;
      if (text.startsWith('true', pos)) return Tok.TRUE;
      return undefined;
    case 5:
      return text.startsWith('false', pos) ? Tok.FALSE : undefined;
    case 6:
      return text.startsWith('import', pos) ? Tok.IMPORT : undefined;
    case 7:
      return text.startsWith('package', pos) ? Tok.PACKAGE : undefined;
    default:
      return undefined;
  }
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

export class Scanner {
  tok: Token = Tok.EOF;
  /** Offset of the token's first character. */
  start = 0;
  /** Offset just past the token. */
  end = 0;
  /** The current COMMA was inserted for a newline or the end of the file. */
  autoComma = false;
  /** For STRING and INTERP_* tokens: how the literal is quoted. */
  quote: QuoteInfo = DOUBLE;
  /** For STRING and INTERP_* tokens: the range of the literal text between delimiters. */
  contentStart = 0;
  contentEnd = 0;
  readonly comments: Comment[] = [];
  /** Set by the parser when it gives up: every further token is EOF. */
  stopped = false;

  private pos = 0;
  private insertComma = false;
  private readonly text: string;

  constructor(
    readonly src: SourceFile,
    private readonly onError: ErrorHandler,
  ) {
    this.text = src.text;
    // A byte order mark at the start is not part of the text.
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  /** The text of the current token. */
  get lit(): string {
    return this.text.slice(this.start, this.end);
  }

  save(): ScannerState {
    return {
      pos: this.pos,
      tok: this.tok,
      start: this.start,
      end: this.end,
      autoComma: this.autoComma,
      insertComma: this.insertComma,
      quote: this.quote,
      contentStart: this.contentStart,
      contentEnd: this.contentEnd,
      nComments: this.comments.length,
    };
  }

  restore(s: ScannerState): void {
    this.pos = s.pos;
    this.tok = s.tok;
    this.start = s.start;
    this.end = s.end;
    this.autoComma = s.autoComma;
    this.insertComma = s.insertComma;
    this.quote = s.quote;
    this.contentStart = s.contentStart;
    this.contentEnd = s.contentEnd;
    this.comments.length = s.nComments;
  }

  /** Advance to the next token. */
  next(): void {
    const text = this.text;
    const n = text.length;
    this.autoComma = false;
    if (this.stopped) {
      this.tok = Tok.EOF;
      this.start = this.end = this.pos = n;
      return;
    }
    let pos = this.pos;
    // Skip white space and comments; a newline may end the element.
    for (;;) {
      if (pos >= n) {
        this.start = this.end = this.pos = n;
        if (this.insertComma) {
          this.insertComma = false;
          this.tok = Tok.COMMA;
          this.autoComma = true;
        } else {
          this.tok = Tok.EOF;
        }
        return;
      }
      const c = text.charCodeAt(pos);
      if (c === 10) {
        if (this.insertComma && !this.commaOrColonFollows(pos + 1)) {
          this.insertComma = false;
          this.tok = Tok.COMMA;
          this.autoComma = true;
          this.start = pos;
          this.end = pos + 1;
          this.pos = pos + 1;
          return;
        }
        pos++;
        continue;
      }
      if (c === 32 || c === 9 || c === 13) {
        pos++;
        continue;
      }
      if (c === 47 && text.charCodeAt(pos + 1) === 47) {
        pos = this.scanComment(pos);
        continue;
      }
      break;
    }

    this.start = pos;
    const c = text.charCodeAt(pos);
    let insert = true;
    let tok: Token;
    let end = pos + 1;
    const c1 = text.charCodeAt(pos + 1);

    if (isDigit(c) || (c === 46 && isDigit(c1))) {
      tok = this.scanNumber(pos);
      end = this.end;
    } else if (c === 95 && c1 === 124 && text.charCodeAt(pos + 2) === 95) {
      tok = Tok.BOTTOM;
      end = pos + 3;
    } else if (c === 35 /* # */ && (c1 === 34 || c1 === 39 || c1 === 35)) {
      tok = this.scanString(pos);
      end = this.end;
    } else if (isLetter(c) || c === 35) {
      end = this.scanIdent(pos);
      tok = Tok.IDENT;
      const len = end - pos;
      if (len >= 2 && len <= 7 && c >= 97 && c <= 122) {
        const kw = keywordAt(text, pos, len);
        if (kw !== undefined) tok = kw;
      }
    } else {
      insert = false;
      switch (c) {
        case 34: // "
        case 39: // '
          tok = this.scanString(pos);
          end = this.end;
          insert = true;
          break;
        case 64: // @
          end = this.scanAttribute(pos);
          tok = Tok.ATTRIBUTE;
          insert = true;
          break;
        case 58:
          tok = Tok.COLON;
          break;
        case 63:
          tok = Tok.OPTION;
          insert = true;
          break;
        case 46: // .
          if (c1 === 46) {
            if (text.charCodeAt(pos + 2) === 46) {
              tok = Tok.ELLIPSIS;
              end = pos + 3;
              insert = true;
            } else {
              this.onError(pos, pos + 2, "illegal token '..'; expected '.'");
              tok = Tok.ILLEGAL;
              end = pos + 2;
            }
          } else tok = Tok.PERIOD;
          break;
        case 44:
          tok = Tok.COMMA;
          break;
        case 40:
          tok = Tok.LPAREN;
          break;
        case 41:
          tok = Tok.RPAREN;
          insert = true;
          break;
        case 91:
          tok = Tok.LBRACK;
          break;
        case 93:
          tok = Tok.RBRACK;
          insert = true;
          break;
        case 123:
          tok = Tok.LBRACE;
          break;
        case 125:
          tok = Tok.RBRACE;
          insert = true;
          break;
        case 43:
          tok = Tok.ADD;
          break;
        case 45:
          tok = Tok.SUB;
          break;
        case 42:
          tok = Tok.MUL;
          break;
        case 47:
          tok = Tok.QUO;
          break;
        case 60: // <
          if (c1 === 61) (tok = Tok.LEQ), (end = pos + 2);
          else tok = Tok.LSS;
          break;
        case 62: // >
          if (c1 === 61) (tok = Tok.GEQ), (end = pos + 2);
          else tok = Tok.GTR;
          break;
        case 61: // =
          if (c1 === 126) (tok = Tok.MAT), (end = pos + 2);
          else if (c1 === 61) (tok = Tok.EQL), (end = pos + 2);
          else tok = Tok.BIND;
          break;
        case 33: // !
          if (c1 === 126) (tok = Tok.NMAT), (end = pos + 2);
          else if (c1 === 61) (tok = Tok.NEQ), (end = pos + 2);
          else tok = Tok.NOT;
          break;
        case 38: // &
          if (c1 === 38) (tok = Tok.LAND), (end = pos + 2);
          else tok = Tok.AND;
          break;
        case 124: // |
          if (c1 === 124) (tok = Tok.LOR), (end = pos + 2);
          else tok = Tok.OR;
          break;
        default: {
          // Keep a surrogate pair together so the message names the character.
          const cp = text.codePointAt(pos)!;
          end = pos + (cp > 0xffff ? 2 : 1);
          const hex = cp.toString(16).toUpperCase().padStart(4, '0');
          this.onError(pos, end, `illegal character U+${hex} '${String.fromCodePoint(cp)}'`);
          tok = Tok.ILLEGAL;
          // An illegal character does not change whether a newline ends the element.
          insert = this.insertComma;
        }
      }
    }
    this.tok = tok;
    this.end = end;
    this.pos = end;
    this.insertComma = insert;
  }

  /**
   * Continue a string after the `)` that closes an interpolation. The parser
   * calls this with the current token being that `)`, and the quote info of
   * the string's INTERP_START token.
   */
  resumeInterpolation(q: QuoteInfo): void {
    const from = this.end;
    this.quote = q;
    this.autoComma = false;
    this.start = from;
    this.tok = this.scanStringBody(from, from, q, false, true);
    this.pos = this.end;
    this.insertComma = true;
  }

  /** A newline followed by `,` or `:` does not end the element (JSON conformance, as in cue/scanner). */
  private commaOrColonFollows(pos: number): boolean {
    const text = this.text;
    const n = text.length;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 13 || c === 10) pos++;
      else return c === 44 || c === 58;
    }
    return false;
  }

  private scanComment(pos: number): number {
    const text = this.text;
    const n = text.length;
    let e = pos + 2;
    while (e < n && text.charCodeAt(e) !== 10) e++;
    const te = e > pos + 2 && text.charCodeAt(e - 1) === 13 ? e - 1 : e;
    this.comments.push({ kind: 'Comment', src: this.src, start: pos, end: te, text: text.slice(pos + 2, te) });
    return e;
  }

  /** `foo`, `#Foo`, `_foo`, `_#foo`, `$x` (CUE spec "Identifiers"). */
  private scanIdent(pos: number): number {
    const text = this.text;
    const n = text.length;
    const begin = pos;
    if (text.charCodeAt(pos) === 95 && text.charCodeAt(pos + 1) === 35) pos++; // _#
    if (text.charCodeAt(pos) === 35) {
      pos++;
      if (pos >= n || !isLetter(text.charCodeAt(pos))) {
        this.onError(begin, pos, 'invalid identifier: expected a letter after #');
        return pos;
      }
    }
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c < 128 ? ASCII[c] === 0 : !isLetter(c)) break;
      pos++;
    }
    return pos;
  }

  /** Decimal, `0x`, `0o`, `0b`, `_` separators, fractions, exponents and SI/IEC multipliers (CUE spec "Integer and float literals"). */
  private scanNumber(pos: number): Token {
    const text = this.text;
    const begin = pos;
    let tok: Token = Tok.INT;
    const c = text.charCodeAt(pos);
    const c1 = text.charCodeAt(pos + 1) | 0x20;
    if (c === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) {
      const base = c1 === 120 ? 16 : c1 === 111 ? 8 : 2;
      pos += 2;
      const digits = pos;
      pos = this.scanMantissa(pos, base);
      if (pos === digits) {
        const name = base === 16 ? 'hexadecimal' : base === 8 ? 'octal' : 'binary';
        this.onError(begin, pos, `illegal ${name} number`);
      }
      this.end = pos;
      return tok;
    }
    if (c !== 46) {
      pos = this.scanMantissa(pos, 10);
      if (c === 48 && pos - begin > 1) {
        // `0` followed by digits is an integer only as `0` itself.
        const d = text.charCodeAt(pos);
        if (!(d === 46 && text.charCodeAt(pos + 1) !== 46) && d !== 101 && d !== 69) {
          this.onError(begin, pos, 'illegal integer number');
        }
      }
    }
    if (text.charCodeAt(pos) === 46 && text.charCodeAt(pos + 1) !== 46) {
      tok = Tok.FLOAT;
      pos = this.scanMantissa(pos + 1, 10);
    }
    const m = text.charCodeAt(pos);
    const isExp = m === 101 || m === 69;
    const m1 = text.charCodeAt(pos + 1);
    if (isExp && (isDigit(m1) || ((m1 === 43 || m1 === 45) && isDigit(text.charCodeAt(pos + 2))))) {
      tok = Tok.FLOAT;
      pos = this.scanMantissa(pos + (isDigit(m1) ? 1 : 2), 10);
    } else if (m === 101) {
      this.onError(pos, pos + 1, 'illegal exponent in number');
      pos++;
    } else if (isMultiplier(m)) {
      tok = Tok.INT;
      pos += m1 === 105 ? 2 : 1;
    }
    this.end = pos;
    return tok;
  }

  private scanMantissa(pos: number, base: number): number {
    const text = this.text;
    let last = 0;
    for (;;) {
      const c = text.charCodeAt(pos);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c === 95) d = 0;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else break;
      if (d >= base) break;
      if (c === 95 && last === 95) this.onError(pos, pos + 1, "illegal '_' in number");
      last = c;
      pos++;
    }
    if (last === 95) this.onError(pos - 1, pos, "illegal '_' in number");
    return pos;
  }

  /** A string or bytes literal starting at `pos` (at its first `#` or quote). */
  private scanString(pos: number): Token {
    const text = this.text;
    const begin = pos;
    let hashes = 0;
    while (text.charCodeAt(pos) === 35) {
      hashes++;
      pos++;
    }
    const q = text.charCodeAt(pos);
    if (q !== 34 && q !== 39) {
      // `#` not followed by a quote after all (e.g. `##x`).
      this.onError(begin, pos, "illegal character '#'");
      this.end = pos;
      return Tok.ILLEGAL;
    }
    pos++;
    if (text.charCodeAt(pos) === q && text.charCodeAt(pos + 1) === q) {
      // `"""`: multi-line, unless it is a raw single-line string whose content is one quote (`#"""#`).
      if (hashes > 0 && this.hashesAt(pos + 2, hashes)) {
        this.quote = { quote: q, multiline: false, hashes };
        this.contentStart = pos;
        this.contentEnd = pos + 1;
        this.end = pos + 2 + hashes;
        return Tok.STRING;
      }
      pos += 2;
      const quote: QuoteInfo = { quote: q, multiline: true, hashes };
      this.quote = quote;
      let after = pos;
      if (text.charCodeAt(after) === 13) after++;
      if (text.charCodeAt(after) !== 10) {
        this.onError(begin, pos, `expected newline after multiline quote ${text.slice(begin, pos)}`);
        this.contentStart = this.contentEnd = this.end = pos;
        return Tok.STRING;
      }
      // The content starts after the newline that follows the opening quotes.
      return this.scanStringBody(begin, after + 1, quote, true, false);
    }
    const quote = hashes === 0 ? (q === 34 ? DOUBLE : SINGLE) : { quote: q, multiline: false, hashes };
    this.quote = quote;
    return this.scanStringBody(begin, pos, quote, false, false);
  }

  private hashesAt(pos: number, n: number): boolean {
    for (let i = 0; i < n; i++) if (this.text.charCodeAt(pos + i) !== 35) return false;
    return true;
  }

  /**
   * Scan string content from `pos` until the closing delimiter or an
   * interpolation `\(`. `atLineStart`: a multi-line string may close only
   * after nothing but white space on its line.
   */
  private scanStringBody(begin: number, pos: number, q: QuoteInfo, atLineStart: boolean, resumed: boolean): Token {
    const text = this.text;
    const n = text.length;
    const quote = q.quote;
    const hashes = q.hashes;
    const multi = q.multiline;
    this.contentStart = pos;
    let closeAllowed = atLineStart;
    for (;;) {
      if (pos >= n) {
        this.onError(begin, pos, 'string literal not terminated');
        this.contentEnd = this.end = pos;
        return resumed ? Tok.INTERP_END : Tok.STRING;
      }
      const c = text.charCodeAt(pos);
      if (c === quote && (!multi || closeAllowed)) {
        let e = pos + 1;
        if (multi) {
          if (text.charCodeAt(e) === quote && text.charCodeAt(e + 1) === quote) e += 2;
          else e = -1;
        }
        if (e >= 0 && this.hashesAt(e, hashes)) {
          this.contentEnd = pos;
          this.end = e + hashes;
          return resumed ? Tok.INTERP_END : Tok.STRING;
        }
      }
      if (c === 10) {
        if (!multi) {
          this.onError(begin, pos, 'string literal not terminated');
          this.contentEnd = this.end = pos;
          return resumed ? Tok.INTERP_END : Tok.STRING;
        }
        closeAllowed = true;
        pos++;
        continue;
      }
      if (c === 92 /* \ */ && this.hashesAt(pos + 1, hashes)) {
        const e = pos + 1 + hashes;
        const d = text.charCodeAt(e);
        if (d === 40 /* ( */) {
          this.contentEnd = pos;
          this.end = e + 1;
          return resumed ? Tok.INTERP_MID : Tok.INTERP_START;
        }
        closeAllowed = false;
        // Skip the escaped character so an escaped quote does not close; a
        // newline stays (it ends a single-line string, or continues a line).
        pos = d === 10 || e >= n ? e : e + 1;
        continue;
      }
      if (c !== 32 && c !== 9 && c !== 13) closeAllowed = false;
      pos++;
    }
  }

  /** `@name(body)` with balanced brackets; strings inside may contain brackets. */
  private scanAttribute(pos: number): number {
    const text = this.text;
    const n = text.length;
    const begin = pos;
    pos++;
    while (pos < n && (isIdentPart(text.charCodeAt(pos)) || text.charCodeAt(pos) === 35)) pos++;
    if (text.charCodeAt(pos) !== 40) {
      this.onError(pos, pos + 1, "invalid attribute: expected '('");
      return pos;
    }
    const stack: number[] = [41];
    pos++;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 40) stack.push(41);
      else if (c === 91) stack.push(93);
      else if (c === 123) stack.push(125);
      else if (c === 41 || c === 93 || c === 125) {
        if (stack[stack.length - 1] === c) {
          stack.pop();
          if (stack.length === 0) return pos + 1;
        } else {
          this.onError(pos, pos + 1, `unexpected '${String.fromCharCode(c)}'`);
        }
      } else if (c === 34 || c === 39) {
        // Skip a simple quoted string.
        let e = pos + 1;
        while (e < n && text.charCodeAt(e) !== c && text.charCodeAt(e) !== 10) e += text.charCodeAt(e) === 92 ? 2 : 1;
        pos = e;
      } else if (c === 10) {
        break;
      }
      pos++;
    }
    this.onError(pos, pos, `attribute missing '${String.fromCharCode(stack[stack.length - 1]!)}'`);
    return pos;
  }
}

/** `K M G T P E Z Y` (SI) or with `i` (IEC). */
export function isMultiplier(c: number): boolean {
  switch (c) {
    case 75: // K
    case 77: // M
    case 71: // G
    case 84: // T
    case 80: // P (the spec's multipliers end here: 1E is an exponent, and E, Z, Y are no multipliers)
      return true;
    default:
      return false;
  }
}
