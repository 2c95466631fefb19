#!/usr/bin/env node
// The installed entry point: runs the compiled CLI in dist/ (no TypeScript loader, nothing else at start-up).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2), { root: import.meta.url });
