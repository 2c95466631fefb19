/**
 * The build's index of a definitions folder (run by scripts/index-definitions.mjs
 * after tsc): each file's definition headers and parameter schemas, keyed by the
 * file's hash, so `vela components` lists the built-in definitions without
 * evaluating CUE; and one standalone ajv validator module per schema, so
 * validating an Appfile neither loads nor runs the ajv compiler. The run time
 * only reads these files (src/pipeline/registry.ts); nothing here ships in the CLI.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefinitionRegistry, indexEntry, parseDefinitionFile, type DefinitionIndexEntry } from '../src/capability/index.js';
import { nodeFileSystem, type FileSystem } from '../src/host/index.js';
import { definitionTextHash, listDefinitionFiles } from '../src/pipeline/registry.js';
import { DiagnosticError, SCHEMA_VALIDATOR_OPTIONS, SourceFile } from '../src/source/index.js';

/** Writes the index of `dir` to `out` and, unless `validatorsOut` is undefined, the validators into that folder. Returns the number of files indexed. */
export async function writeDefinitionsIndex(dir: string, out: string, validatorsOut: string | undefined, fs: FileSystem = nodeFileSystem): Promise<number> {
  const names = await listDefinitionFiles(fs, dir, true);
  const entries: DefinitionIndexEntry[] = [];
  const schemas: { name: string; schema: object }[] = [];
  for (const name of names) {
    const text = await fs.readText(join(dir, name));
    const parsed = parseDefinitionFile(new SourceFile(join('definitions', name), text), 'builtin');
    if (parsed.diagnostics.length) throw new DiagnosticError(parsed.diagnostics);
    const registry = new DefinitionRegistry(parsed.definitions);
    entries.push(
      indexEntry(name, definitionTextHash(text), parsed.definitions, (d) => {
        const schema = registry.get(d.kind, d.name)!.schema;
        const validator = `v${schemas.length}`;
        schemas.push({ name: validator, schema });
        return { schema, validator };
      }),
    );
  }
  await fs.writeFileAtomic(out, JSON.stringify(entries, null, 1) + '\n');
  if (validatorsOut !== undefined) {
    for (const s of schemas) await fs.writeFileAtomic(join(validatorsOut, `${s.name}.mjs`), await standaloneValidator(s.schema));
  }
  return entries.length;
}

async function standaloneValidator(schema: object): Promise<string> {
  const { Ajv2020 } = (await import('ajv/dist/2020.js')) as unknown as typeof import('ajv/dist/2020.js');
  const standalone = (await import('ajv/dist/standalone/index.js')) as unknown as { default: (ajv: unknown, v: unknown) => string };
  // The run-time compiler's options, plus ES module source output.
  const ajv = new Ajv2020({ ...SCHEMA_VALIDATOR_OPTIONS, code: { source: true, esm: true } });
  const code = standalone.default(ajv, ajv.compile(schema));
  if (!code.includes('require(')) return code;
  // Even as an ES module, ajv's code takes some of its run-time helpers (ucs2length for maxLength) with
  // `require`, which an ES module does not have: the module would fail to load, and the registry would
  // silently fall back to compiling the schema at run time. esbuild puts the helpers into the module.
  const { build } = await import('esbuild');
  const bundled = await build({
    stdin: { contents: code, resolveDir: fileURLToPath(new URL('..', import.meta.url)), loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'warning',
    legalComments: 'none',
  });
  return bundled.outputFiles[0]!.text;
}
