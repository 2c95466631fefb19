#!/usr/bin/env node
// The installed entry point: runs the bundled CLI in dist/bundle/ (built by `npm run build`):
// no TypeScript loader and few modules to load at start-up.
import { setFlagsFromString } from 'node:v8';

// A CLI run lasts about a second, and most of it is spent before V8's optimizing compiler has caught up
// with the CUE evaluator: compile jobs of 30-70 ms each queue on a 2-core machine while the code they
// would speed up runs unoptimized. Inlining less (smaller call trees, no inlined Array builtins) makes
// those jobs several times cheaper, so optimized code arrives sooner; the code is a little slower once
// warm, which a short run never reaches (bench/cli-scale measures both). Only compiler flags are set here,
// before any of vela is loaded: those are read per compile job and are safe to change at run time.
setFlagsFromString('--max-inlined-bytecode-size-cumulative=200');
setFlagsFromString('--no-turbo-inline-array-builtins');
// A function is sent to the optimizing compiler after three times as much work as V8's default: only the truly
// hot ones are, with more type feedback. Fewer compile jobs compete for the second core (the tiering manager reads
// the budget whenever it resets a function's, so it too is safe to set here).
setFlagsFromString('--interrupt-budget=200000');

const { main } = await import('../dist/bundle/vela.js');

process.exitCode = await main(process.argv.slice(2), { root: import.meta.url });
