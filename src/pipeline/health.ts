/**
 * Definitions' own health policies, judged against live objects: a
 * component's `healthPolicy` (an `isHealth` expression) and `customStatus` (a
 * `message`) are CUE, evaluated here with `context.output` (the live workload)
 * and `context.outputs` (the service's other live objects) filled in. deploy
 * receives the result as a DefinitionHealth function and never sees CUE.
 */
import type { DefinitionHealth, DefinitionVerdict, KubeObject } from '../deploy/index.js';

/** Evaluates CUE source and exports one expression. */
export type PolicyEvaluator = (source: string, expression: string) => Promise<{ ok: true; value: unknown } | { ok: false; error: string }>;

let cueModule: Promise<typeof import('../cue/index.js')> | undefined;

/** vela's CUE engine, loaded on first use (it is heavy, and most `vela status` calls never need it). */
export const cuePolicyEvaluator: PolicyEvaluator = async (source, expression) => {
  cueModule ??= import('../cue/index.js');
  const cue = await cueModule;
  const result = cue.exportFiles([{ name: 'health.cue', text: source }], { expression });
  return result.ok ? { ok: true, value: result.value } : { ok: false, error: result.diagnostics.map((d) => d.message).join('; ') };
};

/** The CUE source a policy is evaluated in: `context.output` (the workload) and `context.outputs` (the other objects), live. */
export function policySource(policy: string, output: KubeObject | undefined, outputs: Readonly<Record<string, KubeObject>>): string {
  const lines = [`context: output: ${JSON.stringify(output ?? {})}`];
  lines.push(`context: outputs: ${JSON.stringify(outputs)}`);
  lines.push(policy);
  return lines.join('\n');
}

/** Evaluate a definition's `healthPolicy` (`isHealth`) and `customStatus` (`message`). */
export async function evaluatePolicies(
  status: { healthPolicy?: string; customStatus?: string } | undefined,
  output: KubeObject | undefined,
  outputs: Readonly<Record<string, KubeObject>>,
  evaluate: PolicyEvaluator,
): Promise<DefinitionVerdict> {
  const verdict: { -readonly [K in keyof DefinitionVerdict]: DefinitionVerdict[K] } = {};
  if (status?.healthPolicy?.trim()) {
    const result = await evaluate(policySource(status.healthPolicy, output, outputs), 'isHealth');
    if (!result.ok) verdict.health = { healthy: false, reason: `health policy not satisfied: ${result.error}` };
    else if (result.value === true) verdict.health = { healthy: true };
    else verdict.health = { healthy: false, reason: result.value === false ? 'health policy says not healthy (isHealth: false)' : `health policy gave ${JSON.stringify(result.value)}` };
  }
  if (status?.customStatus?.trim()) {
    const result = await evaluate(policySource(status.customStatus, output, outputs), 'message');
    if (result.ok && typeof result.value === 'string') verdict.message = result.value;
  }
  return verdict;
}

/** The DefinitionHealth that deploy's waits and `vela status` use: the definitions' CUE policies, by vela's CUE engine. */
export function definitionHealth(evaluate: PolicyEvaluator = cuePolicyEvaluator): DefinitionHealth {
  return (service, live) => evaluatePolicies(service.status, live.output, live.outputs, evaluate);
}
