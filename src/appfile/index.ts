/**
 * The Appfile reader, in two steps. Parsing (`parseAppfile`, and for the other
 * formats `parseComposeFile`, `parseApplication`) reads a file into a raw app
 * with every value's position and needs no definitions; resolving
 * (`resolveAppModel`) sorts keys into parameters and traits, rewrites the 2020
 * shorthands and validates everything against the capability definitions'
 * schemas, giving the AppModel.
 */
export { parseAppfile, type ParseAppfileOptions } from './parse-appfile.js';
export { resolveAppModel, traitAppliesTo, defaultComponentType, type ResolveResult } from './resolve/index.js';
export { sortDiagnostics } from './sort-diagnostics.js';
export { validateAgainstSchema, registerCompiledValidator, type SchemaTarget } from './validate-schema.js';
export { findAppfile, appfileNames, type FindAppfileOptions, type AppfileFiles } from './find-appfile.js';
export { formatDocPath, locator, type Locator } from './doc-path.js';
export { reservedServiceKeys } from './read-service.js';
export { dns1123LabelProblem } from './names.js';
export type * from './model.js';
export type * from './raw-app.js';
export type * from './delivery-model.js';
export { policyTypes, stepTypes, policyProperties, stepProperties } from './delivery-model.js';
export { parseGoDuration, formatDuration } from './duration.js';
export { deriveAppModel, globMatch, type DerivedModel, type DeriveOptions } from './resolve/index.js';
// The safe, located YAML reader, for other Appfile-like formats (compose, Application).
export { parseYamlTree, toJson, userMap, defaultYamlLimits, type LNode, type LEntry, type YamlLimits } from './yaml-tree.js';
// Other input formats that become the same AppModel.
export { parseComposeFile, composeReferencedFiles, composeFileKey, detectFormat, composeFileNames, toAppfileDocument, type ParseComposeOptions, type InputFormat, type RefusedFile } from './compose/index.js';
export { parseApplication, toApplication } from './application/index.js';
