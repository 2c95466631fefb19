import { describe, expect, it } from 'vitest';
import { formatJson, formatTable, formatYaml, formatYamlDocuments } from '../../src/cli/index.js';

interface Row {
  name: string;
  type: string;
  replicas: number;
}
const rows: Row[] = [
  { name: 'frontend', type: 'webservice', replicas: 2 },
  { name: 'api', type: 'worker', replicas: 10 },
];
const columns = [
  { header: 'NAME', get: (r: Row) => r.name },
  { header: 'TYPE', get: (r: Row) => r.type },
  { header: 'REPLICAS', get: (r: Row) => String(r.replicas), align: 'right' as const },
];

describe('formatTable', () => {
  it('aligns columns under a header row, with no trailing spaces', () => {
    expect(formatTable(rows, columns)).toBe(
      ['NAME       TYPE         REPLICAS', 'frontend   webservice          2', 'api        worker             10', ''].join('\n'),
    );
  });

  it('pads the last left-aligned column without trailing spaces', () => {
    const out = formatTable(rows, columns.slice(0, 2));
    expect(out.split('\n').every((l) => l === l.trimEnd())).toBe(true);
    expect(out).toBe('NAME       TYPE\nfrontend   webservice\napi        worker\n');
  });

  it('bolds the header only with colour, and measures cells without their ANSI codes', () => {
    expect(formatTable(rows, columns)).not.toContain('\u001b[');
    const red = (s: string) => `\u001b[31m${s}\u001b[0m`;
    const coloured = formatTable(rows, [{ header: 'NAME', get: (r: Row) => red(r.name) }, columns[1]!], { color: true });
    const lines = coloured.split('\n');
    expect(lines[0]).toBe('\u001b[1mNAME       TYPE\u001b[0m');
    expect(lines[2]).toBe(`${red('api')}        worker`);
  });

  it('prints only the header for no rows', () => {
    expect(formatTable([], columns)).toBe('NAME   TYPE   REPLICAS\n');
  });
});

describe('formatJson / formatYaml', () => {
  const value = { name: 'shop', services: { web: { port: 8080, cmd: ['node', 'server.js'] } }, a: true };

  it('keeps the key order given', async () => {
    expect(formatJson(value)).toBe(JSON.stringify(value, null, 2) + '\n');
    expect(await formatYaml(value)).toBe(
      'name: shop\nservices:\n  web:\n    port: 8080\n    cmd:\n      - node\n      - server.js\na: true\n',
    );
  });

  it('does not fold long strings or alias repeated objects', async () => {
    const long = 'x '.repeat(100).trim();
    const shared = { app: 'shop' };
    const yaml = await formatYaml({ long, a: shared, b: shared });
    expect(yaml).toBe(`long: ${long}\na:\n  app: shop\nb:\n  app: shop\n`);
  });

  it('separates documents with ---', async () => {
    expect(await formatYamlDocuments([{ kind: 'Service' }, { kind: 'Deployment' }])).toBe('kind: Service\n---\nkind: Deployment\n');
  });
});
