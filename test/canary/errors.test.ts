/**
 * Bad canary sections are errors at their line in the Appfile, with what is
 * wrong: the talk's Appfile (examples/talk) with one thing changed each time.
 */
import { readFileSync, writeFileSync, mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { DiagnosticError, formatPos } from '../../src/source/index.js';

const root = join(import.meta.dirname, '..', '..');
const talk = readFileSync(join(root, 'examples/talk/vela.yaml'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'vela-canary-errors-'));
for (const f of ['Dockerfile', 'server.js']) copyFileSync(join(root, 'examples/talk', f), join(dir, f));

const edits = new Map<string, string>();

/** `file:line:col` of the first `needle` in the edited Appfile `name` (col 1-based, at the needle's first non-space). */
function at(name: string, needle: string): string {
  const lines = edits.get(name)!.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  expect(line).toBeGreaterThanOrEqual(0);
  return `${name}.yaml:${line + 1}:${lines[line]!.indexOf(needle.trimStart()) + 1}`;
}

/** The errors of rendering the talk's Appfile changed by `edit`, as `file:line:col path: message`. */
async function errorsOf(name: string, edit: (text: string) => string): Promise<string[]> {
  const text = edit(talk);
  edits.set(name, text);
  expect(text).not.toBe(talk);
  writeFileSync(join(dir, `${name}.yaml`), text);
  const err = await dryRun({ cwd: dir, file: `${name}.yaml`, velaHome: join(dir, 'home') }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DiagnosticError);
  return (err as DiagnosticError).diagnostics.filter((d) => d.severity === 'error').map((d) => `${formatPos(d.span!)} ${d.path}: ${d.message}`);
}

const withoutRoute = (text: string) => text.replace(/    route:\n(      .*\n|        .*\n)*/, '');

describe('canary errors at their line', () => {
  it('a header entry without a colon', async () => {
    expect(await errorsOf('no-colon', (t) => t.replace('- "foo:bar.*"', '- "no-colon"'))).toEqual([
      `${at('no-colon', '"no-colon"')} services.express-server.canary.headers[0]: must match the pattern "^[A-Za-z0-9_-]+: *[^ ].*$" (got "no-colon")`,
    ]);
  });

  it('headers on a service with no route to route by', async () => {
    expect(await errorsOf('no-route', withoutRoute)).toEqual([
      `${at('no-route', 'canary:')} services.express-server.canary: trait canary: headers route requests through the service's route, and express-server has none: add a route section before canary`,
    ]);
  });

  it('a weight with no route, and a weight above 100', async () => {
    expect(await errorsOf('weight', (t) => withoutRoute(t).replace('      headers:\n      - "foo:bar.*"\n', '      weight: 20\n'))).toEqual([
      `${at('weight', 'canary:')} services.express-server.canary: trait canary: weight routes requests through the service's route, and express-server has none: add a route section before canary`,
    ]);
    expect(await errorsOf('weight-101', (t) => t.replace('      headers:\n      - "foo:bar.*"\n', '      weight: 101\n'))).toEqual([
      `${at('weight-101', '101')} services.express-server.canary.weight: must be <= 100 (got 101)`,
    ]);
  });

  it('two headers, and an unknown provider', async () => {
    expect(await errorsOf('two', (t) => t.replace('- "foo:bar.*"', '- "foo:bar.*"\n      - "x-beta:yes"'))).toEqual([
      `${at('two', 'canary:')} services.express-server.canary: trait canary: headers: ingress-nginx routes a canary by one header; give one entry (got 2)`,
    ]);
    const provider = await errorsOf('provider', (t) => t.replace('      replica: 1\n', '      replica: 1\n      provider: istio\n'));
    expect(provider).toHaveLength(1);
    expect(provider[0]).toBe(`${at('provider', 'istio')} services.express-server.canary.provider: must be one of "vela", "flagger" (got "istio")`);
  });
});
