/**
 * A step's `if`, as KubeVela's workflow reads it: `always`, or a CUE
 * expression over `status`, which maps each step name to its state — `phase`,
 * `reason`, `message`, and the shorthands `succeeded`, `failed`, `skipped`,
 * `timeout` and `terminate` (e.g. `status.deploy.failed`,
 * `status["deploy-prod"].phase == "succeeded"`). Evaluated with vela's CUE
 * engine; anything but `true` or `false` is an error.
 */
import { exportFiles, type JsonValue } from '../cue/index.js';
import type { Diagnostic } from '../source/index.js';

export interface StepStatusView {
  readonly phase: string;
  readonly reason?: string;
  readonly message?: string;
}

export type IfResult = { readonly ok: true; readonly value: boolean } | { readonly ok: false; readonly message: string; readonly diagnostics: readonly Diagnostic[] };

export function evaluateIf(expression: string, steps: Readonly<Record<string, StepStatusView>>): IfResult {
  const status: Record<string, JsonValue> = {};
  for (const [name, s] of Object.entries(steps)) {
    status[name] = {
      phase: s.phase,
      reason: s.reason ?? '',
      message: s.message ?? '',
      succeeded: s.phase === 'succeeded',
      failed: s.phase === 'failed',
      skipped: s.phase === 'skipped',
      timeout: s.reason === 'Timeout',
      terminate: s.reason === 'Terminate',
    };
  }
  // One line, parenthesised: the expression stays one value (CUE ends a field at a newline), and cannot add fields.
  const r = exportFiles([{ name: 'if', text: `status: ${JSON.stringify(status)}\nresult: (${expression.replace(/\s*\n\s*/g, ' ')})\n` }], { expression: 'result' });
  if (!r.ok) return { ok: false, message: r.diagnostics.map((d) => d.message).join('; '), diagnostics: r.diagnostics };
  if (typeof r.value !== 'boolean') return { ok: false, message: `the expression gives ${JSON.stringify(r.value)}, not true or false`, diagnostics: [] };
  return { ok: true, value: r.value };
}
