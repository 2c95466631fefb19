export * from './types.js';
export { renderApp, DEFAULT_CLUSTER_VERSION, type ClusterVersion, type RenderOptions, type RenderResult } from './render-app.js';
export { evaluateTemplate, type TemplateResult } from './evaluate-template.js';
export { manifestsToYaml, manifestsToJson, manifestFileNames, toYaml, originComment } from './serialize.js';
export { identityOf, isClusterScoped, orderManifests, finalizeObject } from './manifest.js';
export { applyPatch, PatchConflictError, PatchError, type PatchMeta } from './patch.js';
