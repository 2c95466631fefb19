/**
 * Policies and workflow steps → a delivery plan per cluster, and the runner
 * that walks it; step state and its store. Pure: clusters, delivery, webhooks,
 * the clock and the store come in as data or injected functions
 * (src/pipeline wires them to src/deploy).
 */
export { planDelivery, type PlanInput, type PlanResult } from './plan-delivery.js';
export {
  LOCAL_CLUSTER,
  deliveringSteps,
  type KnownCluster,
  type DeliveryTarget,
  type TargetDelivery,
  type DeliveryPlan,
  type DeliveryOptions,
  type PlannedStep,
  type PlannedDeploy,
  type PlannedApplyComponent,
  type PlannedSuspend,
  type PlannedStepGroup,
  type PlannedNotification,
} from './plan.js';
export { placeTargets } from './placement.js';
export { evaluateIf, type StepStatusView, type IfResult } from './if-condition.js';
export { selectsManifest } from './resource-selector.js';
export { planDigest } from './plan-digest.js';
export {
  allSteps,
  isWaiting,
  isFinished,
  resumeState,
  terminateState,
  restartState,
  WorkflowStateError,
  type WorkflowState,
  type WorkflowPhase,
  type StepState,
  type StepPhase,
  type StepReason,
  type TargetResult,
} from './state.js';
export { memoryStateStore, updateState, StateConflictError, type WorkflowStateStore, type VersionedState } from './state-store.js';
export { runWorkflow, type RunnerDeps, type RunnerClock, type RunnerEvent, type DeliveryRequest, type DeliveryOutcome, type Gate, type ApprovalAnswer } from './run-workflow.js';
