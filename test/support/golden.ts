/**
 * The one way tests compare with golden files. A golden file is the expected
 * output, written by a person who checked it: a missing one fails the test
 * (it never writes itself), and only `UPDATE_GOLDEN=1` rewrites them.
 */
import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

export const updatingGoldens = process.env.UPDATE_GOLDEN === '1';

/**
 * Compares `actual` with the file at `path`. `undefined` means the file must not
 * exist (a case with no expected output of this kind). `compare` replaces the
 * byte comparison, for formats where only the parsed value matters.
 */
export function expectGolden(path: string, actual: string | undefined, compare?: (actual: string, expected: string) => void): void {
  if (updatingGoldens) {
    if (actual === undefined) {
      if (existsSync(path)) unlinkSync(path);
    } else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, actual);
    }
    return;
  }
  if (actual === undefined) {
    expect(existsSync(path), `${path} should not exist (run with UPDATE_GOLDEN=1 to remove it)`).toBe(false);
    return;
  }
  expect(existsSync(path), `missing golden file ${path} (write it with UPDATE_GOLDEN=1, then check it)`).toBe(true);
  const expected = readFileSync(path, 'utf8');
  if (compare) compare(actual, expected);
  else expect(actual).toBe(expected);
}
