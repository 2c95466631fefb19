/**
 * `dependsOn` between the steps of one level (the workflow's steps, or one
 * group's sub-steps): each name must be another step of that level; a cycle
 * is reported once, at the entry that closes it, with the whole loop; in
 * StepByStep mode a step may only wait for steps before it (a later one would
 * never run first: the workflow would wait forever).
 */
import type { Located, StepMode, WorkflowStep } from '../appfile/index.js';
import { didYouMean, error, type Diagnostic } from '../source/index.js';

export function checkStepDependencies(steps: readonly WorkflowStep[], mode: StepMode, where: string, diags: Diagnostic[]): void {
  const index = new Map(steps.map((s, i) => [s.name, i]));
  const names = steps.map((s) => s.name);
  const edges = new Map<string, Located<string>[]>();
  steps.forEach((s, i) => {
    const ok: Located<string>[] = [];
    const seen = new Set<string>();
    for (const d of s.dependsOn) {
      const path = `${where}.${s.name}.dependsOn`;
      const at = index.get(d.value);
      if (d.value === s.name) diags.push(error(`step "${s.name}" cannot depend on itself`, d.span, { path, code: 'workflow/depends-on' }));
      else if (at === undefined) diags.push(error(`unknown step "${d.value}"`, d.span, { path, code: 'workflow/depends-on', hint: didYouMean(d.value, names) ?? `steps here: ${names.join(', ')}` }));
      else if (seen.has(d.value)) diags.push(error(`"${d.value}" is listed twice`, d.span, { path, code: 'workflow/depends-on' }));
      else if (mode === 'StepByStep' && at > i) {
        diags.push(error(`step "${s.name}" depends on "${d.value}", which comes after it`, d.span, { path, code: 'workflow/depends-on', hint: 'steps run in order: move it before, or set `mode: {steps: DAG}` to run by dependencies' }));
      } else ok.push(d);
      seen.add(d.value);
    }
    edges.set(s.name, ok);
  });
  reportCycles(names, edges, where, diags);
}

function reportCycles(names: readonly string[], edges: ReadonlyMap<string, readonly Located<string>[]>, where: string, diags: Diagnostic[]): void {
  const state = new Map<string, 'active' | 'done'>();
  const stack: { name: string; via?: Located<string> }[] = [];
  const visit = (name: string, via?: Located<string>): void => {
    const st = state.get(name);
    if (st === 'done') return;
    if (st === 'active') {
      const from = stack.findIndex((f) => f.name === name);
      const loop = stack.slice(from);
      diags.push(
        error(`dependency cycle: ${[...loop.map((f) => f.name), name].join(' -> ')}`, via!.span, {
          path: `${where}.${stack.at(-1)!.name}.dependsOn`,
          code: 'workflow/depends-on-cycle',
          hint: 'remove one of these dependsOn entries',
          related: loop.slice(1).map((f) => f.via!.span),
        }),
      );
      return;
    }
    state.set(name, 'active');
    stack.push({ name, ...(via ? { via } : {}) });
    for (const d of edges.get(name) ?? []) visit(d.value, d);
    stack.pop();
    state.set(name, 'done');
  };
  for (const n of names) visit(n);
}
