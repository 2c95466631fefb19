/**
 * A text read the way YAML 1.2's core schema reads a plain (unquoted) scalar:
 * `true`/`false`, `null`/`~`, integers (also `0x`, `0o`), floats, else the
 * string itself. Used where a value arrives as text but the user wrote it as
 * YAML would: an interpolated plain scalar (`port: ${PORT:-80}` is the number
 * 80) and a `--set PATH=VALUE` on the command line. The empty text stays the
 * empty string (not null): `${TAG:-}` or `--set x=` mean "empty", not "absent".
 */
import type { Scalar } from './yaml-tree.js';

const nullWords = new Set(['~', 'null', 'Null', 'NULL']);
const trueWords = new Set(['true', 'True', 'TRUE']);
const falseWords = new Set(['false', 'False', 'FALSE']);
const decimalInt = /^[-+]?[0-9]+$/;
const octalInt = /^0o[0-7]+$/;
const hexInt = /^0x[0-9a-fA-F]+$/;
const float = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

export function plainScalar(text: string): Scalar {
  if (text === '') return '';
  if (nullWords.has(text)) return null;
  if (trueWords.has(text)) return true;
  if (falseWords.has(text)) return false;
  if (decimalInt.test(text)) return Number(text);
  if (octalInt.test(text)) return Number.parseInt(text.slice(2), 8);
  if (hexInt.test(text)) return Number.parseInt(text.slice(2), 16);
  // `.inf` and `.nan` stay text: an Appfile has no use for them (yaml-tree refuses them too).
  if (float.test(text)) return Number(text);
  return text;
}
