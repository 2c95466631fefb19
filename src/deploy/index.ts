/**
 * The cluster sink: everything vela does to a Kubernetes cluster, as plain
 * async functions taking an options object (cluster selection, a reporter, an
 * abort signal). @kubernetes/client-node is used here and nowhere else; the
 * CUE engine is not used here at all (definitions' health policies come in as
 * a DefinitionHealth function).
 */
export { applyApp, DEFAULT_TIMEOUT_MS, DEFAULT_LOCK_TIMEOUT_MS, type ApplyOptions, type ApplyResult, type AppliedObject, type ObjectAction } from './apply/apply-app.js';
export { RunDeadline, DeadlineExceeded } from './run-deadline.js';
export { lockRef, type HeldLock, type LockOptions } from './app-lock.js';
export { keepLiveFields, parseFieldPath, type ResourcePolicies, type PolicySubject } from './resource-policies.js';
export { mayTakeOver, type TakeOver, type TakeOverSelector } from './take-over.js';
export { REDACTED } from './redact.js';
export { planWaves, dependencyLevels, type Wave } from './apply/plan-waves.js';
export { planApp, type PlanOptions, type PlanResult, type PlanEntry, type PlanAction } from './apply/apply-preview.js';
export type { FieldChange } from './apply/object-diff.js';
export type { StoredApp } from './stored-app.js';
export { waitForServices, checkService, type ServiceHealth, type WaitOptions } from './wait.js';
export { appStatus, watchAppStatus, listApps, endpointsOf, type AppStatus, type ServiceStatus, type AppSummary, type StatusOptions } from './status.js';
export { deleteApp, type DeleteOptions, type DeleteResult } from './delete.js';
export { canaryStatus, promoteCanary, abortCanary, CANARY_TRACK_LABEL, CANARY_ABORTED_ANNOTATION, type CanaryStatus, type CanaryTrack, type CanaryRouting, type CanaryMove, type CanaryOptions, type CanaryMoveOptions } from './canary.js';
export { appliedConfiguration } from './applied-config.js';
export { streamLogs, execInService, portForward, type LogsOptions, type ExecOptions, type PortForwardOptions, type PortForwardHandle } from './pods.js';
export { followLogs, type FollowLogsOptions, type LogFollower, type LogSource } from './follow-logs.js';
export { watchAppList, watchAppObjects, type LiveWatchEvents } from './live-watch.js';
export { initEnv, listEnvs, setEnv, deleteEnv, resolveEnv, type DeployEnv, type EnvStoreDeps } from './environments.js';
export { connect, withClient, type ClusterOptions } from './connect.js';
export { loadClusterTarget, kubeconfigFiles, type ClusterTarget, type KubeconfigOptions } from './kubeconfig.js';
export {
  KubeClient,
  DiscoveryCache,
  UnknownKindError,
  ApiError,
  parseStatus,
  type ClientOptions,
  type KubeObject,
  type ObjectRef,
  type ResourceInfo,
  type RetryPolicy,
  type RequestStats,
  type Transport,
  type PendingRequest,
} from './api/index.js';
export { applySetId, ApplySetLabels, ApplySetAnnotations, parentRef } from './applyset.js';
export { builtinHealth, podProblem, type Health, type DefinitionHealth, type DefinitionVerdict, type LiveOutputs } from './health.js';

import { withClient, type ClusterOptions } from './connect.js';

/** `context.clusterVersion` for the renderer: the server's `{major, minor, gitVersion}`. */
export async function clusterVersion(opts: ClusterOptions = {}): Promise<{ major: string; minor: string; gitVersion: string }> {
  return withClient(opts, (client) => client.serverVersion());
}

/** The namespace and context a command will use (flags, then `--env`/the current environment, then the kubeconfig). */
export async function resolveTarget(opts: ClusterOptions = {}): Promise<{ namespace: string; context: string; server: string }> {
  return withClient(opts, async (client) => ({ namespace: client.target.namespace, context: client.target.context, server: client.target.server }));
}
export * from './clusters/index.js';
