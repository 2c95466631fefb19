/**
 * Capability definitions: component types and traits, whatever file format
 * they were loaded from.
 */
import type { Span } from '../source/position.js';

/** The subset of JSON Schema (draft 2019-09/2020-12 keywords) the CUE schema exporter produces. */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null' | readonly ('object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null')[];
  description?: string;
  default?: unknown;
  enum?: readonly unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  patternProperties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  prefixItems?: readonly JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  not?: JsonSchema;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  allOf?: readonly JsonSchema[];
  /** vela extensions from comments: `+short`, `+alias`, `+ignore`. */
  'x-short'?: string;
  'x-alias'?: string;
  'x-ignore'?: boolean;
  [key: string]: unknown;
}

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
