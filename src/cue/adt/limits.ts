/**
 * Bounds on what one evaluation may build (issue: evaluation without
 * bounds). A definition is code from someone else: it may ask for a string,
 * a list or a document larger than any Kubernetes object could be. Past
 * these bounds the engine reports an error at the expression instead of
 * exhausting memory or crashing on a JavaScript RangeError.
 */

/**
 * The longest list an expression or builtin makes (`list.Repeat`, `list.Range`, `l + l`, `l * n`). Far above what a
 * Kubernetes object can hold (the API server stores at most about 1.5 MiB per object).
 */
export const MAX_LIST = 100_000;

/** The longest string or bytes value an expression or builtin makes (`strings.Repeat`, `+`, `*`, interpolation). */
export const MAX_STRING = 4 * 1024 * 1024;

/** The most values (scalars, lists and structs) one export may produce. */
export const MAX_EXPORT_NODES = 1_000_000;

/** The message of a size limit, the same everywhere. */
export function tooLarge(what: string, size: number | bigint | string, max: number): string {
  return `${what} too large (${size}, at most ${max})`;
}
