/**
 * One fuzz input through vela as `vela dry-run` runs it (load, resolve,
 * render, check, serialise), in a folder of its own on disk, classified by the
 * exit code the CLI would give: accepted (0), refused with diagnostics (1),
 * or anything else, which is a crash (70) or a wrong exit code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { DiagnosticError, formatDiagnosticLine } from '../../src/source/index.js';
import type { FuzzInput } from './generate.js';

export type Outcome =
  | { readonly kind: 'accepted'; readonly objects: unknown[] }
  | { readonly kind: 'refused'; readonly messages: string[] }
  | { readonly kind: 'crash'; readonly error: string };

/** Words that mean a JavaScript detail leaked into a message instead of the user's words. */
const LEAKS = /\[object Object\]|Maximum call stack|native code|Invalid string length|undefined is not|Cannot read propert/;

export async function runInput(input: FuzzInput, dir: string, opts: { clusterVersion?: { major: number; minor: number; gitVersion: string } } = {}): Promise<Outcome> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, input.file), input.text);
  if (input.definition !== undefined) {
    mkdirSync(join(dir, '.vela', 'definitions'), { recursive: true });
    writeFileSync(join(dir, '.vela', 'definitions', 'fuzzed.cue'), input.definition);
  }
  try {
    const r = await dryRun({ cwd: dir, file: input.file, ...(opts.clusterVersion ? { clusterVersion: opts.clusterVersion } : {}), output: { format: 'yaml' } });
    if (r.output.kind !== 'text') return { kind: 'crash', error: 'dry-run wrote a folder' };
    const objects = r.rendered.manifests.map((m) => m.object);
    // The YAML must read back as the same objects, for YAML 1.2 readers and for kubectl's YAML 1.1.
    for (const version of ['1.1', '1.2'] as const) {
      const back = r.output.text.split(/^---\n/m).map((doc) => parse(doc, { version, merge: version === '1.1' }) as unknown);
      if (JSON.stringify(back) !== JSON.stringify(objects)) return { kind: 'crash', error: `the YAML output reads back differently in YAML ${version}` };
    }
    return { kind: 'accepted', objects };
  } catch (err) {
    if (err instanceof DiagnosticError) {
      const messages = err.diagnostics.map(formatDiagnosticLine);
      if (err.exitCode !== 1) return { kind: 'crash', error: `exit code ${err.exitCode} for ${messages.join('; ')}` };
      const leak = messages.find((m) => LEAKS.test(m));
      if (leak) return { kind: 'crash', error: `a message in JavaScript's words: ${leak}` };
      if (err.diagnostics.length === 0) return { kind: 'crash', error: 'an error without a diagnostic' };
      return { kind: 'refused', messages };
    }
    return { kind: 'crash', error: err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err) };
  }
}
