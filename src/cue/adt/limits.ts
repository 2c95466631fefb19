/**
 * Bounds on what one evaluation may build (issue: evaluation without
 * bounds). A definition is code from someone else: it may ask for a string,
 * a list or a document larger than any Kubernetes object could be. Past
 * these bounds the engine reports an error at the expression instead of
 * exhausting memory or crashing on a JavaScript RangeError.
 */

/** The longest list an expression or builtin makes (`list.Repeat`, `list.Range`, `l * n`). */
export const MAX_LIST = 1_000_000;

/** The longest string or bytes value (`strings.Repeat`, `+`, `*`, interpolation), in UTF-16 units. */
export const MAX_STRING = 16 * 1024 * 1024;
