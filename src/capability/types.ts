/**
 * Capability definitions: component types, traits, policies and workflow
 * steps, whatever file format they were loaded from.
 */
import type { Span } from '../source/index.js';

import type { JsonSchema } from './json-schema.js';

export type { JsonSchema };

export type DefinitionKind = 'component' | 'trait' | 'policy' | 'workflow-step';

export const DEFINITION_KINDS: readonly DefinitionKind[] = ['component', 'trait', 'policy', 'workflow-step'];

/**
 * Where a definition came from, first match by name wins in this order
 * (`addon`: installed by an enabled addon, from its `definitions/`).
 */
export type DefinitionOrigin = 'flag' | 'project' | 'addon' | 'user' | 'builtin';

/**
 * When a trait's objects are dispatched relative to the workload (KubeVela's
 * `stage`): before it, with it (the default), or after it is healthy.
 */
export type TraitStage = 'PreDispatch' | 'DefaultDispatch' | 'PostDispatch';

export const TRAIT_STAGES: readonly TraitStage[] = ['PreDispatch', 'DefaultDispatch', 'PostDispatch'];

/**
 * A component rendered by Terraform instead of a CUE template
 * (`spec.schematic.terraform`): it becomes a terraform-controller
 * `Configuration` whose `variable` is the component's properties.
 */
export interface TerraformSchematic {
  /** Inline HCL, or the URL of a git repository for `type: remote`. */
  readonly configuration: string;
  /** `hcl` (the default) or `remote`; `json` is read but cannot be rendered (terraform-controller v1beta2 has no field for it). */
  readonly type: 'hcl' | 'json' | 'remote';
  /** The module's folder inside a remote repository. */
  readonly path?: string;
  readonly writeConnectionSecretToRef?: { readonly name: string; readonly namespace?: string };
  readonly providerRef?: { readonly name: string; readonly namespace?: string };
  readonly gitCredentialsSecretReference?: { readonly name: string; readonly namespace?: string };
  readonly deleteResource?: boolean;
  readonly customRegion?: string;
}

/** Attributes of a trait definition, as KubeVela's TraitDefinition spec names them. */
export interface TraitAttributes {
  /** Traits that cannot be on the same component: definition names, `*` (every other one), `labelSelector:k=v`. */
  readonly conflictsWith?: readonly string[];
  /** Whether applying the trait restarts the pods (shown by `vela show`). */
  readonly podDisruptive?: boolean;
  readonly stage?: TraitStage;
  /** Where the trait's objects get a reference to the workload (`spec.workloadRef`). */
  readonly workloadRefPath?: string;
  /** The trait creates the workload itself: vela does not apply the component's workload. */
  readonly manageWorkload?: boolean;
  /** The trait is aware of component revisions (`context.revision`). */
  readonly revisionEnabled?: boolean;
  /** `definitionRef.name`: the resource (CRD) the trait stands for, e.g. `ingresses.networking.k8s.io`. */
  readonly resource?: string;
}

export interface Definition extends TraitAttributes {
  readonly name: string;
  readonly kind: DefinitionKind;
  readonly description: string;
  /** The definition's own labels (conflictsWith rules can select them). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Traits: component types or workload kinds it applies to; empty or ['*'] means all. */
  readonly appliesTo: readonly string[];
  /** Components: the workload it produces, e.g. `deployments.apps` (attributes.workload.type). */
  readonly workloadType?: string;
  /** The JSON Schema derived from the template's `parameter`. */
  readonly schema: JsonSchema;
  /** `attributes.status.healthPolicy` and `customStatus` (CUE source text), when given. */
  readonly status?: { readonly healthPolicy?: string; readonly customStatus?: string };
  /**
   * A component in the core.oam.dev/v1alpha2 format (WorkloadDefinition, `spec.extension.template`)
   * without an `image` parameter: the service's `image` goes to `context.image`, as it did then.
   */
  readonly imageInContext?: boolean;
  /** Components rendered by Terraform. */
  readonly terraform?: TerraformSchematic;
  readonly origin: DefinitionOrigin;
  /** The file it was loaded from. */
  readonly path: string;
  /** Span of the definition's name in its file. */
  readonly span?: Span;
}

export interface Registry {
  component(name: string): Definition | undefined;
  trait(name: string): Definition | undefined;
  components(): readonly Definition[];
  traits(): readonly Definition[];
  policy(name: string): Definition | undefined;
  policies(): readonly Definition[];
  workflowStep(name: string): Definition | undefined;
  workflowSteps(): readonly Definition[];
}
