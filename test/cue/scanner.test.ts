import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/source/position.js';
import { Scanner } from '../../src/cue/scanner.js';
import { parseExpr } from '../../src/cue/parser.js';
import { Tok } from '../../src/cue/token.js';
import type * as ast from '../../src/cue/ast.js';

/** Tokens as `TOK` or `TOK(text)`, an inserted comma as `\n`. */
function scan(text: string): { toks: string[]; errors: string[] } {
  const errors: string[] = [];
  const src = new SourceFile('t.cue', text);
  const s = new Scanner(src, (a, _b, m) => {
    const { line, column } = src.lineCol(a);
    errors.push(`${line}:${column}: ${m}`);
  });
  const toks: string[] = [];
  for (let i = 0; i < 1000; i++) {
    s.next();
    if (s.tok === Tok.EOF) break;
    if (s.tok === Tok.COMMA && s.autoComma) toks.push('\\n');
    else if (s.tok === Tok.IDENT || s.tok === Tok.INT || s.tok === Tok.FLOAT || s.tok === Tok.STRING || s.tok === Tok.ATTRIBUTE) {
      toks.push(`${s.tok}(${s.lit})`);
    } else toks.push(s.tok);
  }
  return { toks, errors };
}

function lit(text: string): ast.BasicLit {
  const { expr, diagnostics } = parseExpr(new SourceFile('t.cue', text));
  expect(diagnostics.map((d) => d.message)).toEqual([]);
  expect(expr.kind).toBe('BasicLit');
  return expr as ast.BasicLit;
}

function litError(text: string): string[] {
  return parseExpr(new SourceFile('t.cue', text)).diagnostics.map((d) => {
    const { line, column } = d.span!.file.lineCol(d.span!.start);
    return `${line}:${column}: ${d.message}`;
  });
}

describe('scanner tokens', () => {
  it('scans identifiers of every kind and keywords', () => {
    expect(scan('foo #Def _hidden _#hid $x a$b _ package import for in if let null true false _|_').toks).toEqual([
      'IDENT(foo)', 'IDENT(#Def)', 'IDENT(_hidden)', 'IDENT(_#hid)', 'IDENT($x)', 'IDENT(a$b)', 'IDENT(_)',
      'package', 'import', 'for', 'in', 'if', 'let', 'null', 'true', 'false', '_|_', '\\n',
    ]);
  });

  it('scans operators, preferring the longest match', () => {
    expect(scan('+ - * / & | && || == != < <= > >= =~ !~ ! = : ? ( ) [ ] { } , . ...').toks).toEqual([
      '+', '-', '*', '/', '&', '|', '&&', '||', '==', '!=', '<', '<=', '>', '>=', '=~', '!~', '!', '=', ':', '?',
      '(', ')', '[', ']', '{', '}', ',', '.', '...', '\\n',
    ]);
  });

  it('inserts a comma at a newline after an element end, as Go does', () => {
    const { toks } = scan('a: 1\nb: "x"\nc: [\n  1\n]\nd: {\n}\ne: f(\n)\ng: _|_\nh: null\ni: ...\nj: x &\n  y\n');
    expect(toks.join(' ')).toBe(
      'IDENT(a) : INT(1) \\n IDENT(b) : STRING("x") \\n IDENT(c) : [ INT(1) \\n ] \\n IDENT(d) : { } \\n ' +
        'IDENT(e) : IDENT(f) ( ) \\n IDENT(g) : _|_ \\n IDENT(h) : null \\n IDENT(i) : ... \\n IDENT(j) : IDENT(x) & IDENT(y) \\n',
    );
  });

  it('does not insert a comma after an operator, a colon or an opening bracket', () => {
    expect(scan('a:\n b &\n c (\n[\n{\n').toks).toEqual(['IDENT(a)', ':', 'IDENT(b)', '&', 'IDENT(c)', '(', '[', '{']);
  });

  it('inserts a comma at the end of the file and before a trailing comment', () => {
    expect(scan('a: 1 // c').toks).toEqual(['IDENT(a)', ':', 'INT(1)', '\\n']);
    expect(scan('a: 1 // c\n').toks).toEqual(['IDENT(a)', ':', 'INT(1)', '\\n']);
  });

  it('does not insert a comma when the next line starts with a comma or a colon', () => {
    expect(scan('a\n, b\n: c').toks).toEqual(['IDENT(a)', ',', 'IDENT(b)', ':', 'IDENT(c)', '\\n']);
  });

  it('collects comments without the slashes', () => {
    const s = new Scanner(new SourceFile('t', '// one\na: 1 // two\r\n//three'), () => {});
    for (s.next(); s.tok !== Tok.EOF; s.next());
    expect(s.comments.map((c) => c.text)).toEqual([' one', ' two', 'three']);
    expect(s.comments.map((c) => [c.start, c.end])).toEqual([[0, 6], [12, 18], [20, 27]]);
  });

  it('scans attributes whole, with balanced brackets and strings', () => {
    expect(scan('a: int @go(A,type=[]int) @xml("a)b", (x))').toks).toEqual([
      'IDENT(a)', ':', 'IDENT(int)', 'ATTRIBUTE(@go(A,type=[]int))', 'ATTRIBUTE(@xml("a)b", (x)))', '\\n',
    ]);
  });

  it('scans numbers with separators, bases, fractions, exponents and multipliers', () => {
    expect(scan('1_000 0x1F 0o17 0b101 1.5 .5 1e3 1.5e-3 2E+2 1Ki 1.5M 1.5Gi').toks).toEqual([
      'INT(1_000)', 'INT(0x1F)', 'INT(0o17)', 'INT(0b101)', 'FLOAT(1.5)', 'FLOAT(.5)', 'FLOAT(1e3)', 'FLOAT(1.5e-3)',
      'FLOAT(2E+2)', 'INT(1Ki)', 'INT(1.5M)', 'INT(1.5Gi)', '\\n',
    ]);
  });

  it('keeps a range dot out of a number', () => {
    expect(scan('x[1:2]').toks).toEqual(['IDENT(x)', '[', 'INT(1)', ':', 'INT(2)', ']', '\\n']);
  });

  it('reports bad numbers', () => {
    expect(scan('0x').errors).toEqual(['1:1: illegal hexadecimal number']);
    expect(scan('1__0').errors).toEqual(["1:3: illegal '_' in number"]);
    expect(scan('10_').errors).toEqual(["1:3: illegal '_' in number"]);
    expect(scan('0123').errors).toEqual(['1:1: illegal integer number']);
    expect(scan('1e').errors).toEqual(['1:2: illegal exponent in number']);
  });

  it('reports illegal characters and a lone `..`', () => {
    expect(scan('a ~ b').errors).toEqual(["1:3: illegal character U+007E '~'"]);
    expect(scan('a .. b').errors).toEqual(["1:3: illegal token '..'; expected '.'"]);
  });

  it('splits a string at interpolations, leaving the expression to the parser', () => {
    const src = new SourceFile('t', '"a\\(x)b"');
    const s = new Scanner(src, () => {});
    s.next();
    expect([s.tok, s.contentStart, s.contentEnd]).toEqual([Tok.INTERP_START, 1, 2]);
    s.next();
    expect(s.tok).toBe(Tok.IDENT);
    s.next();
    expect(s.tok).toBe(Tok.RPAREN);
    s.resumeInterpolation(s.quote);
    expect([s.tok, s.contentStart, s.contentEnd]).toEqual([Tok.INTERP_END, 6, 7]);
  });

  it('can save and restore its state for look-ahead', () => {
    const s = new Scanner(new SourceFile('t', 'a // c\nb'), () => {});
    s.next();
    const st = s.save();
    s.next();
    s.next();
    expect(s.tok).toBe(Tok.IDENT);
    expect(s.comments).toHaveLength(1);
    s.restore(st);
    expect([s.tok, s.lit, s.comments.length]).toEqual([Tok.IDENT, 'a', 0]);
  });
});

