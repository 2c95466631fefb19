/**
 * README's "Built-in definitions" is the user's reference: every built-in has
 * its entry, every parameter `vela show` shows is named there, and every
 * example is valid input for the definition it shows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CapabilityDefinition, parseDefinitionFile } from '../../src/capability/index.js';
import { validateAgainstSchema } from '../../src/appfile/index.js';
import { SourceFile } from '../../src/source/position.js';
import { DEFINITIONS_DIR } from './harness.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Built-in definitions\n'), readme.indexOf('\n## ', readme.indexOf('## Built-in definitions\n') + 1));
const components = section.slice(section.indexOf('### Components'), section.indexOf('\n### ', section.indexOf('### Components') + 1));

/** Each `#### \`a\`, \`b\`` entry: the names it covers and its text up to the next heading. */
const entries = [...`${section}\n###`.matchAll(/^#### (.*)\n([\s\S]*?)(?=^###)/gm)].map((m) => ({ names: [...m[1]!.matchAll(/`([^`]+)`/g)].map((n) => n[1]!), body: m[2]! }));

const definitions = new Map(
  readdirSync(DEFINITIONS_DIR)
    .filter((f) => f.endsWith('.cue'))
    .map((f) => {
      const text = readFileSync(join(DEFINITIONS_DIR, f), 'utf8');
      const def = new CapabilityDefinition(parseDefinitionFile(new SourceFile(f, text), 'builtin').definitions[0]!);
      return [def.name, def] as const;
    }),
);

describe('README: built-in definitions', () => {
  it('has an entry for every built-in definition, and none for others', () => {
    expect(entries.flatMap((e) => e.names).sort()).toEqual([...definitions.keys()].sort());
  });

  it.each([...definitions.keys()])('%s: every parameter is named', (name) => {
    const def = definitions.get(name)!;
    const entry = entries.find((e) => e.names.includes(name))!;
    // The components share a table of their common parameters.
    const text = def.kind === 'component' ? `${entry.body}\n${components}` : entry.body;
    const visible = Object.entries(def.schema.properties ?? {}).filter(([, p]) => !p['x-ignore']);
    const missing = visible.map(([k]) => k).filter((k) => !new RegExp(`\\b${k}\\b`).test(text));
    expect(missing).toEqual([]);
  });

  it.each(entries.filter((e) => e.body.includes('```yaml')).map((e) => [e.names.join(', '), e] as const))('%s: the example is valid', (_title, entry) => {
    for (const block of entry.body.matchAll(/```yaml\n([\s\S]*?)```/g)) {
      const lines = block[1]!.split('\n').filter((l) => l.trim() !== '');
      const indent = Math.min(...lines.map((l) => /^ */.exec(l)![0].length));
      const doc = parse(lines.map((l) => l.slice(indent)).join('\n')) as Record<string, Record<string, unknown>>;
      const sections = doc['services']
        ? Object.values(doc['services'] as Record<string, Record<string, unknown>>).map((svc) => [String(svc['type'] ?? 'webservice'), svc] as const)
        : Object.entries(doc);
      for (const [name, props] of sections) {
        const def = definitions.get(name)!;
        expect(def, name).toBeDefined();
        const { type: _type, ...params } = props as Record<string, unknown>;
        const problems = validateAgainstSchema(params as never, def.schema, { locate: () => undefined, basePath: [] }).map((d) => `${d.path}: ${d.message}`);
        expect({ name, problems }).toEqual({ name, problems: [] });
      }
    }
  });
});
