/**
 * Output of `vela workflow status|resume|terminate|restart`: the run's phase
 * and one row per step (sub-steps indented) with its targets' results.
 */
import type { TargetPlan, WorkflowDeliverResult } from '../pipeline/deliver-workflow.js';
import { formatPlan } from './cluster-format.js';
import type { StepState, WorkflowCommandResult } from '../pipeline/workflow.js';
import { formatTable, type CommandOutput } from './format.js';

const time = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

interface Row {
  readonly step: StepState;
  readonly depth: number;
}

const rowsOf = (steps: readonly StepState[], depth = 0): Row[] => steps.flatMap((step) => [{ step, depth }, ...rowsOf(step.subSteps ?? [], depth + 1)]);

const targetsText = (s: StepState) => (s.results ?? []).map((r) => `${r.cluster}${r.namespace ? `/${r.namespace}` : ''}:${r.ok ? 'ok' : 'failed'}`).join(',');

/** The header line, then STEP | TYPE | PHASE | REASON | TARGETS | MESSAGE. */
export function formatWorkflowStatus(r: WorkflowCommandResult, opts: { color?: boolean } = {}): CommandOutput<WorkflowCommandResult> {
  const paint = (code: string, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const colorOf: Record<string, string> = { succeeded: '32', failed: '31', running: '33', skipped: '2', pending: '2' };
  const s = r.state;
  const head = `workflow of ${r.app} in namespace ${r.namespace}: ${s.phase}${s.suspended ? ' (waiting: `vela workflow resume ' + r.app + '`)' : ''}, started ${time(s.startTime)}${s.endTime !== undefined ? `, ended ${time(s.endTime)}` : ''}${s.message ? ` — ${s.message}` : ''}\n\n`;
  const table = formatTable(
    rowsOf(s.steps),
    [
      { header: 'STEP', get: (x) => `${'  '.repeat(x.depth)}${x.step.name}` },
      { header: 'TYPE', get: (x) => x.step.type },
      { header: 'PHASE', get: (x) => paint(colorOf[x.step.phase] ?? '0', x.step.phase) },
      { header: 'REASON', get: (x) => x.step.reason ?? '' },
      { header: 'TARGETS', get: (x) => targetsText(x.step) },
      { header: 'MESSAGE', get: (x) => x.step.message ?? '' },
    ],
    { color: opts.color },
  );
  return { stdout: head + table, json: r };
}

export function formatWorkflowChanged(verb: 'resumed' | 'terminated' | 'restarted', r: WorkflowCommandResult): CommandOutput<WorkflowCommandResult> {
  const next =
    verb === 'restarted'
      ? 'a waiting `vela up` starts it over; otherwise the next `vela up` runs it from the start'
      : verb === 'terminated'
        ? `the workflow is ${r.state.phase === 'terminated' ? 'terminated' : 'terminating: the running step finishes, the rest are skipped'}`
        : r.state.suspended
          ? 'other steps still wait'
          : 'a waiting `vela up` goes on; otherwise the next `vela up` continues from here';
  return { stderr: `${verb} the workflow of ${r.app} (namespace ${r.namespace}): ${next}\n`, json: r };
}

/**
 * The summary of `vela up` with a workflow (stderr): the run's phase, then
 * every step with every cluster it delivered to and how that went.
 */
export function formatWorkflowDelivery(r: WorkflowDeliverResult): CommandOutput<WorkflowDeliverResult> {
  const lines = [`app ${r.app}: workflow ${r.phase}${r.phase === 'suspending' ? ` (waiting: \`vela workflow resume ${r.app}\`, then the waiting or next \`vela up\` goes on)` : ''}`];
  for (const { step, depth } of rowsOf(r.steps)) {
    const pad = '  '.repeat(depth + 1);
    lines.push(`${pad}${step.name} (${step.type}): ${step.phase}${step.reason && step.phase !== 'failed' ? ` (${step.reason})` : ''}`);
    for (const t of r.targets.filter((x) => x.step === step.name)) {
      lines.push(`${pad}  cluster ${t.cluster}${t.namespace ? `, namespace ${t.namespace}` : ''}: ${t.ok ? 'ok' : 'FAILED'}${t.message ? ` — ${t.message}` : t.summary ? ` — ${t.summary.created} created, ${t.summary.updated} updated, ${t.summary.unchanged} unchanged, ${t.summary.pruned} pruned${t.writes === 0 ? ' (no writes)' : ''}` : t.work ? ` — ManifestWork ${t.work}` : ''}`);
    }
    if (step.phase === 'failed' && step.message && !r.targets.some((x) => x.step === step.name)) lines.push(`${pad}  ${step.message}`);
  }
  return { stderr: lines.join('\n') + '\n', json: r };
}

/** `vela up --plan` with a workflow: each step's clusters, each with its plan or why it has none. */
export function formatWorkflowPlan(r: { app: string; targets: readonly TargetPlan[] }, opts: { color?: boolean } = {}): CommandOutput<{ app: string; targets: readonly TargetPlan[] }> {
  const parts = r.targets.map((t) => `step ${t.step}, cluster ${t.cluster}: ${t.plan ? formatPlan(t.plan, opts) : `not planned: ${t.message ?? 'unknown'}\n`}`);
  return { stdout: parts.join('\n'), json: r };
}
