export * from './types.js';
export {
  parseDefinitionFile,
  parseCueDefinition,
  parseYamlDefinitions,
  workloadTypeOf,
  indexEntry,
  definitionsFromIndex,
  type DefinitionSource,
  type DefinitionIndexEntry,
  type IndexedDefinition,
} from './definition-file.js';
export { CapabilityDefinition, DefinitionRegistry, duplicateWarning } from './registry.js';