describe('number literals', () => {
  it('decodes integers in every base', () => {
    expect(lit('1_000_000')).toMatchObject({ type: 'int', value: 1000000, raw: '1_000_000' });
    expect(lit('0x_FF')).toMatchObject({ type: 'int', value: 255 });
    expect(lit('0o755')).toMatchObject({ type: 'int', value: 493 });
    expect(lit('0b1010')).toMatchObject({ type: 'int', value: 10 });
    expect(lit('0')).toMatchObject({ type: 'int', value: 0 });
  });

  it('decodes floats', () => {
    expect(lit('1.5')).toMatchObject({ type: 'float', value: 1.5 });
    expect(lit('.25')).toMatchObject({ type: 'float', value: 0.25 });
    expect(lit('1e3')).toMatchObject({ type: 'float', value: 1000 });
    expect(lit('1.5e-3')).toMatchObject({ type: 'float', value: 0.0015 });
    expect(lit('0.1')).toMatchObject({ type: 'float', value: 0.1 });
  });

  it('applies SI and IEC multipliers and makes the result an int', () => {
    expect(lit('1K')).toMatchObject({ type: 'int', value: 1000, raw: '1K' });
    expect(lit('2M')).toMatchObject({ type: 'int', value: 2_000_000 });
    expect(lit('1Ki')).toMatchObject({ type: 'int', value: 1024 });
    expect(lit('1.5Ki')).toMatchObject({ type: 'int', value: 1536 });
    expect(lit('0.1K')).toMatchObject({ type: 'int', value: 100 });
    expect(lit('3Gi')).toMatchObject({ type: 'int', value: 3 * 1024 ** 3 });
    expect(lit('1T')).toMatchObject({ type: 'int', value: 1e12 });
    expect(lit('1Pi')).toMatchObject({ type: 'int', value: 1024 ** 5 });
  });

  it('truncates a fraction times a multiplier toward zero, as the spec says', () => {
    expect(lit('1.3Ki')).toMatchObject({ type: 'int', value: 1331 });
    expect(lit('1.0001K')).toMatchObject({ type: 'int', value: 1000 });
    expect(lit('0.1Ki')).toMatchObject({ type: 'int', value: 102 });
    expect(lit('1.5G')).toMatchObject({ type: 'int', value: 1_500_000_000 });
  });
});

