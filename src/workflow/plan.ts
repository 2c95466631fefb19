/**
 * A delivery plan: the app's workflow with every reference resolved — for each
 * step, what it does, and for a delivering step, each target (a cluster and a
 * namespace) with the AppModel that target gets once the step's override
 * policies are applied. The planner (plan-delivery.ts) makes it; the runner
 * (run-workflow.ts) walks it; nothing in it talks to a cluster.
 */
import type { AppModel, GarbageCollectRule, NotificationMessage, ResourceSelector, StepMode } from '../appfile/index.js';
import type { Span } from '../source/index.js';

/** The registry's name for the cluster of the current kubeconfig context. */
export const LOCAL_CLUSTER = 'local';

/** A cluster the planner may deliver to (the cluster registry's entries, and `local`). */
export interface KnownCluster {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface DeliveryTarget {
  readonly cluster: string;
  /** Undefined: the namespace the cluster's kubeconfig context gives (its default). */
  readonly namespace?: string;
}

/** One target of a delivering step, with the app as that target gets it. */
export interface TargetDelivery {
  readonly target: DeliveryTarget;
  readonly app: AppModel;
}

interface PlannedStepBase {
  readonly name: string;
  readonly type: string;
  /** `always`, or a CUE expression over `status` (checked when planning). */
  readonly if?: string;
  readonly timeoutMs?: number;
  /** Steps (at the same level) that must finish first. */
  readonly dependsOn: readonly string[];
  /** Where the step is written. */
  readonly span: Span;
}

export interface PlannedDeploy extends PlannedStepBase {
  readonly kind: 'deploy';
  readonly targets: readonly TargetDelivery[];
  /** Targets delivered to at once. */
  readonly parallelism: number;
  /** Wait for approval before delivering (`auto: false`). */
  readonly approval: boolean;
  /** The policies the step uses, by name, in order. */
  readonly policies: readonly string[];
}

export interface PlannedApplyComponent extends PlannedStepBase {
  readonly kind: 'apply-component';
  readonly component: string;
  readonly targets: readonly [TargetDelivery];
}

export interface PlannedSuspend extends PlannedStepBase {
  readonly kind: 'suspend';
  /** Resume by itself after this long; absent: only `vela workflow resume` does. */
  readonly durationMs?: number;
  readonly message?: string;
}

export interface PlannedStepGroup extends PlannedStepBase {
  readonly kind: 'step-group';
  readonly subSteps: readonly PlannedStep[];
}

export interface PlannedNotification extends PlannedStepBase {
  readonly kind: 'notification';
  readonly messages: readonly NotificationMessage[];
}

export type PlannedStep = PlannedDeploy | PlannedApplyComponent | PlannedSuspend | PlannedStepGroup | PlannedNotification;

/** The resource policies of the app (KubeVela applies them app-wide, whichever step delivers), for delivery to honour. */
export interface DeliveryOptions {
  readonly garbageCollect?: {
    readonly keepLegacyResource: boolean;
    readonly continueOnFailure: boolean;
    readonly rules: readonly GarbageCollectRule[];
  };
  readonly applyOnce?: {
    readonly enable: boolean;
    readonly rules: readonly { readonly selector?: ResourceSelector; readonly paths: readonly string[] }[];
  };
  readonly sharedResource: readonly ResourceSelector[];
  readonly readOnly: readonly ResourceSelector[];
  readonly takeOver: readonly ResourceSelector[];
}

export interface DeliveryPlan {
  readonly app: string;
  readonly mode: { readonly steps: StepMode; readonly subSteps: StepMode };
  readonly steps: readonly PlannedStep[];
  /** True when the app has no workflow and the steps are the ones KubeVela would generate. */
  readonly generated: boolean;
  readonly options: DeliveryOptions;
  /** Every cluster some step delivers to, in first-use order. */
  readonly clusters: readonly string[];
}

/** Every delivering step of a plan, sub-steps included, in order. */
export function deliveringSteps(steps: readonly PlannedStep[]): (PlannedDeploy | PlannedApplyComponent)[] {
  return steps.flatMap((s) => (s.kind === 'step-group' ? deliveringSteps(s.subSteps) : s.kind === 'deploy' || s.kind === 'apply-component' ? [s] : []));
}

