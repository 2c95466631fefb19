#!/usr/bin/env node
// The installed entry point: runs the bundled CLI in dist/bundle/ (built by `npm run build`):
// no TypeScript loader and few modules to load at start-up.
import { main } from '../dist/bundle/vela.js';

process.exitCode = await main(process.argv.slice(2), { root: import.meta.url });
