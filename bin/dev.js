#!/usr/bin/env node
// Runs vela from the TypeScript sources in src/, no build needed: registers the
// tsx loader (a devDependency, resolved from this repository, whatever the cwd),
// then loads the CLI from src/ and its commands from src/commands/index.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { root: import.meta.url, development: true });
