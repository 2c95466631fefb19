import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/source/position.js';
import { formatDiagnosticLine } from '../../src/source/diagnostic.js';
import { MAX_NESTING, parseExpr, parseFile } from '../../src/cue/parser.js';
import { dumpAst } from '../../src/cue/ast-dump.js';
import type * as ast from '../../src/cue/ast.js';
import { expectGolden } from '../support/golden.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'parser');

function parse(text: string, name = 't.cue') {
  return parseFile(new SourceFile(name, text));
}

function errors(text: string): string[] {
  return parse(text).diagnostics.map(formatDiagnosticLine);
}

function field(decls: readonly ast.Decl[], i: number): ast.Field {
  const d = decls[i]!;
  expect(d.kind).toBe('Field');
  return d as ast.Field;
}

const golden = expectGolden;

describe('parser golden files', () => {
  const inputs = readdirSync(dir)
    .filter((f) => f.endsWith('.cue'))
    .sort();

  it('has enough cases', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(40);
    expect(inputs.filter((f) => f.startsWith('err-')).length).toBeGreaterThanOrEqual(10);
  });

  for (const f of inputs) {
    it(f, () => {
      const base = join(dir, f.slice(0, -4));
      const text = readFileSync(join(dir, f), 'utf8');
      const { file, diagnostics } = parse(text, f);
      const errs = diagnostics.map((d) => formatDiagnosticLine(d) + '\n').join('');
      // err-* cases must fail; all others must parse cleanly.
      if (f.startsWith('err-')) expect(diagnostics.length).toBeGreaterThan(0);
      else expect(errs).toBe('');
      golden(base + '.ast', dumpAst(file));
      golden(base + '.err', errs === '' ? undefined : errs);
    });
  }
});

describe('parser structure', () => {
  it('gives every node its offsets', () => {
    const text = 'a: b.c + 1';
    const f = field(parse(text).file.decls, 0);
    expect([f.start, f.end]).toEqual([0, 10]);
    const v = f.value as ast.BinaryExpr;
    expect([v.start, v.end, v.opPos]).toEqual([3, 10, 7]);
    const sel = v.x as ast.SelectorExpr;
    expect([sel.sel, sel.selPos, sel.start, sel.end]).toEqual(['c', 5, 3, 6]);
  });

  it('builds nested structs for the field shorthand', () => {
    const f = field(parse('a: b?: c: 1 @x()').file.decls, 0);
    expect(f.attrs).toEqual([]);
    const b = field((f.value as ast.StructLit).decls, 0);
    expect([b.constraint, (b.label as ast.Ident).name]).toEqual(['?', 'b']);
    const c = field((b.value as ast.StructLit).decls, 0);
    expect(c.attrs.map((a) => [a.name, a.body])).toEqual([['x', '']]);
  });

  it('distinguishes field aliases, value aliases and pattern aliases', () => {
    const decls = parse('X=a: 1\nb: Y={}\n[Z=string]: Z').file.decls;
    expect(field(decls, 0).alias).toBe('X');
    const b = field(decls, 1).value as ast.AliasExpr;
    expect([b.kind, b.name, b.expr.kind]).toEqual(['AliasExpr', 'Y', 'StructLit']);
    const p = field(decls, 2).label as ast.PatternLabel;
    expect([p.kind, p.alias, (p.expr as ast.Ident).name]).toEqual(['PatternLabel', 'Z', 'string']);
  });

  it('attaches doc comments: a contiguous run directly above, no blank line', () => {
    const text = ['// a1', '// a2', 'a: 1', '', '// loose', '', 'b: 2', '// c', 'c: 3 // same line', 'd: 4'].join('\n');
    const decls = parse(text).file.decls;
    expect(field(decls, 0).doc.map((c) => c.text)).toEqual([' a1', ' a2']);
    expect(field(decls, 1).doc).toEqual([]);
    expect(field(decls, 2).doc.map((c) => c.text)).toEqual([' c']);
    expect(field(decls, 2).lineComment?.text).toBe(' same line');
    // A comment at the end of the previous line is not doc for the next field.
    expect(field(decls, 3).doc).toEqual([]);
    expect(parse(text).file.comments.map((c) => c.text)).toEqual([' a1', ' a2', ' loose', ' c', ' same line']);
  });

  it('keeps +usage and +patchKey comments on nested fields', () => {
    const text = 'parameter: {\n\t// +usage=the image\n\timage: string\n}\npatch: {\n\t// +patchKey=name\n\tcontainers: [{name: "x"}]\n}\n';
    const decls = parse(text).file.decls;
    const image = field((field(decls, 0).value as ast.StructLit).decls, 0);
    expect(image.doc.map((c) => c.text)).toEqual([' +usage=the image']);
    const containers = field((field(decls, 1).value as ast.StructLit).decls, 0);
    expect(containers.doc.map((c) => c.text)).toEqual([' +patchKey=name']);
  });

  it('reads a line comment after an explicit comma', () => {
    const decls = parse('a: 1, // one\nb: 2').file.decls;
    expect(field(decls, 0).lineComment?.text).toBe(' one');
    expect(field(decls, 1).lineComment).toBeUndefined();
  });

  it('treats keywords as labels only before a colon', () => {
    const decls = parse('if: 1\nif x {a: 1}\nlet: 2\nlet y = 3\nfor?: 4').file.decls;
    expect(decls.map((d) => d.kind)).toEqual(['Field', 'Comprehension', 'Field', 'LetDecl', 'Field']);
    expect(field(decls, 4).constraint).toBe('?');
  });

  it('parses a single expression', () => {
    const { expr, diagnostics } = parseExpr(new SourceFile('e', '>=1 & <=10 | *5\n'));
    expect(diagnostics).toEqual([]);
    expect(dumpAst(expr).split('\n')[0]).toBe('BinaryExpr 1:1-1:16 | @1:12');
    expect(parseExpr(new SourceFile('e', '1 2')).diagnostics.map(formatDiagnosticLine)).toEqual([
      "e:1:3: unexpected '2' after expression",
    ]);
  });
});

