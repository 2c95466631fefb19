/**
 * CUE lexical tokens (CUE spec: "Lexical elements"). The scanner produces
 * them; the parser consumes them. Tokens are plain strings so that a token
 * doubles as its own spelling in diagnostics for operators and keywords.
 */

export const Tok = {
  EOF: 'EOF',
  ILLEGAL: 'ILLEGAL',

  // literals and names
  IDENT: 'IDENT',
  INT: 'INT',
  FLOAT: 'FLOAT',
  /** A complete string or bytes literal with no interpolation. */
  STRING: 'STRING',
  /** The part of a string up to and including the first `\(`. */
  INTERP_START: 'INTERP_START',
  /** Between the `)` closing one interpolation and the `\(` opening the next. */
  INTERP_MID: 'INTERP_MID',
  /** From the `)` closing the last interpolation to the closing quote. */
  INTERP_END: 'INTERP_END',
  /** `@name(body)`, scanned whole with balanced parentheses. */
  ATTRIBUTE: 'ATTRIBUTE',
  /** `_|_` */
  BOTTOM: '_|_',

  // keywords
  PACKAGE: 'package',
  IMPORT: 'import',
  FOR: 'for',
  IN: 'in',
  IF: 'if',
  LET: 'let',
  NULL: 'null',
  TRUE: 'true',
  FALSE: 'false',

  // operators and delimiters
  ADD: '+',
  SUB: '-',
  MUL: '*',
  QUO: '/',
  AND: '&',
  OR: '|',
  LAND: '&&',
  LOR: '||',
  EQL: '==',
  NEQ: '!=',
  LSS: '<',
  LEQ: '<=',
  GTR: '>',
  GEQ: '>=',
  MAT: '=~',
  NMAT: '!~',
  NOT: '!',
  BIND: '=',
  COLON: ':',
  OPTION: '?',
  LPAREN: '(',
  RPAREN: ')',
  LBRACK: '[',
  RBRACK: ']',
  LBRACE: '{',
  RBRACE: '}',
  COMMA: ',',
  PERIOD: '.',
  ELLIPSIS: '...',
} as const;

export type Token = (typeof Tok)[keyof typeof Tok];

/** Keywords by spelling. `null`, `true` and `false` are literals the parser turns into BasicLit. */
export const keywords: ReadonlyMap<string, Token> = new Map<string, Token>([
  ['package', Tok.PACKAGE],
  ['import', Tok.IMPORT],
  ['for', Tok.FOR],
  ['in', Tok.IN],
  ['if', Tok.IF],
  ['let', Tok.LET],
  ['null', Tok.NULL],
  ['true', Tok.TRUE],
  ['false', Tok.FALSE],
]);

/** Keywords that may still be used as field labels (`if: 1`, `package: "x"`). */
export function isKeyword(t: Token): boolean {
  switch (t) {
    case Tok.PACKAGE:
    case Tok.IMPORT:
    case Tok.FOR:
    case Tok.IN:
    case Tok.IF:
    case Tok.LET:
      return true;
    default:
      return false;
  }
}

/**
 * Binary operator precedence (CUE spec "Operator precedence"), shifted by one
 * so that 0 means "not a binary operator": `|` 1, `&` 2, `||` 3, `&&` 4,
 * comparisons 5, `+ -` 6, `* /` 7.
 */
export function binaryPrecedence(t: Token): number {
  switch (t) {
    case Tok.OR:
      return 1;
    case Tok.AND:
      return 2;
    case Tok.LOR:
      return 3;
    case Tok.LAND:
      return 4;
    case Tok.EQL:
    case Tok.NEQ:
    case Tok.LSS:
    case Tok.LEQ:
    case Tok.GTR:
    case Tok.GEQ:
    case Tok.MAT:
    case Tok.NMAT:
      return 5;
    case Tok.ADD:
    case Tok.SUB:
      return 6;
    case Tok.MUL:
    case Tok.QUO:
      return 7;
    default:
      return 0;
  }
}

/** Tokens that may start a unary expression: `- + ! *` and the unary bounds. */
export function isUnaryOp(t: Token): boolean {
  switch (t) {
    case Tok.SUB:
    case Tok.ADD:
    case Tok.NOT:
    case Tok.MUL:
    case Tok.LSS:
    case Tok.LEQ:
    case Tok.GTR:
    case Tok.GEQ:
    case Tok.NEQ:
    case Tok.MAT:
    case Tok.NMAT:
      return true;
    default:
      return false;
  }
}

/** How the quotes of a string literal are written; needed to decode its parts. */
export interface QuoteInfo {
  /** `"` (34) for strings, `'` (39) for bytes. */
  readonly quote: number;
  /** Written with triple quotes. */
  readonly multiline: boolean;
  /** Number of `#` around the quotes (raw strings). */
  readonly hashes: number;
}
