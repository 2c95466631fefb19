/**
 * The raw app: what the parsers (Appfile, compose file, KubeVela Application)
 * return, before any definition is consulted. Names, shapes and references
 * between services are checked; which key is a parameter and which a trait,
 * whether a type exists and whether values fit the schemas are not: that is
 * `resolve/`, which turns a raw app into the AppModel (model.ts). Every value
 * keeps its position.
 *
 * The three formats say different things, so their services differ: an Appfile
 * service has keys still to be sorted; a converted compose service has
 * parameters and traits the converter chose, which the component may lack; an
 * Application component has properties and traits by name.
 */
import type { Diagnostic, SourceFile, Span } from '../source/index.js';
import type { DependencyRef } from './depends-on.js';
import type { BuildSpec, DocPath, JsonObject, JsonValue } from './model.js';
import type { Origins } from './origins.js';
import type { Delivery } from './read-delivery.js';
import type { LEntry } from './yaml-tree.js';

export type RawApp = RawAppfile | RawCompose | RawApplication;

/** A parser's answer: the raw app whenever the file could be read as a map at all, and what was wrong. */
export interface ParseResult<App extends RawApp = RawApp> {
  readonly raw?: App;
  readonly diagnostics: Diagnostic[];
}

export interface RawAppBase {
  readonly file: SourceFile;
  /** The folder of the file (build contexts are relative to it). */
  readonly dir: string;
  /** Undefined when missing or invalid; the parser has said why. */
  readonly name?: string;
  readonly namespace?: string;
  readonly namespaceSpan?: Span;
  /** Where a document path of the model (['services', 'web', 'port']) was written in the file. */
  readonly origins: Origins;
  /** Top-level `policies` and `workflow` as written (an Application's `spec.policies` and `spec.workflow`). */
  readonly policies?: LEntry;
  readonly workflow?: LEntry;
  /** The same, read into typed values (read-delivery.ts); absent when neither is written. */
  readonly delivery?: Delivery;
}

export interface RawAppfile extends RawAppBase {
  readonly format: 'appfile';
  readonly services: readonly RawAppfileService[];
}

export interface RawCompose extends RawAppBase {
  readonly format: 'compose';
  readonly services: readonly RawComposeService[];
}

export interface RawApplication extends RawAppBase {
  readonly format: 'application';
  readonly services: readonly RawComponent[];
}

interface RawServiceBase {
  readonly name: string;
  /** The span of the service's key (of an Application component: of its name). */
  readonly span: Span;
  readonly dependsOn: readonly DependencyRef[];
}

/** A value written under a key, with both positions. */
export interface RawEntry {
  readonly key: string;
  readonly keySpan: Span;
  readonly value: JsonValue;
  readonly valueSpan: Span;
  /** Where it sits in the model, e.g. ['services', 'web', 'port']. */
  readonly path: DocPath;
}

/** An Appfile service key: to be sorted (`key`), or named a trait by sitting under `traits:` (`trait`). */
export interface RawServiceKey extends RawEntry {
  readonly as: 'key' | 'trait';
}

export interface RawAppfileService extends RawServiceBase {
  /** `type:` as written; `name` is undefined when it is not a name (reported). Absent: the default type. */
  readonly type?: { readonly name?: string; readonly span: Span };
  /** Undefined when absent or invalid (reported). */
  readonly build?: BuildSpec;
  /** `build.image`, as KubeVela's 2020 Appfile writes the image; the same as the service's `image`. */
  readonly buildImage?: RawEntry;
  /** Every key but the reserved ones, in file order; the entries of `traits:` in its place. */
  readonly keys: readonly RawServiceKey[];
  /** The service is not a map (reported): there is nothing to validate. */
  readonly malformed: boolean;
}

/** A parameter a compose converter made. */
export interface RawParam {
  readonly key: string;
  readonly value: JsonValue;
  /** Where to point when the component has no such parameter. */
  readonly span: Span;
  /**
   * Said instead, once, when the component lacks `param`: a group of parameters
   * that only make sense together (cpu, memory and limit need `cpu`).
   */
  readonly unless?: { readonly param: string; readonly warning: string; readonly span: Span };
}

export interface RawTrait {
  readonly name: string;
  readonly properties: JsonObject;
  readonly span: Span;
  /** Where the section sits in the model: ['services', svc, name]. */
  readonly path: DocPath;
}

export interface RawComposeService extends RawServiceBase {
  /** The component type the converter chose (webservice, worker, task or daemon). */
  readonly type: string;
  readonly image?: string;
  readonly build?: BuildSpec;
  readonly params: readonly RawParam[];
  readonly traits: readonly RawTrait[];
}

export interface RawComponentTrait {
  readonly type: string;
  readonly typeSpan: Span;
  readonly properties: JsonObject;
  /** Position in the component's `traits` list. */
  readonly index: number;
}

export interface RawComponent extends RawServiceBase {
  /** Position in `spec.components`. */
  readonly index: number;
  readonly type: { readonly name: string; readonly span: Span };
  readonly properties: JsonObject;
  readonly traits: readonly RawComponentTrait[];
}
