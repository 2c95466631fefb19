#!/usr/bin/env node
// Build step (after tsc): index the built-in definitions into dist/definitions-index.json
// and compile their parameter validators into dist/validators/ (see
// scripts/definitions-index.ts), where src/pipeline/registry.ts looks for them.
// The indexer is build-time code, not part of the CLI: it runs from its
// TypeScript source through the tsx loader (a devDependency, as in bin/dev.js).
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { writeDefinitionsIndex } = await import('./definitions-index.ts');
const path = (p) => fileURLToPath(new URL(p, import.meta.url));
const n = await writeDefinitionsIndex(path('../definitions/'), path('../dist/definitions-index.json'), path('../dist/validators/'));
console.error(`indexed ${n} built-in definition files`);
