/**
 * The build stage: plan (which services, which context files, which tag) and
 * the Docker Engine adapter that builds and pushes them.
 */
export { planBuilds, selectServices } from './plan.js';
export { buildAndPush, executeBuilds, type ExecuteDeps } from './build-and-push.js';
export { createLineReporter, formatBuildEvent } from './line-reporter.js';
export { buildReporterFor } from './host-reporter.js';
export { createContextFilter, parseDockerignore, type ContextFilter } from './context-filter.js';
export { digestBuildInputs, digestTag, type BuildInputs } from './inputs-digest.js';
export { parseImageRef, formatImageRef, repositoryName, withRegistry, type ImageRef } from './image-ref.js';
export { resolveDockerConnection, parseDockerHost, DEFAULT_SOCKET, type ResolvedConnection } from './docker-connection.js';
export { resolveRegistryAuth, readDockerConfig, type DockerConfigFile, type RegistryAuth } from './credentials.js';
export { lookupManifest, type ManifestLookup } from './registry-client.js';
export { tarSize } from './tar-size.js';
export type { Engine } from './engine.js';
export type {
  BuildPlan,
  BuildResult,
  BuildEvent,
  BuildReporter,
  BuildAndPushOptions,
  PlanOptions,
  ContextEntry,
  DockerConnectionOptions,
} from './types.js';
