/**
 * An app's `policies` and `workflow`, as both an Appfile (top level) and an
 * Application (`spec`) write them, read together into typed values.
 */
import type { Diagnostic } from '../source/index.js';
import type { Policy, Workflow } from './delivery-model.js';
import type { DocPath } from './model.js';
import { readPolicies } from './read-policies.js';
import { readWorkflow } from './read-workflow.js';
import type { LEntry } from './yaml-tree.js';

export interface Delivery {
  readonly policies: readonly Policy[];
  readonly workflow?: Workflow;
}

/** Undefined when neither is written; `base` is where they sit ([] in an Appfile, ['spec'] in an Application). */
export function readDelivery(policies: LEntry | undefined, workflow: LEntry | undefined, base: DocPath, diags: Diagnostic[]): Delivery | undefined {
  if (!policies && !workflow) return undefined;
  const flow = workflow ? readWorkflow(workflow, [...base, 'workflow'], diags) : undefined;
  return { policies: policies ? readPolicies(policies, [...base, 'policies'], diags) : [], ...(flow ? { workflow: flow } : {}) };
}
