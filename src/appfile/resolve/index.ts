/**
 * Resolution: a raw app (any format) and the definitions → the AppModel. The
 * only part of appfile/ that needs the definitions' registry.
 */
export { resolveAppModel, type ResolveResult } from './resolve-app.js';
export { applies as traitAppliesTo } from './definitions.js';
export { defaultComponentType } from './resolve-appfile.js';
export { deriveAppModel, type DerivedModel, type DeriveOptions } from './derive-model.js';
export { globMatch } from './override-policies.js';
