/**
 * Capability definitions: component types and traits, whatever file format
 * they were loaded from.
 */
import type { Span } from '../source/index.js';

import type { JsonSchema } from './json-schema.js';

export type { JsonSchema };

export type DefinitionKind = 'component' | 'trait';

/** Where a definition came from, first match by name wins in this order. */
export type DefinitionOrigin = 'flag' | 'project' | 'user' | 'builtin';

export interface Definition {
  readonly name: string;
  readonly kind: DefinitionKind;
  readonly description: string;
  /** Traits: component types or workload kinds it applies to; empty or ['*'] means all. */
  readonly appliesTo: readonly string[];
  /** Components: the workload it produces, e.g. `deployments.apps` (attributes.workload.type). */
  readonly workloadType?: string;
  /** The JSON Schema derived from the template's `parameter`. */
  readonly schema: JsonSchema;
  /** `attributes.status.healthPolicy` and `customStatus` (CUE source text), when given. */
  readonly status?: { readonly healthPolicy?: string; readonly customStatus?: string };
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
}
