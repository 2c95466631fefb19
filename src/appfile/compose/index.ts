/**
 * Compose files (the Compose Specification) → the raw app, so `vela up -f
 * compose.yaml` works and `vela convert` can write the equivalent Appfile.
 */
export { parseComposeFile, composeReferencedFiles, composeFileKey, type ParseComposeOptions } from './parse-compose.js';
export type { RefusedFile } from './top-level.js';
export { parseDotenv, type DotenvResult } from './dotenv.js';
export { interpolateString, type Lookup } from './interpolate.js';
export { detectFormat, composeFileNames, type InputFormat } from './detect-format.js';
export { toAppfileDocument, type AppfileDocument } from './to-appfile.js';
