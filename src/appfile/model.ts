/**
 * The app after parsing and resolution (the resolved model): what every later
 * stage reads. Raw YAML is never passed on; each value keeps a way back to its
 * position. The parsers' output, before any definition is consulted, is the
 * raw app (raw-app.ts).
 */
import type { SourceFile, Span } from '../source/index.js';
import type { Policy, Workflow } from './delivery-model.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A path into the Appfile document, e.g. ['services', 'web', 'port']. */
export type DocPath = readonly (string | number)[];

export interface BuildSpec {
  /** Span of the `build` key of the service. */
  readonly span: Span;
  /** Dockerfile path relative to the context (default `Dockerfile`). */
  readonly dockerfile: string;
  /** Context folder relative to the Appfile's folder (default `.`). */
  readonly context: string;
  readonly args: Readonly<Record<string, string>>;
  readonly target?: string;
  /** `push.registry`: replaces the registry part of `image`. */
  readonly pushRegistry?: string;
}

export interface TraitSection {
  /** The trait definition name. */
  readonly name: string;
  readonly properties: JsonObject;
  /** Span of the trait's key in the Appfile. */
  readonly span: Span;
  /** Where the section lives: ['services', svc, name] or ['services', svc, 'traits', name]. */
  readonly path: DocPath;
}

export interface ServiceModel {
  readonly name: string;
  /** Span of the service's key. */
  readonly span: Span;
  /** Component definition name (default `webservice`). */
  readonly type: string;
  readonly typeSpan?: Span;
  /** The `image` parameter, when given. */
  readonly image?: string;
  readonly build?: BuildSpec;
  readonly dependsOn: readonly string[];
  /** Component parameters (every key that is not reserved and not a trait), in file order. */
  readonly params: JsonObject;
  /** Trait sections in file order. */
  readonly traits: readonly TraitSection[];
}

/** A `take-over` policy rule's selector (KubeVela's fields): which existing objects the app may adopt. */
export interface TakeOverSelector {
  readonly componentNames?: readonly string[];
  readonly componentTypes?: readonly string[];
  readonly oamTypes?: readonly string[];
  readonly traitTypes?: readonly string[];
  readonly resourceTypes?: readonly string[];
  readonly resourceNames?: readonly string[];
}

export interface AppModel {
  readonly file: SourceFile;
  /** The folder of the Appfile (build contexts are relative to it). */
  readonly dir: string;
  readonly name: string;
  /** The target namespace the file names (`namespace:`, an Application's metadata or topology). */
  readonly namespace?: string;
  readonly namespaceSpan?: Span;
  /**
   * The services as one cluster gets them: every override policy applied, in
   * order, as KubeVela delivers without a workflow.
   */
  readonly services: readonly ServiceModel[];
  /** The rules of the app's `take-over` policies, in order (absent: none). */
  readonly takeOver?: readonly TakeOverSelector[];
  /** The policies (typed, located); absent when the file has neither policies nor a workflow. */
  readonly policies?: readonly Policy[];
  readonly workflow?: Workflow;
  /**
   * The services as written, before any override policy (present with
   * `policies`): what the delivery planner (src/workflow) applies each deploy
   * step's own overrides to.
   */
  readonly baseServices?: readonly ServiceModel[];
  /** The namespace as written (`namespace:`, an Application's metadata), before a topology's (present with `policies`). */
  readonly baseNamespace?: string;
  /** The span of the node at a document path, or of its closest existing ancestor. */
  locate(path: DocPath): Span | undefined;
}
