/** Manifest text for the commands (stdout and --output DIR). */
export { manifestsToYaml, manifestsToJson, manifestFileNames } from '../render/index.js';
export { writeManifests, type WrittenManifests } from './write-manifests.js';
