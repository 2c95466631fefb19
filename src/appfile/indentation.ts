/**
 * Plain words for the YAML errors an indentation mistake causes. The YAML
 * library reports where its grammar broke ("Implicit keys need to be on a
 * single line", "All mapping items must start at the same column"), often a
 * line early; the user needs the line that is indented wrong, and how. This
 * walks the block keys line by line, tracking the columns of the maps it is in,
 * and finds the first key that is deeper than the key above it although that
 * one opened no block, or that starts between two levels.
 */
import { error, type Diagnostic, type SourceFile } from '../source/index.js';

/** YAML error codes an indentation mistake produces. */
const indentationCodes = new Set(['yaml/bad_indent', 'yaml/multiline_implicit_key', 'yaml/block_as_implicit_key', 'yaml/unexpected_token', 'yaml/missing_char']);

const keyLine = /^( *)((?:- +)*)([^\s#'"\-[{][^:#]*?|"[^"]*"|'[^']*'):(?:\s|$)/;

/** One plain diagnostic for an indentation mistake behind `errors`, or undefined when there is none to find. */
export function explainIndentation(file: SourceFile, errors: readonly Diagnostic[]): Diagnostic | undefined {
  if (!errors.some((e) => e.code !== undefined && indentationCodes.has(e.code))) return undefined;
  const lines = file.text.split('\n');
  const levels: { column: number; key: string }[] = [];
  let previous: { column: number; key: string; opens: boolean } | undefined;
  let offset = 0;
  for (let i = 0; i < lines.length; offset += lines[i]!.length + 1, i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (/^\s*(#|$)/.test(line) || /^\s*(---|\.\.\.)\s*$/.test(line)) continue;
    const m = keyLine.exec(line);
    if (!m) {
      // A list item or a continued value: it does not change which maps we are in, except a dash opens one.
      continue;
    }
    const column = m[1]!.length + m[2]!.length;
    const key = m[3]!.trim();
    const opens = /:\s*(#.*)?$/.test(line);
    let deeper: { column: number; key: string } | undefined;
    while (levels.length && levels.at(-1)!.column > column) deeper = levels.pop();
    const top = levels.at(-1);
    const at = { file, start: offset + column, end: offset + column + key.length };
    if (top && top.column < column && previous && !previous.opens && previous.column === top.column) {
      return error(`\`${key}:\` is indented deeper than \`${previous.key}:\` above it (${column} spaces, not ${top.column}), but \`${previous.key}:\` already has a value on its line`, at, {
        code: 'appfile/indentation',
        hint: `keys of one map start at the same column: indent \`${key}:\` by ${top.column} spaces like \`${previous.key}:\`; or, if it belongs inside \`${previous.key}\`, move \`${previous.key}\`'s value onto lines of its own`,
      });
    }
    if (top && top.column < column && !previous?.opens) {
      const like = (l: { column: number; key: string }) => `by ${l.column} spaces like \`${l.key}:\``;
      return error(`\`${key}:\` starts at column ${column + 1}, between the columns of the keys above it`, at, {
        code: 'appfile/indentation',
        hint: `keys of one map start at the same column: indent it ${deeper ? `${like(deeper)} (beside it), or ${like(top)}` : like(top)}`,
      });
    }
    if (!top || top.column < column) levels.push({ column, key });
    else if (top.column === column) levels[levels.length - 1] = { column, key };
    previous = { column, key, opens };
  }
  return undefined;
}
