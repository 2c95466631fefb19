/**
 * Policies and the workflow of an app, read into typed values that keep their
 * positions: where and how an app is delivered (KubeVela's `spec.policies`)
 * and in which order (`spec.workflow`). An Appfile writes them at the top
 * level (`policies:`, `workflow:`), an Application under `spec`; both read
 * into these same types (read-policies.ts, read-workflow.ts).
 *
 * Only the shape is checked when reading: whether a deploy step's policy
 * exists, an override's component exists or a cluster is known is the
 * delivery planner's question (src/workflow), which knows the clusters.
 */
import type { Span } from '../source/index.js';
import type { DocPath, JsonObject, JsonValue } from './model.js';

/** A value and where it was written. */
export interface Located<T> {
  readonly value: T;
  readonly span: Span;
}

interface PolicyBase {
  /** The policy's `name` ('' when missing: reported). */
  readonly name: string;
  readonly nameSpan: Span;
  /** The policy's `type` as written. */
  readonly type: string;
  readonly typeSpan: Span;
  /** The whole policy (its map). */
  readonly span: Span;
  /** Where it sits in the document: ['policies', 0] in an Appfile, ['spec', 'policies', 0] in an Application. */
  readonly path: DocPath;
}

/** `topology`: which clusters and which namespace a deploy step delivers to. */
export interface TopologyPolicy extends PolicyBase {
  readonly kind: 'topology';
  /** Clusters by name; when given, the label selector is not used (as KubeVela). */
  readonly clusters?: readonly Located<string>[];
  /** Clusters whose labels include all of these. KubeVela's deprecated `clusterSelector` is read as this too. */
  readonly clusterLabelSelector?: Located<Readonly<Record<string, string>>>;
  /** The namespace in the selected clusters; default: the app's. */
  readonly namespace?: Located<string>;
  /** A selector matching no cluster is not an error. */
  readonly allowEmpty: boolean;
}

export interface TraitOverride {
  readonly type: Located<string>;
  /** Merged into the trait's properties (JSON merge patch); the trait is added when the component lacks it. */
  readonly properties?: JsonObject;
  /** Remove the trait. */
  readonly disable: boolean;
  /** Where the trait override sits, e.g. [...policy, 'properties', 'components', 0, 'traits', 1]. */
  readonly path: DocPath;
}

/** One entry of an override policy's `components`. */
export interface ComponentOverride {
  /** A component name; `*` matches any run of characters. Absent: every component (of `type`, when given). */
  readonly name?: Located<string>;
  /** Only components of this type. */
  readonly type?: Located<string>;
  /** Merged into the component's properties (JSON merge patch: maps merge, `null` removes, the rest replaces). */
  readonly properties?: JsonObject;
  readonly traits: readonly TraitOverride[];
  readonly span: Span;
  readonly path: DocPath;
}

/** `override`: component properties and traits changed for the deploy steps that name it. */
export interface OverridePolicy extends PolicyBase {
  readonly kind: 'override';
  readonly components: readonly ComponentOverride[];
  /** When given, only these components are delivered by a step using this policy (KubeVela's `selector`). */
  readonly selector?: readonly Located<string>[];
}

/** Selects resources of the app for a resource policy's rule (KubeVela's `#ResourcePolicyRuleSelector`). */
export interface ResourceSelector {
  readonly componentNames?: readonly string[];
  readonly componentTypes?: readonly string[];
  /** `COMPONENT` (the workload and the component's outputs) or `TRAIT` (what traits add). */
  readonly oamTypes?: readonly ('COMPONENT' | 'TRAIT')[];
  readonly traitTypes?: readonly string[];
  /** Kinds, e.g. `Deployment`. */
  readonly resourceTypes?: readonly string[];
  readonly resourceNames?: readonly string[];
}

export interface ResourceRule {
  readonly selector: ResourceSelector;
  readonly span: Span;
}

export interface GarbageCollectRule extends ResourceRule {
  /** When selected resources are deleted: when they leave the app (default), only when the app is deleted, or never. */
  readonly strategy: 'onAppUpdate' | 'onAppDelete' | 'never';
  readonly propagation?: 'orphan' | 'cascading';
}

export interface GarbageCollectPolicy extends PolicyBase {
  readonly kind: 'garbage-collect';
  /** Keep resources that left the app instead of pruning them. */
  readonly keepLegacyResource: boolean;
  readonly continueOnFailure: boolean;
  readonly applicationRevisionLimit?: number;
  readonly rules: readonly GarbageCollectRule[];
}

export interface ApplyOnceRule {
  /** Absent: every resource. */
  readonly selector?: ResourceSelector;
  readonly affect?: string;
  /** Field paths (e.g. `spec.replicas`, or `*`) left as the cluster has them after the first apply. */
  readonly paths: readonly string[];
  readonly span: Span;
}

export interface ApplyOncePolicy extends PolicyBase {
  readonly kind: 'apply-once';
  /** Every resource is applied once and then left to drift. */
  readonly enable: boolean;
  readonly rules: readonly ApplyOnceRule[];
}

/** `shared-resource`, `read-only`, `take-over`: rules selecting resources, nothing else. */
export interface ResourceRulesPolicy extends PolicyBase {
  readonly kind: 'shared-resource' | 'read-only' | 'take-over';
  readonly rules: readonly ResourceRule[];
}

/** A policy type vela does not know (warned about); kept so names still resolve. */
export interface OtherPolicy extends PolicyBase {
  readonly kind: 'other';
  readonly properties: JsonValue;
}

