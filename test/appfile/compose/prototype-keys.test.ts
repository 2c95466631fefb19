/**
 * Keys that name members of JavaScript's Object (`__proto__`, `constructor`,
 * `toString`) are keys like any other in a compose file: an unknown service
 * key is the unknown-key error with the Compose hint (never a function's
 * text or `[object Object]`), `${toString}` is an unset variable (never the
 * text of a function), and such names work as build args, labels and env names.
 */
import { describe, expect, it } from 'vitest';
import { parseComposeFile } from '../../../src/appfile/compose/index.js';
import { memoryEnvironment } from '../../../src/host/index.js';
import { SourceFile, type Diagnostic } from '../../../src/source/index.js';

const show = (d: Diagnostic) => `${d.severity} ${d.span ? `${d.span.file.name}:${d.span.file.lineCol(d.span.start).line}` : ''}: ${d.message}${d.hint ? ` [${d.hint}]` : ''}`;
// The process's environment object answers `toString`, `constructor` with Object's members.
const processLike = (name: string) => (process.env as Record<string, unknown>)[name] as string | undefined;

function parse(lines: string[], env: (name: string) => string | undefined = processLike) {
  return parseComposeFile(new SourceFile('compose.yaml', lines.join('\n') + '\n'), { dir: '/p', env });
}

describe('compose keys named like members of Object', () => {
  it('reports unknown service keys with the Compose hint', () => {
    const r = parse(['services:', '  web:', '    image: nginx', '    toString: 1', '    constructor: x', '    __proto__: {a: 1}']);
    expect(r.diagnostics.map(show)).toEqual([
      'error compose.yaml:4: unknown key "toString" in service "web" [see the Compose Specification for the keys of a service]',
      'error compose.yaml:5: unknown key "constructor" in service "web" [see the Compose Specification for the keys of a service]',
      'error compose.yaml:6: unknown key "__proto__" in service "web" [see the Compose Specification for the keys of a service]',
    ]);
  });

  it('interpolates nothing for ${toString} and ${constructor}: they are unset variables', () => {
    const r = parse(['services:', '  web:', '    image: nginx', '    environment:', '      A: ${toString}', '      B: ${constructor:-fallback}', '      C: $hasOwnProperty']);
    expect(r.diagnostics.map(show)).toEqual([
      'error compose.yaml:5: variable toString is not set [set toString in the environment or in .env, or give a default: ${toString:-value}]',
      'error compose.yaml:7: variable hasOwnProperty is not set [set hasOwnProperty in the environment or in .env, or give a default: $' + '{hasOwnProperty:-value}]',
    ]);
    const env = r.raw?.services[0]?.params.find((p) => p.key === 'env')?.value;
    expect(env).toEqual([{ name: 'A', value: '' }, { name: 'B', value: 'fallback' }, { name: 'C', value: '' }]);
  });

  it('takes them from the environment and .env when they are set there', () => {
    const r = parseComposeFile(new SourceFile('compose.yaml', 'services:\n  web:\n    image: nginx\n    environment:\n      A: ${toString}\n      B: ${constructor}\n'), {
      dir: '/p',
      env: memoryEnvironment({ toString: 'from-env' }).get,
      dotenv: 'constructor=from-dotenv\n',
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.raw?.services[0]?.params.find((p) => p.key === 'env')?.value).toEqual([{ name: 'A', value: 'from-env' }, { name: 'B', value: 'from-dotenv' }]);
  });

  it('keeps __proto__ as a build arg and as a label, without touching any prototype', () => {
    const r = parse(['services:', '  web:', '    image: nginx', '    build:', '      context: .', '      args: {__proto__: x, constructor: y}', '    labels: {__proto__: z, constructor: w}']);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const svc = r.raw!.services[0]!;
    expect(JSON.stringify(svc.build?.args)).toBe('{"__proto__":"x","constructor":"y"}');
    expect(JSON.stringify(svc.traits.find((t) => t.name === 'labels')?.properties)).toBe('{"constructor":"w"}');
    // Not a label key (it starts with `_`): an annotation, as any other such key.
    expect(JSON.stringify(svc.traits.find((t) => t.name === 'annotations')?.properties)).toBe('{"__proto__":"z"}');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