describe('parser error recovery', () => {
  it('reports at most one error per line and goes on', () => {
    expect(errors('a: : : : 1\nb: 2 3\nc: 4')).toEqual(["t.cue:1:4: expected operand, found ':'", "t.cue:2:6: missing ',' in struct literal"]);
  });

  it('stops after ten errors', () => {
    const text = Array.from({ length: 30 }, (_, i) => `f${i}: ]`).join('\n');
    const errs = errors(text);
    expect(errs).toHaveLength(10);
    expect(errs[9]).toBe("t.cue:10:5: expected operand, found ']'");
  });

  it('keeps the declarations around an error', () => {
    const { file, diagnostics } = parse('a: 1\nb: (2 +\nc: 3\nd: 4\n');
    expect(diagnostics.length).toBeGreaterThan(0);
    const labels = file.decls.filter((d) => d.kind === 'Field').map((d) => ((d as ast.Field).label as ast.Ident).name);
    expect(labels).toContain('a');
    expect(labels).toContain('d');
  });

  it('reports a missing closing brace at the end of the file', () => {
    expect(errors('a: {\n\tb: 1\n')).toEqual(["t.cue:3:1: expected '}', found EOF"]);
  });

  it('caps nesting instead of overflowing the stack', () => {
    for (const text of ['['.repeat(100_000), '{a: '.repeat(100_000), '-'.repeat(100_000) + '1', '('.repeat(100_000), '"\\('.repeat(50_000)]) {
      const { file, diagnostics } = parse(text);
      expect(file.kind).toBe('File');
      expect(diagnostics.map((d) => d.message)).toContain(
        `nesting too deep: more than ${MAX_NESTING} levels of brackets, operators or fields`,
      );
    }
  });

  it('accepts nesting just under the cap', () => {
    // Each `{b: [` is three levels: the struct, the field value and the list.
    const n = Math.floor(MAX_NESTING / 3) - 2;
    const text = 'a: ' + '{b: ['.repeat(n) + '1' + ']}'.repeat(n);
    expect(errors(text)).toEqual([]);
  });

  it('handles a 10 MB line', () => {
    const { file, diagnostics } = parse('a: "' + 'x'.repeat(10_000_000) + '"\nb: ' + '1 + '.repeat(200_000) + '1\n');
    expect(diagnostics).toEqual([]);
    expect(((field(file.decls, 0).value as ast.BasicLit).value as string).length).toBe(10_000_000);
  });

  it('never throws on mutated input', () => {
    const text = readFileSync(join(dir, 'kubevela-webservice.cue'), 'utf8');
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const junk = ['{', '}', '[', ']', '(', ')', '"', "'", '"""', '\\(', ':', ',', '\n', '#', '_|_', '...', '@', '=', '//'];
    for (let i = 0; i < 300; i++) {
      let t = text;
      for (let k = 0; k < 1 + rand(4); k++) {
        const at = rand(t.length);
        t = rand(2) === 0 ? t.slice(0, at) + junk[rand(junk.length)] + t.slice(at) : t.slice(0, at) + t.slice(at + 1 + rand(20));
      }
      const { file, diagnostics } = parse(t);
      expect(file.kind).toBe('File');
      expect(diagnostics.length).toBeLessThanOrEqual(11);
      dumpAst(file);
    }
  });
});

describe('parser speed', () => {
  it('parses a realistic definition quickly when warm', () => {
    const src = readFileSync(join(dir, 'kubevela-webservice.cue'), 'utf8');
    for (let i = 0; i < 200; i++) parse(src);
    const n = 200;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) parse(src);
    const perParse = (performance.now() - t0) / n;
    // ~180 lines; generous bound so a loaded machine does not flake.
    expect(perParse).toBeLessThan(5);
  });
});
