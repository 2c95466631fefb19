/**
 * Reads the imports of TypeScript sources from their text, for the tests that
 * check the module map (test/arch.test.ts), the start-up path (commands.test.ts) and
 * the split into fast and slow tests (test/test-projects.test.ts).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Import {
  readonly file: string; // relative to src/, with /
  readonly spec: string;
  /** `import type` / `export type` / `import { type A, type B }`: erased at build time. */
  readonly typeOnly: boolean;
  /** `import('…')`: loaded when the code runs, not when the module loads. */
  readonly dynamic: boolean;
}

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

export const stripComments = (s: string) => s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

export function importsOf(file: string, text: string): Import[] {
  const code = stripComments(text);
  const found: Import[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/gm;
  for (const m of code.matchAll(statement)) {
    const names = m[3]!;
    const allTypes = /^\{[^}]*\}$/.test(names.trim()) && names.replace(/[{}\s]/g, '').split(',').filter(Boolean).every((n) => n.startsWith('type'));
    found.push({ file, spec: m[4]!, typeOnly: Boolean(m[2]) || allTypes, dynamic: false });
  }
  for (const m of code.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push({ file, spec: m[1]!, typeOnly: false, dynamic: false });
  // `typeof import('x')` names a type: erased like `import type`.
  for (const m of code.matchAll(/(\btypeof\s+)?\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ file, spec: m[2]!, typeOnly: Boolean(m[1]), dynamic: true });
  return found;
}
