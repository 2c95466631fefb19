export * from './types.js';
export {
  parseDefinitionFile,
  parseCueDefinition,
  parseYamlDefinitions,
  indexEntry,
  definitionsFromIndex,
  type DefinitionSource,
  type DefinitionIndexEntry,
  type IndexedDefinition,
} from './definition-file.js';
export { CapabilityDefinition, DefinitionRegistry, duplicateWarning } from './registry.js';
export { mayHavePatchMeta, patchMetaOf, type PatchMeta, type PatchStrategy } from './patch-meta.js';
export { parameterSchema, schemaOf } from './parameter-schema.js';
export { fieldDoc, type FieldDoc } from './field-doc.js';
export { workloadTypeOf, traitConflict, conflictRule, type TraitConflict } from './workload-type.js';
export { hclVariables, terraformSchema, TERRAFORM_SPEC_KEYS, type HclVariable } from './terraform.js';
