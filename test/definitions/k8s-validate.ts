/**
 * Checks an object against the Kubernetes OpenAPI schema of its apiVersion and
 * kind, using kubernetes-models (test-only). Returns the problems, or [] when valid.
 */
import type { JsonObject } from './harness.js';

type ModelClass = new (data: unknown) => { validate(): void };

function modulePath(apiVersion: string, kind: string): string {
  // Core objects live under kubernetes-models/v1; others under <group>/<version>.
  return `kubernetes-models/${apiVersion}/${kind}`;
}

export async function validateObject(obj: JsonObject): Promise<string[]> {
  const apiVersion = obj['apiVersion'];
  const kind = obj['kind'];
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['missing apiVersion or kind'];
  let mod: Record<string, unknown>;
  try {
    mod = (await import(modulePath(apiVersion, kind))) as Record<string, unknown>;
  } catch {
    return [`no schema for ${apiVersion} ${kind}`];
  }
  const Model = mod[kind] as ModelClass | undefined;
  if (!Model) return [`no model class ${kind} in ${modulePath(apiVersion, kind)}`];
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)];
  }
}
