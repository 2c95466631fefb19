/**
 * The Appfile reader: `vela.yaml` (or JSON) → AppModel, with every value's
 * position, keys sorted into parameters and traits, and everything validated
 * against the capability definitions' schemas.
 */
export { parseAppfile, sortDiagnostics, type ParseAppfileOptions, type ParsedApp } from './parse-appfile.js';
export { validateAgainstSchema, registerCompiledValidator, type SchemaTarget } from './validate-schema.js';
export { findAppfile, appfileNames, type FindAppfileOptions } from './find-appfile.js';
export { formatDocPath, locator, type Locator } from './doc-path.js';
export { applies as traitAppliesTo, reservedServiceKeys, defaultComponentType } from './service.js';
export { dns1123LabelProblem } from './names.js';
export type * from './model.js';
// The safe, located YAML reader, for other Appfile-like formats (compose, Application).
export { parseYamlTree, toJson, defaultYamlLimits, type LNode, type LEntry, type YamlLimits } from './yaml-tree.js';
// Other input formats that become the same AppModel.
export { parseComposeFile, composeReferencedFiles, composeFileKey, detectFormat, composeFileNames, type ParseComposeOptions, type InputFormat } from './compose/index.js';
export { parseApplication, toApplication } from './application/index.js';
