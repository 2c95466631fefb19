/**
 * The Appfile reader: `vela.yaml` (or JSON) → AppModel, with every value's
 * position, keys sorted into parameters and traits, and everything validated
 * against the capability definitions' schemas.
 */
export { parseAppfile, sortDiagnostics, type ParseAppfileOptions, type ParsedApp } from './parse-appfile.js';
export { validateAgainstSchema, type SchemaTarget } from './validate-schema.js';
export { findAppfile, appfileNames, type FindAppfileOptions } from './find-appfile.js';
export { formatDocPath, locator, type Locator } from './doc-path.js';
export { applies as traitAppliesTo, reservedServiceKeys, defaultComponentType } from './service.js';
export { dns1123LabelProblem } from './names.js';
export type * from './model.js';
// The safe, located YAML reader, for other Appfile-like formats (compose, Application).
export { parseYamlTree, toJson, defaultYamlLimits, type LNode, type LEntry, type YamlLimits } from './yaml-tree.js';
