/**
 * CustomResourceDefinitions of our own (test/fixtures/crds) installed into a
 * test apiserver: applied, then waited for until Established (the API serves
 * the kind from then on). The ones this call created go into `created` as
 * they are created (so a suite deletes only those again, even when a wait
 * then fails).
 */
import type { KubeClient, KubeObject } from '../../src/deploy/index.js';

export function isEstablished(crd: KubeObject | undefined): boolean {
  return ((crd?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

export async function installCrds(
  client: KubeClient,
  crds: readonly KubeObject[],
  opts: { fieldManager?: string; timeoutMs?: number; intervalMs?: number; created?: KubeObject[] } = {},
): Promise<void> {
  for (const crd of crds) {
    const r = await client.applyFull(crd, opts.fieldManager ? { fieldManager: opts.fieldManager } : {});
    if (r.created) opts.created?.push(crd);
  }
  for (const crd of crds) {
    const name = String(crd.metadata!.name);
    const ready = await client.waitFor({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name }, isEstablished, { timeoutMs: opts.timeoutMs ?? 30_000, intervalMs: opts.intervalMs ?? 200 });
    if (!ready) throw new Error(`CRD ${name} not established`);
  }
}
