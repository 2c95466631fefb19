/**
 * Definitions' own health policies (CUE), evaluated in pipeline and handed to
 * deploy as a DefinitionHealth: against the live objects, and through deploy's
 * checkService.
 */
import { describe, expect, it } from 'vitest';
import { cuePolicyEvaluator, definitionHealth, evaluatePolicies, policySource } from '../../src/pipeline/health.js';

describe('definition health policies', () => {
  it('puts the live workload at context.output and the other objects at context.outputs', () => {
    const src = policySource('isHealth: true', { kind: 'Deployment' }, { service: { kind: 'Service' } });
    expect(src).toBe('context: output: {"kind":"Deployment"}\ncontext: outputs: {"service":{"kind":"Service"}}\nisHealth: true');
  });

  it('evaluates healthPolicy and customStatus with the CUE engine', async () => {
    const status = {
      healthPolicy: `ready: {
  readyReplicas: *0 | int
} & {
  if context.output.status.readyReplicas != _|_ {
    readyReplicas: context.output.status.readyReplicas
  }
}
isHealth: context.output.spec.replicas == ready.readyReplicas`,
      customStatus: 'message: "Ready:\\(context.output.status.readyReplicas)/\\(context.output.spec.replicas)"',
    };
    const ready = await evaluatePolicies(status, { kind: 'Deployment', spec: { replicas: 2 }, status: { readyReplicas: 2 } }, {}, cuePolicyEvaluator);
    expect(ready).toEqual({ health: { healthy: true }, message: 'Ready:2/2' });
    const notYet = await evaluatePolicies(status, { kind: 'Deployment', spec: { replicas: 2 }, status: {} }, {}, cuePolicyEvaluator);
    expect(notYet.health).toEqual({ healthy: false, reason: 'health policy says not healthy (isHealth: false)' });
  });
});

describe('definitionHealth (what pipeline hands to deploy)', () => {
  it('passes the service policies and its live objects to the evaluator, and asks nothing of a service without policies', async () => {
    const calls: Array<{ source: string; expression: string }> = [];
    const judge = definitionHealth(async (source, expression) => {
      calls.push({ source, expression });
      return { ok: true, value: expression === 'isHealth' ? false : 'two of three' };
    });
    expect(await judge({ name: 'plain', type: 'worker' }, { outputs: {} })).toEqual({});
    expect(calls).toEqual([]);

    const verdict = await judge(
      { name: 'web', type: 'webservice', status: { healthPolicy: 'isHealth: false', customStatus: 'message: "two of three"' } },
      { output: { kind: 'Deployment', metadata: { name: 'web' } }, outputs: { service: { kind: 'Service' } } },
    );
    expect(verdict).toEqual({ health: { healthy: false, reason: 'health policy says not healthy (isHealth: false)' }, message: 'two of three' });
    expect(calls.map((c) => c.expression)).toEqual(['isHealth', 'message']);
    expect(calls[0]!.source).toBe('context: output: {"kind":"Deployment","metadata":{"name":"web"}}\ncontext: outputs: {"service":{"kind":"Service"}}\nisHealth: false');
  });
});
