/** The DiagnosticError a promise rejects with; fails the test when it resolves or rejects with anything else. */
import { expect } from 'vitest';
import { DiagnosticError } from '../../src/source/index.js';

export async function failure(p: Promise<unknown>): Promise<DiagnosticError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DiagnosticError);
  return e as DiagnosticError;
}