export type Policy = TopologyPolicy | OverridePolicy | GarbageCollectPolicy | ApplyOncePolicy | ResourceRulesPolicy | OtherPolicy;
export type PolicyKind = Policy['kind'];

/** The policy types vela reads (the `kind` of each), in the order the README lists them. */
export const policyTypes = ['topology', 'override', 'garbage-collect', 'apply-once', 'shared-resource', 'read-only', 'take-over'] as const;

/**
 * The properties each policy type takes: the parameters of its built-in
 * definition (definitions/policies/TYPE.cue; a test keeps the two equal).
 */
export const policyProperties: Readonly<Record<(typeof policyTypes)[number], readonly string[]>> = {
  // clusterSelector: KubeVela's deprecated name of clusterLabelSelector (read as it, with a warning).
  topology: ['clusters', 'clusterLabelSelector', 'namespace', 'allowEmpty', 'clusterSelector'],
  override: ['components', 'selector'],
  'garbage-collect': ['keepLegacyResource', 'continueOnFailure', 'applicationRevisionLimit', 'rules'],
  'apply-once': ['enable', 'rules'],
  'shared-resource': ['rules'],
  'read-only': ['rules'],
  'take-over': ['rules'],
};

export type StepMode = 'StepByStep' | 'DAG';

export interface Workflow {
  /** The `workflow` key. */
  readonly span: Span;
  readonly path: DocPath;
  /** How top-level steps run (default StepByStep: in order) and how a step group's sub-steps run (default DAG: in parallel, after their dependsOn). */
  readonly mode: { readonly steps: StepMode; readonly subSteps: StepMode };
  readonly steps: readonly WorkflowStep[];
  /** A workflow by reference (a Workflow object in the cluster): valid for KubeVela, refused by the planner. */
  readonly ref?: Located<string>;
}

interface StepBase {
  readonly name: string;
  readonly nameSpan: Span;
  readonly type: string;
  readonly typeSpan: Span;
  /** The whole step (its map). */
  readonly span: Span;
  readonly path: DocPath;
  /** A CUE expression over `status` (e.g. `status.deploy.failed`), or `always`; checked by the planner. */
  readonly if?: Located<string>;
  /** Milliseconds; the step fails with reason Timeout when it has not finished by then. */
  readonly timeout?: Located<number>;
  /** Steps that must finish first. */
  readonly dependsOn: readonly Located<string>[];
}

/** `deploy`: deliver the components through the named policies (topology: where; override: how). */
export interface DeployStep extends StepBase {
  readonly kind: 'deploy';
  readonly policies: readonly Located<string>[];
  /** Clusters delivered to at once (KubeVela bounds components; vela bounds clusters). Default 5. */
  readonly parallelism: number;
  /** `auto: false`: wait for approval (`vela workflow resume`, or `vela up --yes`) before delivering. */
  readonly auto: boolean;
}

/** `apply-component`: deliver one component, without override policies. */
export interface ApplyComponentStep extends StepBase {
  readonly kind: 'apply-component';
  readonly component: Located<string>;
  /** Default: `local`. */
  readonly cluster?: Located<string>;
  /** Default: the app's namespace. */
  readonly namespace?: Located<string>;
}

/** `suspend`: wait for `duration`, or until resumed. */
export interface SuspendStep extends StepBase {
  readonly kind: 'suspend';
  /** Milliseconds. */
  readonly duration?: Located<number>;
  readonly message?: string;
}

export interface StepGroupStep extends StepBase {
  readonly kind: 'step-group';
  readonly subSteps: readonly WorkflowStep[];
}

/** One webhook message of a notification step: its body POSTed as JSON to the URL. */
export interface NotificationMessage {
  readonly channel: 'slack' | 'dingding' | 'lark';
  /** The URL itself, or where to read it: a key of a Secret in the app's namespace. */
  readonly url: { readonly value: string } | { readonly secretRef: { readonly name: string; readonly key: string } };
  readonly body: JsonValue;
  readonly span: Span;
}

export interface NotificationStep extends StepBase {
  readonly kind: 'notification';
  readonly messages: readonly NotificationMessage[];
  /** KubeVela's `email` channel, which vela does not send: the planner refuses it here. */
  readonly email?: Span;
}

/** A step type vela does not run (KubeVela has many): kept, so that reading it is no error; planning it is. */
export interface OtherStep extends StepBase {
  readonly kind: 'other';
}

export type WorkflowStep = DeployStep | ApplyComponentStep | SuspendStep | StepGroupStep | NotificationStep | OtherStep;
export type StepKind = WorkflowStep['kind'];

/** The workflow-step types vela runs. */
export const stepTypes = ['deploy', 'apply-component', 'suspend', 'step-group', 'notification'] as const;

/** The properties each step type takes: the parameters of its built-in definition (definitions/workflow-steps/TYPE.cue). */
export const stepProperties: Readonly<Record<(typeof stepTypes)[number], readonly string[]>> = {
  // ignoreTerraformComponent: accepted for KubeVela's sake; vela has no Terraform components.
  deploy: ['policies', 'parallelism', 'auto', 'ignoreTerraformComponent'],
  'apply-component': ['component', 'cluster', 'namespace'],
  suspend: ['duration', 'message'],
  'step-group': [],
  // KubeVela's `email` is refused at its line: sending mail needs an SMTP client.
  notification: ['slack', 'dingding', 'lark'],
};
