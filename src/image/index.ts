/**
 * Container images of the services with a `build` section: the build plan
 * (which services, which context files, which tag) and the Docker Engine
 * adapter that builds and pushes them.
 */
export { planBuilds, selectServices } from './plan-builds.js';
export { buildAndPush, executeBuilds, type ExecuteDeps } from './build-and-push.js';
export { createLineReporter, formatBuildEvent } from './build-progress-lines.js';
export { buildReporterFor } from './build-progress-tasks.js';
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
