/**
 * The interface between the evaluator and builtin functions. Builtins take
 * evaluated arguments and return a value; they read arguments through the
 * CallContext so that incomplete arguments give incomplete errors.
 */
import type { Val, Vertex } from '../adt/vertex.js';
import type { Scalar } from '../adt/scalar.js';

export interface CallContext {
  /** The scalar of a value (defaults resolved); a bottom for structs and lists. */
  concrete(v: Val): Scalar;
  /** Concrete JSON; floats that are integral come back as FloatValue when keepFloats is set. Throws BuiltinError. */
  exportValue(v: Val, path: string[], depth?: number, keepFloats?: boolean, allowIncomplete?: boolean): unknown;
  /** Unification of a schema (its conjuncts re-bound) with a value. */
  unify(schema: Vertex, value: Val): Vertex;
  fromJSON(x: unknown): Val;
  makeList(parent: Vertex | undefined, elems: readonly Val[]): Vertex;
  /** List elements after defaults, or undefined when the value is not a list. */
  listElems(v: Vertex): Vertex[] | undefined;
  /** Regular fields of a struct, or undefined when the value is not a struct. */
  structFields(v: Val): [string, Vertex][] | undefined;
  sameValue(a: Vertex, b: Vertex): boolean;
  /** Unifies the conjuncts of `v` (re-bound) with extra fields and returns the evaluated result. */
  fill(v: Vertex, fields: Record<string, Val>): Vertex;
  defaultOf(v: Vertex): Vertex;
}

export interface Builtin {
  readonly name: string;
  /** Exact number of arguments, unless minArity is set. */
  readonly arity?: number;
  readonly minArity?: number;
  /** May be used as a validator: called with one argument less, the value checked comes first. */
  readonly validator?: boolean;
  call(args: Val[], ctx: CallContext): Val;
}

export type Package = Record<string, Builtin | Val>;
