/**
 * The CUE parser (CUE spec: "Source file organization", "Declarations",
 * "Expressions", "Structs", "Comprehensions"): a recursive-descent parser
 * with one token of look-ahead (two where a keyword may be a label) that
 * builds the tree of ast.ts.
 *
 * It never throws for bad input. On a syntax error it records a diagnostic
 * (at most one per line and ten in all, as cue/parser does), skips to the
 * next comma or closing bracket of the current list of declarations, and
 * goes on; BadExpr marks what could not be parsed. Nesting is capped so that
 * pathological input cannot overflow the call stack.
 *
 * Tree conventions beyond ast.ts:
 * - `a: b: c: 1` is Field a → StructLit [Field b → StructLit [Field c]]; the
 *   doc comments go to the outermost field, attributes to the innermost.
 * - Interpolation parts alternate strictly: string, expr, string, ..., string
 *   (literal parts may be empty).
 * - Keywords used as labels (`if: 1`) and `null`/`true`/`false` labels are
 *   Idents; keywords are also accepted as selectors (`x.if`), as current CUE does.
 * - Commas may separate comprehension clauses, so clauses may be on separate lines.
 */
import { error, type Diagnostic, span, type SourceFile } from '../source/index.js';
import type * as ast from './ast.js';
import { decodeNumber, decodeString, decodeStringParts } from './literal.js';
import { Scanner } from './scanner.js';
import { binaryPrecedence, isKeyword, isUnaryOp, Tok, type QuoteInfo, type Token } from './token.js';

const MAX_ERRORS = 10;
/** Brackets, unary operators and nested field shorthands deeper than this are refused. */
export const MAX_NESTING = 250;

export function parseFile(src: SourceFile): { file: ast.File; diagnostics: Diagnostic[] } {
  const p = new Parser(src);
  const file = p.parseFile();
  return { file, diagnostics: p.finish() };
}

