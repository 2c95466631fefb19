/**
 * The example on each capability's page is an Appfile that works: for every
 * built-in component type and trait, the snippet goes through the real
 * pipeline (parse, resolve against the definitions, render) without an error.
 */
import { describe, expect, it } from 'vitest';
import { exampleSnippet, type SnippetSchema } from '../../src/dashboard/server/example-snippet.js';
import { listComponents, listTraits, showDefinition } from '../../src/pipeline/discovery.js';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { DiagnosticError, formatDiagnostics } from '../../src/source/index.js';

const opts = { cwd: '/nowhere', definitionDirs: [], velaHome: '/nowhere/.vela' };

async function renders(text: string): Promise<string> {
  try {
    await dryRun({ ...opts, file: '-', stdin: (async function* () { yield text; })() });
    return '';
  } catch (err) {
    if (err instanceof DiagnosticError) return formatDiagnostics(err.diagnostics);
    throw err;
  }
}

describe('example snippets', () => {
  it('fills required fields with defaults, allowed values or placeholders of their type', () => {
    const schema: SnippetSchema = {
      properties: {
        image: { type: 'string' },
        mode: { enum: ['a', 'b'] },
        count: { type: 'integer' },
        port: { type: 'integer', default: 80 },
        probe: { type: 'object', required: ['path'], properties: { path: { type: 'string' } } },
        optional: { type: 'string' },
      },
      required: ['image', 'mode', 'count', 'port', 'probe'],
    };
    expect(exampleSnippet('component', 'thing', schema)).toBe(
      'name: example\nservices:\n  app:\n    type: thing\n    image: "nginx:1.25"\n    mode: "a"\n    count: 1\n    port: 80\n    probe:\n      path: "example"\n',
    );
    expect(exampleSnippet('trait', 'tune', { properties: { level: { type: 'integer' } }, required: ['level'] })).toBe(
      'name: example\nservices:\n  web:\n    image: nginx:1.25\n    traits:\n      tune:\n        level: 1\n',
    );
  });

  /**
   * Definitions that need one of several optional fields (or a list that is
   * not empty): their templates say so when rendering, the parameter schema
   * cannot, so the snippet (required fields only) stops there — at that message.
   */
  const ONE_OF_SEVERAL: Record<string, RegExp> = {
    'k8s-objects': /needs at least one object/,
    'ref-objects': /name at least one object to refer to/,
    autoscale: /needs cpuPercent or cron/,
    'container-image': /image is needed/,
    expose: /expose needs `ports`/,
    helmchart: /chart.repoURL is needed for the chart/,
    lifecycle: /needs postStart or preStop/,
    metrics: /port is needed/,
    resource: /set cpu, memory, requests or limits/,
    'startup-probe': /give exactly one of exec, httpGet, grpc, tcpSocket/,
  };

  it('gives every built-in component and trait an example that renders, but for those that need one of several fields', async () => {
    const [components, traits] = await Promise.all([listComponents(opts), listTraits(opts)]);
    const failures: string[] = [];
    const stopped: Record<string, string> = {};
    for (const d of [...components.definitions, ...traits.definitions]) {
      const ref = await showDefinition(d.name, opts);
      const text = exampleSnippet(d.kind, d.name, ref.schema as SnippetSchema);
      const problem = await renders(text);
      if (d.name in ONE_OF_SEVERAL) stopped[d.name] = problem;
      else if (problem) failures.push(`${d.kind} ${d.name}:\n${text}${problem}`);
    }
    expect(components.definitions.length + traits.definitions.length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
    expect(Object.keys(stopped).sort()).toEqual(Object.keys(ONE_OF_SEVERAL).sort());
    for (const [name, message] of Object.entries(ONE_OF_SEVERAL)) expect(stopped[name], name).toMatch(message);
  });
});
