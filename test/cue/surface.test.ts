/**
 * The engine's surface: the rest of vela reaches it only through src/cue/index.ts, and the Value API answers
 * what capability (parameter schemas, patch conventions) and render need, lazily and within the limits.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, evaluate, type Value } from '../../src/cue/index.js';
import { compiledProgram } from '../../src/cue/compile/program.js';
import { importsOf, sourceFiles } from '../cli/imports.js';

const SRC = resolve(import.meta.dirname, '../../src');

function root(text: string, inject?: Record<string, unknown>): Value {
  const r = evaluate(compile([{ name: 'in.cue', text }]), { inject });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.root;
}

describe('the engine is reached through its index only', () => {
  it('no file outside src/cue imports anything of the engine but src/cue/index.ts', () => {
    const outside: string[] = [];
    for (const abs of sourceFiles(SRC)) {
      const rel = relative(SRC, abs).split(sep).join('/');
      if (rel.startsWith('cue/')) continue;
      for (const imp of importsOf(rel, readFileSync(abs, 'utf8'))) {
        if (!imp.spec.startsWith('.')) continue;
        const target = relative(SRC, resolve(SRC, dirname(rel), imp.spec)).split(sep).join('/');
        if (target.startsWith('cue/') && target !== 'cue/index.js') outside.push(`${rel} imports ${target}`);
      }
    }
    expect(outside).toEqual([]);
  });
});

describe('compile step', () => {
  it('compiles a program once per set of injected names, however often it is evaluated', () => {
    const program = compile([{ name: 'c.cue', text: 'a: parameter.x + 1\n' }]);
    const first = compiledProgram(program, ['parameter']);
    for (let i = 0; i < 5; i++) {
      const r = evaluate(program, { inject: { parameter: { x: i } } });
      expect(r.ok && r.root.lookup('a')?.scalar()).toBe(i + 1);
    }
    expect(compiledProgram(program, ['parameter'])).toBe(first);
    expect(compiledProgram(program, [])).not.toBe(first);
  });

  it('reports an alias or let that is never referenced as a compile error', () => {
    const r = evaluate(compile([{ name: 'u.cue', text: 'a: {\n\tlet unused = 1\n\tb: 2\n}\n' }]));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostics[0]!.message).toBe('unreferenced alias or let clause unused');
      expect(r.diagnostics[0]!.span?.file.lineCol(r.diagnostics[0]!.span.start).line).toBe(2);
    }
  });
});

describe('injected data', () => {
  const context = { appName: 'shop', name: 'web', namespace: 'prod', revision: 'web-v1' };

  it('reads a field of data the template only reads, and lists the data in its order after one was read by name', () => {
    const v = root('first: context.namespace\nkeys: [for k, _ in context {k}]\nagain: context.namespace\n', { context });
    expect(v.lookup('first')?.scalar()).toBe('prod');
    expect(v.lookup('again')?.scalar()).toBe('prod');
    expect(v.lookup('keys')?.export()).toMatchObject({ ok: true, data: ['appName', 'name', 'namespace', 'revision'] });
    expect(v.lookup('context')?.export()).toMatchObject({ ok: true, data: context });
  });

  it('checks data the template also declares against its declaration', () => {
    const r = evaluate(compile([{ name: 'in.cue', text: 'context: {name: int}\nn: context.name\n' }]), { inject: { context } });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.root.lookup('n')?.export()).toMatchObject({ ok: false });
    const ok = root('context: {name: string, extra: *"d" | string}\nn: context.name\ne: context.extra\n', { context });
    expect(ok.lookup('n')?.scalar()).toBe('web');
    expect(ok.lookup('e')?.scalar()).toBe('d');
  });

  it('says a field the data does not have is undefined, and records where exported data came from', () => {
    const v = root('out: {n: context.name, r: context.revision}\nmissing: context.nope\n', { context });
    expect(v.lookup('missing')?.export()).toMatchObject({ ok: false });
    const r = v.lookup('out')!.export({ sources: true });
    expect(r.ok && [...r.sources!]).toEqual([
      ['n', ['context', 'name']],
      ['r', ['context', 'revision']],
    ]);
  });

  it('records only the sources of one injected value when asked for it by name', () => {
    const v = root('out: {n: context.name, p: parameter.port, l: [parameter.port, context.namespace]}\n', { context, parameter: { port: 80 } });
    const only = v.lookup('out')!.export({ sources: 'parameter' });
    expect(only.ok && [...only.sources!]).toEqual([
      ['p', ['parameter', 'port']],
      ['l[0]', ['parameter', 'port']],
    ]);
    const all = v.lookup('out')!.export({ sources: true });
    expect(all.ok && all.sources!.size).toBe(4);
  });
});

describe('Value API', () => {
  it('looks up fields by path, optional and definitions included, and tells their kind', () => {
    const v = root('#D: {x: int}\na: {b?: string, c: [1, 2], d: 1.5, e: "s", f: int}\n');
    expect(v.lookup('a', 'c')?.kind()).toBe('list');
    expect(v.lookup('a', 'd')?.kind()).toBe('float');
    expect(v.lookup('a', 'b')?.optional).toBe(true);
    expect(v.lookup('a', 'b')?.isSet).toBe(false);
    expect(v.lookup('a', 'f')?.kind()).toBeUndefined();
    expect(v.lookup('a', 'f')?.allowedKinds()).toEqual(['int']);
    expect(v.lookup('#D', 'x')?.allowedKinds()).toEqual(['int']);
    expect(v.lookup('a', 'nope')).toBeUndefined();
    expect(v.lookup('a', 'c', 'x')).toBeUndefined();
  });

  it('gives exact numbers', () => {
    const v = root('big: 9007199254740993\nf: 1.5e3\n');
    expect(v.lookup('big')?.scalar()).toBe(9007199254740993n);
    expect(v.lookup('big')?.numberText()).toBe('9007199254740993');
    expect(v.lookup('f')?.numberText()).toBe('1.5E+3');
  });

  it('lists fields in order with optional ones on request, and patterns with their regular expression', () => {
    const v = root('s: {a: 1, b?: 2, c!: int, [=~"^x-"]: string, [string]: _}\n').lookup('s')!;
    expect(v.fields().map((f) => [f.label, f.required])).toEqual([
      ['a', false],
      ['c', true],
    ]);
    expect(v.fields({ optional: true }).map((f) => f.label)).toEqual(['a', 'b', 'c']);
    const [re, any] = v.patterns();
    expect(re!.regex).toBe('^x-');
    expect(re!.matches('x-a')).toBe(true);
    expect(re!.matches('y')).toBe(false);
    expect(re!.value.allowedKinds()).toEqual(['string']);
    expect(any!.anyLabel).toBe(true);
  });

  it('gives disjuncts with their defaults and the default', () => {
    const v = root('a: *"x" | "y" | int\n').lookup('a')!;
    expect(v.disjuncts()?.map((d) => [d.value.scalar() ?? d.value.allowedKinds(), d.isDefault])).toEqual([
      ['x', true],
      ['y', false],
      [['int'], false],
    ]);
    expect(v.default().scalar()).toBe('x');
    expect(root('b: 1\n').lookup('b')!.disjuncts()).toBeUndefined();
  });

  it('gives bounds and validators', () => {
    const v = root('import "strings"\np: int & >=1 & <=65535\ns: =~"^a" & strings.MinRunes(2)\n');
    expect(v.lookup('p')!.bounds()).toEqual([
      { op: '>=', value: 1 },
      { op: '<=', value: 65535 },
    ]);
    expect(v.lookup('s')!.bounds()).toEqual([
      { op: '=~', value: '^a' },
      { op: 'validator', name: 'strings.MinRunes(2)', builtin: 'MinRunes', args: [2] },
    ]);
  });

  it('gives list elements and the type of further elements of an open list', () => {
    const v = root('l: [1, ...string]\nm: [1, 2]\n');
    expect(v.lookup('l')!.elements().map((e) => e.scalar())).toEqual([1]);
    expect(v.lookup('l')!.isOpenList()).toBe(true);
    expect(v.lookup('l')!.elementType()?.allowedKinds()).toEqual(['string']);
    expect(v.lookup('m')!.isOpenList()).toBe(false);
  });

  it('reads doc comments: a comment above a shorthand documents its innermost field, with how far up it was written', () => {
    const v = root('// +usage=the port\nport: int\n// about a chain\npatch: spec: replicas: 1\nx: 1 // a line comment\n');
    expect(v.lookup('port')!.doc()).toEqual([{ text: ' +usage=the port', chain: 0 }]);
    expect(v.lookup('patch')!.doc()).toEqual([]);
    expect(v.lookup('patch', 'spec', 'replicas')!.doc()).toEqual([{ text: ' about a chain', chain: 2 }]);
    expect(v.lookup('x')!.doc()).toEqual([{ text: ' a line comment', chain: 0 }]);
  });

  it('reads attributes and positions', () => {
    const v = root('a: int @go(A) @deprecated()\n');
    expect(v.lookup('a')!.attributes()).toEqual([
      { name: 'go', body: 'A' },
      { name: 'deprecated', body: '' },
    ]);
    expect(v.lookup('a')!.position()?.start).toBe(0);
  });

  it('exports data with where injected values went, or every error with its path', () => {
    const v = root('parameter: {port: int}\nout: {spec: ports: [{p: parameter.port}], n: 1}\n', { parameter: { port: 80 } });
    const r = v.lookup('out')!.export({ sources: true });
    expect(r.ok && r.data).toEqual({ spec: { ports: [{ p: 80 }] }, n: 1 });
    expect(r.ok && [...(r.sources ?? [])]).toEqual([['spec.ports[0].p', ['parameter', 'port']]]);
    const bad = root('a: {b: 1 & 2, c: int}\n').lookup('a')!;
    const e = bad.export();
    expect(e.ok).toBe(false);
    if (!e.ok) expect(e.diagnostics.map((d) => d.path)).toEqual(['a.b', 'a.c']);
    expect(bad.validate().map((d) => d.path)).toEqual(['a.b']);
  });

  it('turns an evaluation limit into a failure of the whole instance, never a throw', () => {
    const r = evaluate(compile([{ name: 'r.cue', text: '#F: {n: int, let m = n, if n > 0 {next: #F & {n: m - 1}}}\nx: #F & {n: 100000}\n' }]), { maxSteps: 20_000 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const e = r.root.export();
    expect(e.ok).toBe(false);
    expect(r.root.failure()?.code).toBe('cue/limit');
    if (!e.ok) expect(e.diagnostics).toEqual([r.root.failure()]);
    // Every later answer is an error's.
    expect(r.root.lookup('x')?.export().ok ?? false).toBe(false);
  });
});
