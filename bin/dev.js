#!/usr/bin/env -S node --import tsx --no-warnings
// Runs vela from the TypeScript sources in src/, no build needed (needs the tsx loader:
// `node --import tsx bin/dev.js ...`, which the line above does when run directly).
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2), { root: import.meta.url, development: true });
