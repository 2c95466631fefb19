/**
 * What rendering produces: plain Kubernetes objects, each knowing which
 * service, definition, trait and Appfile position produced it.
 */
import type { Span } from '../source/index.js';
import type { JsonObject } from '../appfile/index.js';

export interface ManifestOrigin {
  readonly service: string;
  /** The component definition (the service's type). */
  readonly definition: string;
  /** Set when a trait's `outputs` produced the object. */
  readonly trait?: string;
  /** Name in the template's `outputs`, or undefined for the workload (`output`). */
  readonly outputName?: string;
  /** The component's workload (its `output`). */
  readonly workload?: boolean;
  /** The Appfile position of the service (or of the trait section). */
  readonly span?: Span;
  /**
   * Fields of the object whose value came straight from a parameter, by their
   * path as the API server names them (`spec.template.spec.containers[0].image`),
   * with the Appfile position of that parameter's value.
   */
  readonly fields?: FieldSpans;
}

/** Appfile positions of an object's fields, looked up on demand (only an API error needs them). */
export interface FieldSpans {
  get(field: string): Span | undefined;
}

export interface Manifest {
  /** apiVersion, kind, metadata.name, metadata.namespace (unless cluster-scoped), ... */
  object: JsonObject;
  readonly origin: ManifestOrigin;
}

export interface RenderedService {
  readonly name: string;
  readonly type: string;
  readonly dependsOn: readonly string[];
  /** From the component definition: CUE source of `isHealth` and `message` expressions. */
  readonly status?: { readonly healthPolicy?: string; readonly customStatus?: string };
  readonly span?: Span;
}

export interface RenderedApp {
  readonly name: string;
  readonly namespace: string;
  /** Ordered: Namespaces, CRDs, then the rest in Appfile order. */
  readonly manifests: readonly Manifest[];
  readonly services: readonly RenderedService[];
}