export function parseExpr(src: SourceFile): { expr: ast.Expr; diagnostics: Diagnostic[] } {
  const p = new Parser(src);
  const expr = p.parseWholeExpr();
  return { expr, diagnostics: p.finish() };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const NO_COMMENTS: readonly ast.Comment[] = Object.freeze([]);
const NO_ATTRS: readonly ast.Attribute[] = Object.freeze([]);

class Parser {
  private readonly s: Scanner;
  private readonly text: string;
  private readonly diags: Diagnostic[] = [];
  private readonly errLines = new Set<number>();
  private depth = 0;
  private bailed = false;

  constructor(private readonly src: SourceFile) {
    this.text = src.text;
    this.s = new Scanner(src, (a, b, m) => this.errorAt(a, b, m));
    this.s.next();
  }

  finish(): Diagnostic[] {
    // Errors are found mostly in order; look-ahead and recovery can invert a few.
    return this.diags.sort((a, b) => a.span!.start - b.span!.start);
  }

  // ------------------------------------------------------------ errors

  /** Record a syntax error; false if it was dropped (its line already has one, or parsing stopped). */
  private errorAt(start: number, end: number, message: string): boolean {
    if (this.bailed) return false;
    const n = this.text.length;
    if (start > n) start = n;
    if (end > n) end = n;
    const line = this.src.lineCol(start).line;
    if (this.errLines.has(line)) return false;
    this.errLines.add(line);
    this.diags.push(error(message, span(this.src, start, Math.max(start, end)), { code: 'cue/syntax' }));
    if (this.diags.length >= MAX_ERRORS) this.stop();
    return true;
  }

  /** Give up: every further token is EOF, so all loops unwind. */
  private stop(): void {
    this.bailed = true;
    this.s.stopped = true;
  }

  /** How the current token is named in "found ..." messages. */
  private found(): string {
    const s = this.s;
    switch (this.tok()) {
      case Tok.EOF:
        return 'EOF';
      case Tok.COMMA:
        return s.autoComma ? 'newline' : "','";
      case Tok.ATTRIBUTE:
        return `attribute ${truncate(s.lit)}`;
      case Tok.INTERP_START:
        return `'${truncate(this.text.slice(s.start, s.end))}'`;
      default:
        return `'${truncate(s.lit)}'`;
    }
  }

  private errorExpected(what: string): void {
    this.errorAt(this.s.start, this.s.end, `expected ${what}, found ${this.found()}`);
  }

  /** Enter one level of nesting; false (and parsing stops) past the cap. */
  private enter(): boolean {
    if (++this.depth <= MAX_NESTING) return true;
    this.depth--;
    if (!this.bailed) {
      this.diags.push(
        error(`nesting too deep: more than ${MAX_NESTING} levels of brackets, operators or fields`, span(this.src, this.s.start, this.s.end), {
          code: 'cue/syntax',
        }),
      );
      this.stop();
    }
    return false;
  }

  // ------------------------------------------------------------ tokens

  private tok(): Token {
    return this.s.tok;
  }

  private next(): void {
    this.s.next();
  }

  private bad(start: number, end: number): ast.BadExpr {
    return { kind: 'BadExpr', src: this.src, start, end };
  }

  /** The token after the current one (and whether the one after that is ':'). */
  private labelColonFollows(): boolean {
    const s = this.s;
    const st = s.save();
    s.next();
    let t = this.tok();
    if (t === Tok.OPTION || t === Tok.NOT) {
      s.next();
      t = this.tok();
    }
    s.restore(st);
    return t === Tok.COLON;
  }

  private peek(): Token {
    const s = this.s;
    const st = s.save();
    s.next();
    const t = this.tok();
    s.restore(st);
    return t;
  }

  /** Consume a closing token; report and return the current offset if absent. */
  private expectClosing(t: Token, context: string): number {
    const s = this.s;
    if (this.tok() === t) {
      const end = s.end;
      s.next();
      return end;
    }
    if (this.tok() === Tok.COMMA && s.autoComma) {
      this.errorAt(s.start, s.end, `missing ',' before newline in ${context}`);
    } else {
      this.errorExpected(`'${t}'`);
    }
    return s.start;
  }

  /** Skip to the next comma or `closing` at this level, skipping balanced brackets and strings. */
  private sync(closing: Token): void {
    const s = this.s;
    const stack: (QuoteInfo | null)[] = [];
    for (;;) {
      const t = this.tok();
      if (t === Tok.EOF) return;
      if (stack.length === 0 && (t === Tok.COMMA || t === closing)) return;
      switch (t) {
        case Tok.LPAREN:
        case Tok.LBRACK:
        case Tok.LBRACE:
          stack.push(null);
          break;
        case Tok.INTERP_START:
          stack.push(s.quote);
          break;
        case Tok.RPAREN: {
          const top = stack.pop();
          if (top) {
            s.resumeInterpolation(top);
            if (this.tok() === Tok.INTERP_MID) stack.push(top);
          }
          break;
        }
        case Tok.RBRACK:
        case Tok.RBRACE:
          stack.pop();
          break;
      }
      s.next();
    }
  }

  // ------------------------------------------------------------ files

  parseFile(): ast.File {
    const s = this.s;
    const decls: ast.Decl[] = [];
    const imports: ast.ImportSpec[] = [];
    let packageName: string | undefined;

    // Attributes may come before the package clause (`@extern(...)`).
    while (this.tok() === Tok.ATTRIBUTE) {
      decls.push(this.parseAttribute());
      this.declEnd(Tok.EOF, 'file');
    }
    if (this.tok() === Tok.PACKAGE && !this.labelColonFollows()) {
      this.next();
      if (this.tok() === Tok.IDENT) {
        packageName = s.lit;
        this.next();
      } else {
        this.errorExpected('package name');
      }
      this.declEnd(Tok.EOF, 'file');
    }
    while (this.tok() === Tok.IMPORT && !this.labelColonFollows()) {
      const start = s.start;
      this.next();
      if (this.tok() === Tok.LPAREN) {
        this.next();
        while (this.tok() !== Tok.RPAREN && this.tok() !== Tok.EOF) {
          const before = s.start;
          imports.push(this.parseImportSpec());
          if (this.tok() === Tok.COMMA) this.next();
          else if (this.tok() !== Tok.RPAREN) {
            this.errorAt(s.start, s.end, "missing ',' in import declaration");
            if (s.start === before) this.next();
          }
        }
        this.expectClosing(Tok.RPAREN, 'import declaration');
      } else {
        imports.push(this.parseImportSpec(start));
      }
      this.declEnd(Tok.EOF, 'file');
    }
    this.parseDeclList(Tok.EOF, decls);
    return {
      kind: 'File',
      src: this.src,
      start: 0,
      end: this.text.length,
      packageName,
      imports,
      decls,
      comments: this.s.comments,
    };
  }

  private parseImportSpec(specStart?: number): ast.ImportSpec {
    const s = this.s;
    const start = specStart ?? s.start;
    let name: string | undefined;
    if (this.tok() === Tok.IDENT) {
      name = s.lit;
      this.next();
    }
    if (this.tok() !== Tok.STRING) {
      this.errorExpected('import path');
      const end = s.start;
      if (this.tok() !== Tok.COMMA && this.tok() !== Tok.RPAREN && this.tok() !== Tok.EOF) this.next();
      return { kind: 'ImportSpec', src: this.src, start, end, name, path: '' };
    }
    const path = decodeString(this.text, s.contentStart, s.contentEnd, s.quote, (a, b, m) => this.errorAt(a, b, m));
    const end = s.end;
    this.next();
    return { kind: 'ImportSpec', src: this.src, start, end, name, path };
  }

  /** After a file-level clause: a comma (usually a newline), else an error. */
  private declEnd(closing: Token, context: string): void {
    const s = this.s;
    if (this.tok() === Tok.COMMA) this.next();
    else if (this.tok() !== closing && this.tok() !== Tok.EOF) this.errorAt(s.start, s.end, `missing ',' in ${context}`);
  }

  // ------------------------------------------------------------ declarations

  /** Declarations up to `closing` (`}` or EOF), which is left for the caller. */
  private parseDeclList(closing: Token, decls: ast.Decl[]): ast.Decl[] {
    const s = this.s;
    // A file is a struct literal without braces; CUE words the message the same way.
    const context = 'struct literal';
    while (this.tok() !== closing && this.tok() !== Tok.EOF) {
      const t = this.tok();
      if (t === Tok.COMMA) {
        if (!s.autoComma) this.errorAt(s.start, s.end, "unexpected ','");
        this.next();
        continue;
      }
      if (closing === Tok.EOF && (t === Tok.RBRACE || t === Tok.RBRACK || t === Tok.RPAREN)) {
        this.errorAt(s.start, s.end, `unexpected '${t}'`);
        this.next();
        continue;
      }
      const before = s.start;
      const nErr = this.diags.length;
      const d = this.parseDecl();
      decls.push(d);
      if (this.diags.length > nErr) this.sync(closing);
      if (this.tok() === Tok.COMMA) {
        this.next();
      } else if (this.tok() !== closing && this.tok() !== Tok.EOF) {
        // Go on as if the comma were there (as cue/parser does); but when the
        // line already has an error, skip the rest of the element instead of
        // making a declaration of every following token (`a: x x x ...`).
        if (this.errorAt(s.start, s.end, `missing ',' in ${context}`)) {
          if (s.start === before) this.next();
        } else {
          this.sync(closing);
        }
      }
      if (d.kind === 'Field') this.attachLineComment(d);
    }
    return decls;
  }

  private parseDecl(): ast.Decl {
    const s = this.s;
    const start = s.start;
    switch (this.tok()) {
      case Tok.ELLIPSIS:
        return this.parseEllipsis(Tok.RBRACE);
      case Tok.ATTRIBUTE:
        return this.parseAttribute();
      case Tok.LET:
        if (this.peek() === Tok.IDENT) return this.parseLetDecl(this.docComments(start));
        break;
      case Tok.FOR:
      case Tok.IF:
        if (!this.labelColonFollows()) return this.parseComprehension();
        break;
    }
    if (isKeyword(this.tok())) {
      // A keyword is an ordinary name when used as a label (`if: 1`).
      if (!this.labelColonFollows()) this.errorAt(s.start, s.end, `unexpected keyword '${this.tok()}'`);
      s.tok = Tok.IDENT;
    }
    return this.parseFieldOrEmbedding(start, this.docComments(start));
  }

  private parseFieldOrEmbedding(start: number, doc: readonly ast.Comment[]): ast.Field | ast.EmbedDecl {
    const s = this.s;
    let x = this.parseExpr();
    let alias: string | undefined;
    if (this.tok() === Tok.BIND && x.kind === 'Ident') {
      alias = x.name;
      this.next();
      x = this.parseExpr();
    }
    if (this.tok() === Tok.COLON || this.tok() === Tok.OPTION || this.tok() === Tok.NOT) {
      return this.parseFieldRest(start, alias, x, doc);
    }
    const expr: ast.Expr = alias !== undefined ? { kind: 'AliasExpr', src: this.src, start, end: x.end, name: alias, expr: x } : x;
    return { kind: 'EmbedDecl', src: this.src, start, end: expr.end, expr, doc };
  }

  /** The rest of a field once its label expression `x` is parsed: constraint, `:`, value, attributes. */
  private parseFieldRest(start: number, alias: string | undefined, x: ast.Expr, doc: readonly ast.Comment[]): ast.Field {
    const s = this.s;
    const label = this.toLabel(x);
    let constraint: '' | '?' | '!' = '';
    if (this.tok() === Tok.OPTION) {
      constraint = '?';
      this.next();
    } else if (this.tok() === Tok.NOT) {
      constraint = '!';
      this.next();
    }
    let value: ast.Expr;
    if (this.tok() === Tok.COLON) {
      this.next();
      value = this.parseFieldValue();
    } else {
      this.errorExpected("':'");
      value = this.bad(s.start, s.start);
    }
    let attrs = NO_ATTRS;
    if (this.tok() === Tok.ATTRIBUTE) {
      const list: ast.Attribute[] = [];
      while (this.tok() === Tok.ATTRIBUTE) list.push(this.parseAttribute());
      attrs = list;
    }
    const end = attrs.length > 0 ? attrs[attrs.length - 1]!.end : value.end;
    const f: ast.Field = {
      kind: 'Field',
      src: this.src,
      start,
      end,
      label,
      constraint,
      alias,
      value,
      attrs,
      doc,
      lineComment: undefined,
    };
    return f;
  }

  /** A field's value: an expression, an alias `X=expr`, or a nested field (`a: b: c`). */
  private parseFieldValue(): ast.Expr {
    const s = this.s;
    if (!this.enter()) return this.bad(s.start, s.start);
    const start = s.start;
    if (isKeyword(this.tok()) && this.labelColonFollows()) s.tok = Tok.IDENT;
    let x = this.parseExpr();
    let alias: string | undefined;
    if (this.tok() === Tok.BIND && x.kind === 'Ident') {
      alias = x.name;
      this.next();
      x = this.parseExpr();
      if (this.tok() !== Tok.COLON && this.tok() !== Tok.OPTION && this.tok() !== Tok.NOT) {
        this.depth--;
        return { kind: 'AliasExpr', src: this.src, start, end: x.end, name: alias, expr: x };
      }
    }
    if (this.tok() === Tok.COLON || this.tok() === Tok.OPTION || this.tok() === Tok.NOT) {
      const f = this.parseFieldRest(start, alias, x, NO_COMMENTS);
      this.depth--;
      return { kind: 'StructLit', src: this.src, start, end: f.end, decls: [f] };
    }
    this.depth--;
    return x;
  }

  private toLabel(x: ast.Expr): ast.Label {
    switch (x.kind) {
      case 'Ident':
        return x;
      case 'BasicLit':
        if (x.type === 'string') return { kind: 'StringLabel', src: this.src, start: x.start, end: x.end, value: x.value };
        if (x.type === 'bool' || x.type === 'null') return { kind: 'Ident', src: this.src, start: x.start, end: x.end, name: x.raw };
        break;
      case 'Interpolation':
        if (x.type === 'string') return x;
        break;
      case 'ParenExpr':
        return { kind: 'ParenLabel', src: this.src, start: x.start, end: x.end, expr: x.x };
      case 'ListLit':
        if (x.elts.length === 1) {
          const e = x.elts[0]!;
          if (e.kind === 'AliasExpr') return { kind: 'PatternLabel', src: this.src, start: x.start, end: x.end, alias: e.name, expr: e.expr };
          if (e.kind !== 'Comprehension' && e.kind !== 'Ellipsis') {
            return { kind: 'PatternLabel', src: this.src, start: x.start, end: x.end, alias: undefined, expr: e };
          }
        }
        break;
      case 'BadExpr':
        return { kind: 'StringLabel', src: this.src, start: x.start, end: x.end, value: '' };
    }
    this.errorAt(x.start, x.end, `invalid label ${truncate(this.text.slice(x.start, x.end))}`);
    return { kind: 'StringLabel', src: this.src, start: x.start, end: x.end, value: this.text.slice(x.start, x.end) };
  }

  private parseLetDecl(doc: readonly ast.Comment[]): ast.LetDecl {
    const s = this.s;
    const start = s.start;
    this.next(); // let
    const name = s.lit;
    this.next(); // the identifier (checked by the caller)
    let expr: ast.Expr;
    if (this.tok() === Tok.BIND) {
      this.next();
      expr = this.parseExpr();
    } else {
      this.errorExpected("'='");
      expr = this.bad(s.start, s.start);
    }
    return { kind: 'LetDecl', src: this.src, start, end: expr.end, name, expr, doc };
  }

  private parseEllipsis(closing: Token): ast.Ellipsis {
    const s = this.s;
    const start = s.start;
    const end = s.end;
    this.next();
    if (this.tok() === Tok.COMMA || this.tok() === closing || this.tok() === Tok.EOF) {
      return { kind: 'Ellipsis', src: this.src, start, end, type: undefined };
    }
    const type = this.parseExpr();
    return { kind: 'Ellipsis', src: this.src, start, end: type.end, type };
  }

  private parseAttribute(): ast.Attribute {
    const s = this.s;
    const start = s.start;
    const end = s.end;
    const raw = s.lit;
    this.next();
    const open = raw.indexOf('(');
    if (open < 0) return { kind: 'Attribute', src: this.src, start, end, name: raw.slice(1), body: '' };
    const close = raw.charCodeAt(raw.length - 1) === 41 ? raw.length - 1 : raw.length;
    return { kind: 'Attribute', src: this.src, start, end, name: raw.slice(1, open), body: raw.slice(open + 1, close) };
  }

  // ------------------------------------------------------------ comprehensions

  private parseComprehension(): ast.Comprehension {
    const s = this.s;
    const start = s.start;
    const clauses: ast.Clause[] = [];
    while (this.tok() === Tok.FOR || this.tok() === Tok.IF || (this.tok() === Tok.LET && clauses.length > 0)) {
      clauses.push(this.parseClause());
      // Clauses may be separated by commas, and so by newlines (as in cue/parser).
      if (this.tok() === Tok.COMMA) this.next();
    }
    let body: ast.StructLit;
    if (this.tok() === Tok.LBRACE) {
      body = this.parseStruct();
    } else {
      this.errorExpected("'{'");
      body = { kind: 'StructLit', src: this.src, start: s.start, end: s.start, decls: [] };
    }
    return { kind: 'Comprehension', src: this.src, start, end: body.end, clauses, body };
  }

  private parseClause(): ast.Clause {
    const s = this.s;
    const start = s.start;
    const t = this.tok();
    this.next();
    if (t === Tok.IF) {
      const cond = this.parseExpr();
      return { kind: 'IfClause', src: this.src, start, end: cond.end, cond };
    }
    if (t === Tok.LET) {
      const name = this.expectIdent();
      let expr: ast.Expr;
      if (this.tok() === Tok.BIND) {
        this.next();
        expr = this.parseExpr();
      } else {
        this.errorExpected("'='");
        expr = this.bad(s.start, s.start);
      }
      return { kind: 'LetClause', src: this.src, start, end: expr.end, name, expr };
    }
    // for [k,] v in source
    let key: string | undefined;
    let value = this.expectIdent();
    if (this.tok() === Tok.COMMA && !s.autoComma) {
      this.next();
      key = value;
      value = this.expectIdent();
    }
    let source: ast.Expr;
    if (this.tok() === Tok.IN) {
      this.next();
      source = this.parseExpr();
    } else {
      this.errorExpected("'in'");
      source = this.bad(s.start, s.start);
    }
    return { kind: 'ForClause', src: this.src, start, end: source.end, key, value, source };
  }

  private expectIdent(): string {
    const s = this.s;
    if (this.tok() === Tok.IDENT) {
      const name = s.lit;
      this.next();
      return name;
    }
    this.errorExpected('identifier');
    return '_';
  }

  // ------------------------------------------------------------ expressions

  parseWholeExpr(): ast.Expr {
    const s = this.s;
    const x = this.parseExpr();
    if (this.tok() === Tok.COMMA && s.autoComma) this.next();
    if (this.tok() !== Tok.EOF) this.errorAt(s.start, s.end, `unexpected ${this.found()} after expression`);
    return x;
  }

  private parseExpr(): ast.Expr {
    return this.parseBinary(1);
  }

  /** Precedence climbing; recursion depth is bounded by the number of precedence levels. */
  private parseBinary(minPrec: number): ast.Expr {
    const s = this.s;
    let x = this.parseUnary();
    for (;;) {
      const op = this.tok();
      const prec = binaryPrecedence(op);
      if (prec === 0 || prec < minPrec) return x;
      const opPos = s.start;
      this.next();
      const y = this.parseBinary(prec + 1);
      x = { kind: 'BinaryExpr', src: this.src, start: x.start, end: y.end, op: op as ast.BinaryOp, x, y, opPos };
    }
  }

  private parseUnary(): ast.Expr {
    const s = this.s;
    if (!isUnaryOp(this.tok())) return this.parsePrimary();
    const start = s.start;
    const op = this.tok() as ast.UnaryOp;
    if (!this.enter()) return this.bad(start, s.end);
    this.next();
    const x = this.parseUnary();
    this.depth--;
    return { kind: 'UnaryExpr', src: this.src, start, end: x.end, op, x };
  }

  private parsePrimary(): ast.Expr {
    const s = this.s;
    let x = this.parseOperand();
    for (;;) {
      switch (this.tok()) {
        case Tok.PERIOD: {
          this.next();
          const selPos = s.start;
          const t = this.tok();
          let sel: string;
          if (t === Tok.IDENT || t === Tok.NULL || t === Tok.TRUE || t === Tok.FALSE || isKeyword(t)) {
            sel = s.lit;
          } else if (t === Tok.STRING) {
            sel = decodeString(this.text, s.contentStart, s.contentEnd, s.quote, (a, b, m) => this.errorAt(a, b, m));
          } else {
            this.errorExpected('selector');
            return { kind: 'SelectorExpr', src: this.src, start: x.start, end: s.start, x, sel: '', selPos };
          }
          const end = s.end;
          this.next();
          x = { kind: 'SelectorExpr', src: this.src, start: x.start, end, x, sel, selPos };
          break;
        }
        case Tok.LBRACK: {
          if (!this.enter()) return x;
          this.next();
          let lo: ast.Expr | undefined;
          if (this.tok() !== Tok.COLON) lo = this.parseExpr();
          if (this.tok() === Tok.COLON) {
            this.next();
            const hi = this.tok() === Tok.RBRACK ? undefined : this.parseExpr();
            const end = this.expectClosing(Tok.RBRACK, 'slice expression');
            x = { kind: 'SliceExpr', src: this.src, start: x.start, end, x, lo, hi };
          } else {
            const end = this.expectClosing(Tok.RBRACK, 'index expression');
            x = { kind: 'IndexExpr', src: this.src, start: x.start, end, x, index: lo! };
          }
          this.depth--;
          break;
        }
        case Tok.LPAREN: {
          if (!this.enter()) return x;
          this.next();
          const args: ast.Expr[] = [];
          while (this.tok() !== Tok.RPAREN && this.tok() !== Tok.EOF) {
            const before = s.start;
            args.push(this.parseExpr());
            if (this.tok() === Tok.COMMA) this.next();
            else if (this.tok() !== Tok.RPAREN) {
              this.errorAt(s.start, s.end, "missing ',' in argument list");
              if (s.start === before) break;
            }
          }
          const end = this.expectClosing(Tok.RPAREN, 'argument list');
          x = { kind: 'CallExpr', src: this.src, start: x.start, end, fn: x, args };
          this.depth--;
          break;
        }
        default:
          return x;
      }
    }
  }

  private parseOperand(): ast.Expr {
    const s = this.s;
    const start = s.start;
    const end = s.end;
    switch (this.tok()) {
      case Tok.IDENT:
      // The keywords of comprehensions and lets are ordinary names where an operand is expected (`x: in * 2`).
      case Tok.IN:
      case Tok.FOR:
      case Tok.IF:
      case Tok.LET: {
        const name = s.lit;
        this.next();
        return { kind: 'Ident', src: this.src, start, end, name };
      }
      case Tok.INT:
      case Tok.FLOAT: {
        const raw = s.lit;
        const n = decodeNumber(raw, this.tok() === Tok.FLOAT);
        this.next();
        return { kind: 'BasicLit', src: this.src, start, end, type: n.type, value: n.value, raw };
      }
      case Tok.STRING: {
        const raw = s.lit;
        const q = s.quote;
        const value = decodeString(this.text, s.contentStart, s.contentEnd, q, (a, b, m) => this.errorAt(a, b, m));
        this.next();
        return { kind: 'BasicLit', src: this.src, start, end, type: q.quote === 39 ? 'bytes' : 'string', value, raw };
      }
      case Tok.INTERP_START:
        return this.parseInterpolation();
      case Tok.NULL:
        this.next();
        return { kind: 'BasicLit', src: this.src, start, end, type: 'null', value: null, raw: 'null' };
      case Tok.TRUE:
      case Tok.FALSE: {
        const value = this.tok() === Tok.TRUE;
        this.next();
        return { kind: 'BasicLit', src: this.src, start, end, type: 'bool', value, raw: value ? 'true' : 'false' };
      }
      case Tok.BOTTOM:
        this.next();
        return { kind: 'BasicLit', src: this.src, start, end, type: 'bottom', value: null, raw: '_|_' };
      case Tok.LBRACE:
        return this.parseStruct();
      case Tok.LBRACK:
        return this.parseList();
      case Tok.LPAREN: {
        if (!this.enter()) return this.bad(start, end);
        this.next();
        const x = this.parseExpr();
        const close = this.expectClosing(Tok.RPAREN, 'parenthesized expression');
        this.depth--;
        return { kind: 'ParenExpr', src: this.src, start, end: close, x };
      }
    }
    this.errorExpected('operand');
    const t = this.tok();
    if (t !== Tok.COMMA && t !== Tok.RPAREN && t !== Tok.RBRACK && t !== Tok.RBRACE && t !== Tok.EOF && t !== Tok.COLON) {
      this.next();
      return this.bad(start, end);
    }
    return this.bad(start, start);
  }

  private parseInterpolation(): ast.Expr {
    const s = this.s;
    const start = s.start;
    const q = s.quote;
    const ranges: number[] = [s.contentStart, s.contentEnd];
    const exprs: ast.Expr[] = [];
    if (!this.enter()) return this.bad(start, s.end);
    let end: number;
    for (;;) {
      // At INTERP_START or INTERP_MID: the expression follows.
      this.next();
      exprs.push(this.parseExpr());
      if (this.tok() !== Tok.RPAREN || this.bailed) {
        this.errorExpected("')' to end the interpolation");
        end = s.start;
        ranges.push(end, end);
        break;
      }
      s.resumeInterpolation(q);
      ranges.push(s.contentStart, s.contentEnd);
      if (this.tok() === Tok.INTERP_END) {
        end = s.end;
        this.next();
        break;
      }
    }
    this.depth--;
    const strs = decodeStringParts(this.text, ranges, q, (a, b, m) => this.errorAt(a, b, m));
    const parts: (string | ast.Expr)[] = [];
    for (let i = 0; i < exprs.length; i++) parts.push(strs[i]!, exprs[i]!);
    parts.push(strs[exprs.length]!);
    return { kind: 'Interpolation', src: this.src, start, end, type: q.quote === 39 ? 'bytes' : 'string', parts };
  }

  private parseStruct(): ast.StructLit {
    const s = this.s;
    const start = s.start;
    if (!this.enter()) return { kind: 'StructLit', src: this.src, start, end: s.end, decls: [] };
    this.next();
    const decls = this.parseDeclList(Tok.RBRACE, []);
    const end = this.expectClosing(Tok.RBRACE, 'struct literal');
    this.depth--;
    return { kind: 'StructLit', src: this.src, start, end, decls };
  }

  private parseList(): ast.ListLit {
    const s = this.s;
    const start = s.start;
    if (!this.enter()) return { kind: 'ListLit', src: this.src, start, end: s.end, elts: [] };
    this.next();
    const elts: ast.ListElem[] = [];
    while (this.tok() !== Tok.RBRACK && this.tok() !== Tok.EOF) {
      const before = s.start;
      let e: ast.ListElem;
      if (this.tok() === Tok.ELLIPSIS) {
        e = this.parseEllipsis(Tok.RBRACK);
      } else if (this.tok() === Tok.FOR || this.tok() === Tok.IF) {
        e = this.parseComprehension();
      } else {
        const x = this.parseExpr();
        if (this.tok() === Tok.BIND && x.kind === 'Ident') {
          this.next();
          const y = this.parseExpr();
          e = { kind: 'AliasExpr', src: this.src, start: x.start, end: y.end, name: x.name, expr: y };
        } else e = x;
      }
      elts.push(e);
      if (this.tok() === Tok.COMMA) {
        this.next();
        if (e.kind === 'Ellipsis' && this.tok() !== Tok.RBRACK && this.tok() !== Tok.EOF) {
          this.errorAt(s.start, s.end, "expected ']' after ellipsis");
        }
      } else if (this.tok() !== Tok.RBRACK) {
        this.errorAt(s.start, s.end, "missing ',' in list literal");
        if (s.start === before) this.next();
      }
    }
    const end = this.expectClosing(Tok.RBRACK, 'list literal');
    this.depth--;
    return { kind: 'ListLit', src: this.src, start, end, elts };
  }

  // ------------------------------------------------------------ comments

  /**
   * The doc comments of a declaration starting at `start`: the run of
   * comments, each on its own line, ending on the line directly above, with
   * no blank line in between.
   */
  private docComments(start: number): readonly ast.Comment[] {
    const cs = this.s.comments;
    let i = cs.length - 1;
    while (i >= 0 && cs[i]!.start >= start) i--;
    const last = i;
    let boundary = start;
    while (i >= 0) {
      const c = cs[i]!;
      if (!this.oneNewlineBetween(c.end, boundary) || !this.ownLine(c.start)) break;
      boundary = c.start;
      i--;
    }
    return i === last ? NO_COMMENTS : cs.slice(i + 1, last + 1);
  }

  /** Only white space with exactly one newline in [a, b). */
  private oneNewlineBetween(a: number, b: number): boolean {
    const text = this.text;
    let nl = 0;
    for (let i = a; i < b; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        if (++nl > 1) return false;
      } else if (c !== 32 && c !== 9 && c !== 13) return false;
    }
    return nl === 1;
  }

  /** Nothing but white space before `pos` on its line. */
  private ownLine(pos: number): boolean {
    const text = this.text;
    for (let i = pos - 1; i >= 0; i--) {
      const c = text.charCodeAt(i);
      if (c === 10) return true;
      if (c !== 32 && c !== 9 && c !== 13 && c !== 0xfeff) return false;
    }
    return true;
  }

  /** A comment after the field on the same line (the separating comma may be in between). */
  private attachLineComment(f: ast.Field): void {
    const cs = this.s.comments;
    let i = cs.length - 1;
    while (i >= 0 && cs[i]!.start >= f.end) i--;
    const c = cs[i + 1];
    if (c === undefined) return;
    const text = this.text;
    for (let k = f.end; k < c.start; k++) {
      const ch = text.charCodeAt(k);
      if (ch !== 32 && ch !== 9 && ch !== 44) return;
    }
    (f as Mutable<ast.Field>).lineComment = c;
  }
}

function truncate(s: string): string {
  return s.length > 24 ? `${s.slice(0, 21)}...` : s;
}