describe('string literals', () => {
  it('decodes simple strings and bytes', () => {
    expect(lit('"hello"')).toMatchObject({ type: 'string', value: 'hello', raw: '"hello"' });
    expect(lit("'bytes'")).toMatchObject({ type: 'bytes', value: 'bytes' });
    expect(lit('""')).toMatchObject({ type: 'string', value: '' });
  });

  it('decodes every escape', () => {
    expect(lit('"\\a\\b\\f\\n\\r\\t\\v\\\\\\/\\""').value).toBe('\x07\b\f\n\r\t\v\\/"');
    expect(lit("'\\''").value).toBe("'");
    expect(lit('"\\u00e9\\U0001F600"').value).toBe('é😀');
    expect(lit("'\\x41\\101\\xff'").value).toBe('AA\xff');
  });

  it('rejects escapes that do not belong', () => {
    expect(litError('"\\q"')).toEqual(['1:2: unknown escape sequence']);
    expect(litError('"\\x41"')).toEqual(['1:2: hexadecimal escape not allowed in string literal']);
    expect(litError('"\\101"')).toEqual(['1:2: octal escape not allowed in string literal']);
    expect(litError('"\\\'"')).toEqual(['1:2: unknown escape sequence']);
    expect(litError('"\\u12"')).toEqual(['1:2: escape sequence not terminated or has an illegal character']);
  });

  it('reports an unterminated string at its start', () => {
    expect(litError('"abc')).toEqual(['1:1: string literal not terminated']);
    expect(litError('x + "abc\n"')[0]).toBe('1:5: string literal not terminated');
  });

  it('decodes raw strings, where escapes need the hashes', () => {
    expect(lit('#"a\\nb"#').value).toBe('a\\nb');
    expect(lit('#"a\\#nb"#').value).toBe('a\nb');
    expect(lit('#"say "hi""#').value).toBe('say "hi"');
    expect(lit('##"a"#b"##').value).toBe('a"#b');
    expect(lit('#"\\(x)"#').value).toBe('\\(x)');
  });

  it('removes the indentation of the closing quotes from multi-line strings', () => {
    expect(lit('"""\n    line one\n      indented\n\n    last\n    """').value).toBe('line one\n  indented\n\nlast');
    expect(lit('"""\n\tx\n\t"""').value).toBe('x');
    expect(lit('"""\n"""').value).toBe('');
    expect(lit('"""\n  a\n  \n  """').value).toBe('a\n');
    expect(lit("'''\n  bytes\n  '''")).toMatchObject({ type: 'bytes', value: 'bytes' });
    expect(lit('#"""\n  a\\nb\\#tc\n  """#').value).toBe('a\\nb\tc');
  });

  it('keeps quotes inside multi-line strings and joins escaped newlines', () => {
    expect(lit('"""\n  say "hi" and """ ok\n  """').value).toBe('say "hi" and """ ok');
    expect(lit('"""\n  one \\\n  two\n  """').value).toBe('one two');
  });

  it('strips carriage returns from multi-line strings', () => {
    expect(lit('"""\r\n  a\r\n  b\r\n  """').value).toBe('a\nb');
  });

  it('reports bad multi-line strings', () => {
    expect(litError('"""abc"""')).toEqual(['1:1: expected newline after multiline quote """']);
    expect(litError('"""\n    a\n  b\n    """')).toEqual([
      '3:1: invalid string: non-matching whitespace for multiline string (expected "    ", got "  ")',
    ]);
    expect(litError('"""\n  a"""')).toEqual(['1:1: string literal not terminated']);
  });

  it('decodes interpolations into alternating literal parts and expressions', () => {
    const { expr, diagnostics } = parseExpr(new SourceFile('t', '"a\\(x)b\\("n\\(y)")\\n"'));
    expect(diagnostics).toEqual([]);
    expect(expr.kind).toBe('Interpolation');
    const parts = (expr as ast.Interpolation).parts;
    expect(parts.map((p) => (typeof p === 'string' ? p : p.kind))).toEqual(['a', 'Ident', 'b', 'Interpolation', '\n']);
    const inner = parts[3] as ast.Interpolation;
    expect(inner.parts.map((p) => (typeof p === 'string' ? p : p.kind))).toEqual(['n', 'Ident', '']);
  });

  it('decodes multi-line interpolations with the common indentation removed', () => {
    const { expr, diagnostics } = parseExpr(new SourceFile('t', '"""\n    a \\(x)\n    b \\(y) c\n    """'));
    expect(diagnostics).toEqual([]);
    const parts = (expr as ast.Interpolation).parts;
    expect(parts.map((p) => (typeof p === 'string' ? p : (p as ast.Ident).name))).toEqual(['a ', 'x', '\nb ', 'y', ' c']);
  });

  it('needs the hashes for interpolation in raw strings', () => {
    const { expr } = parseExpr(new SourceFile('t', '#"a\\#(x)"#'));
    expect(expr.kind).toBe('Interpolation');
  });
});
