/**
 * KubeVela addons: reading an addon folder (metadata, templates, parameters,
 * resources, definitions), evaluating its template into the Application that
 * installs it, ordering dependencies, and the places addons come from
 * (folders, git repositories, HTTP catalogs and packages), with what vela
 * remembers of registries and enabled addons. Rendering and applying the
 * Application is the pipeline's (src/pipeline/addon-*.ts), through the same
 * steps as any app.
 */
export type { AddonDependency, AddonMeta, AddonPackage, AddonFiles, AddonSummary, AddonOrigin, AddonSource, LoadedAddon } from './types.js';
export { readMetadata, ADDON_NAME } from './metadata.js';
export { readAddon, definitionFileNames, type ReadAddonResult } from './read-addon.js';
export { addonApplication, addonNotes, effectiveParameters, addonAppName, AddonLabels, DEFAULT_ADDON_NAMESPACE, type AddonApplication, type AddonApplicationOptions } from './application.js';
export { addonParameterSchema, parseParameterPairs, checkParameters, mergeParameters, type Parameters, type ParameterValue } from './parameters.js';
export { dependencyOrder, dependents, type DependencyNode, type FindAddon } from './dependencies.js';
export { parseVersion, compareVersions, newestFirst, satisfies, parseConstraint, type Version } from './semver.js';
export { parseSourceSpec, formatSourceSpec, type SourceSpec } from './source-spec.js';
export { listRegistries, addRegistry, removeRegistry, unknownRegistry, openSource, showSource, registriesFile, LOCAL_REGISTRY, type RegistryEntry, type OpenSourceOptions } from './registries.js';
export { listEnabled, findEnabled, writeAddon, removeAddon, addonsRoot, STATE_FILE, type AddonState, type EnabledAddon, type AddonScope } from './state.js';
export { gitCheckout, redactUrl, isAllowedGitUrl, type GitCheckout, type GitCheckoutOptions } from './git.js';
export { fetchBytes, isHttpUrl, resolveUrl, type FetchOptions } from './http.js';
export { readTgz, type TgzOptions } from './tgz.js';
export { readTree, TREE_LIMITS } from './sources/read-folder.js';
export { parseIndex, chooseVersion } from './sources/package.js';
