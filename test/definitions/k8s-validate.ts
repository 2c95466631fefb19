/**
 * Checks an object against the schema of its apiVersion and kind (Kubernetes
 * kinds and other projects' custom resources; see test/support/k8s-validate.ts).
 * Returns the problems, or [] when valid.
 */
import { k8sProblems } from '../support/k8s-validate.js';
import type { JsonObject } from './harness.js';

export function validateObject(obj: JsonObject): Promise<string[]> {
  if (typeof obj['apiVersion'] !== 'string' || typeof obj['kind'] !== 'string') return Promise.resolve(['missing apiVersion or kind']);
  return k8sProblems(obj);
}
