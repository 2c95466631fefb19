/**
 * `vela show` and Appfile diagnostics describe parameters from their
 * `// +usage=` comments, so every field of every built-in definition's
 * parameter (and of the #definitions it uses) must carry one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFINITIONS_DIR } from './harness.js';

/** Line ranges of the `parameter` field and the `#Name` definitions inside `template`. */
function schemaRanges(lines: string[]): [number, number][] {
  const ranges: [number, number][] = [];
  const start = lines.findIndex((l) => /^template:\s*\{/.test(l));
  for (let i = start + 1; i < lines.length; i++) {
    if (!/^\t(parameter|#\w+):/.test(lines[i]!)) continue;
    let depth = 0;
    let j = i;
    for (; j < lines.length; j++) {
      const code = lines[j]!.replace(/\/\/.*$/, '').replace(/"(?:[^"\\]|\\.)*"/g, '""');
      for (const ch of code) {
        if (ch === '{' || ch === '[' || ch === '(') depth++;
        if (ch === '}' || ch === ']' || ch === ')') depth--;
      }
      if (depth <= 0) break;
    }
    ranges.push([i, j]);
    i = j;
  }
  return ranges;
}

const FIELD = /^\s*("[^"]+"|[A-Za-z_$#][\w$-]*)\??\s*:/;

function missingUsage(file: string): string[] {
  const lines = readFileSync(join(DEFINITIONS_DIR, file), 'utf8').split('\n');
  const missing: string[] = [];
  for (const [from, to] of schemaRanges(lines)) {
    for (let i = from; i <= to; i++) {
      const line = lines[i]!;
      const m = FIELD.exec(line);
      if (!m) continue;
      const name = m[1]!;
      if (i === from && name.startsWith('#')) continue; // the definition itself
      if (i === from && name === 'parameter' && /\{\s*$/.test(line)) continue; // the parameter block opener
      let k = i - 1;
      const comments: string[] = [];
      while (k >= 0 && /^\s*\/\//.test(lines[k]!)) comments.push(lines[k--]!.trim());
      if (comments.some((c) => c.startsWith('// +usage='))) continue;
      missing.push(`${file}:${i + 1}: ${name}`);
    }
  }
  return missing;
}

describe('usage comments of built-in definitions', () => {
  const files = readdirSync(DEFINITIONS_DIR).filter((f) => f.endsWith('.cue'));
  it.each(files)('%s documents every parameter', (file) => {
    expect(missingUsage(file)).toEqual([]);
  });
});
