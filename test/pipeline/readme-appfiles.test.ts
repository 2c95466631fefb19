/**
 * The README's first Appfiles (the quick start and "The Appfile") are what a
 * new user copies: they must load against the built-in definitions without an
 * error and use no parameter that `vela show` hides as deprecated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryEnvironment, memoryFileSystem } from '../../src/host/index.js';
import { BUILTIN_DEFINITIONS } from '../../src/pipeline/registry.js';
import { loadApp } from '../../src/pipeline/load-app.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const firstYamlAfter = (heading: string) => {
  const at = readme.indexOf(`\n${heading}\n`);
  const m = /```yaml\n([\s\S]*?)```/.exec(readme.slice(at));
  return m![1]!;
};
const definitions = Object.fromEntries(
  readdirSync(BUILTIN_DEFINITIONS)
    .filter((n) => /\.(cue|ya?ml)$/.test(n))
    .map((n) => [`/vela/definitions/${n}`, readFileSync(join(BUILTIN_DEFINITIONS, n), 'utf8')]),
);

describe('README Appfiles', () => {
  it.each(['## Quick start', '## The Appfile'])('%s: loads, and uses no deprecated parameter', async (heading) => {
    const text = firstYamlAfter(heading);
    const { app, loaded } = await loadApp({ cwd: '/readme', fs: memoryFileSystem({ ...definitions, '/readme/vela.yaml': text }), environment: memoryEnvironment({}), velaHome: '/home/user/.vela', builtinDir: '/vela/definitions' });
    const used = app.services.flatMap((s) => {
      const def = loaded.registry.components().find((d) => d.name === s.type)!;
      return Object.keys(s.params).map((k) => ({ param: `${s.name}.${k}`, description: def.schema.properties?.[k]?.description ?? '' }));
    });
    expect(used.length).toBeGreaterThan(2);
    expect(used.filter((u) => /^deprecated/i.test(u.description))).toEqual([]);
  });
});
