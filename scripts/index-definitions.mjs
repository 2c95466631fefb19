#!/usr/bin/env node
// Build step (after tsc): index the headers of the built-in definitions into
// dist/definitions-index.json, so `vela components` and `vela traits` list them
// without evaluating CUE. A file whose hash no longer matches is parsed as usual.
const { writeDefinitionsIndex } = await import('../dist/pipeline/registry.js');
const n = await writeDefinitionsIndex();
console.error(`indexed ${n} built-in definition files`);
