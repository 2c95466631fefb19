/**
 * The entry of the bundled CLI (dist/bundle/vela.js, made by scripts/bundle.mjs):
 * the program and the command table that oclif loads (package.json
 * `oclif.commands`). One bundle instead of hundreds of modules keeps start-up
 * fast; lazily imported parts (the engine, Docker, Kubernetes) stay in their
 * own chunks and load only when a command needs them.
 */
export { main } from '../cli/main.js';
export { COMMANDS } from './index.js';
