export * from './types.js';
export { parseDefinitionFile, parseCueDefinition, parseYamlDefinitions, workloadTypeOf, type DefinitionSource } from './definition-file.js';
export { CapabilityDefinition, DefinitionRegistry, duplicateWarning } from './registry.js';
