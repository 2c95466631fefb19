/**
 * The build's index of a definitions folder (run by scripts/index-definitions.mjs
 * after tsc): each file's definition headers and parameter schemas, keyed by the
 * file's hash, so `vela components` lists the built-in definitions without
 * evaluating CUE; and one standalone ajv validator module per schema, so
 * validating an Appfile neither loads nor runs the ajv compiler. The run time
 * only reads these files (src/pipeline/registry.ts); nothing here ships in the CLI.
 */
import { join } from 'node:path';
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
  // Even as an ES module, the code asks for ajv's small run-time helpers with require() (string lengths in
  // code points, for maxLength): give it one, resolved from where the module lies (vela's own node_modules).
  return code.includes('require(') ? `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${code}` : code;
}
