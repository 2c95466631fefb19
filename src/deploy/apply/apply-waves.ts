/**
 * Applying planned waves, one after the other: wait for the services a wave
 * depends on, apply its objects with bounded concurrency, wait for its CRDs to
 * be served. A wave that fails stops the run before the next wave starts, with
 * every failure of that wave reported at its Appfile line.
 */
import type { Manifest, RenderedApp } from '../../render/index.js';
import { DiagnosticError, type Diagnostic } from '../../source/index.js';
import { settleLimit, type Reporter } from '../../host/index.js';
import { describeRef, refOf, type KubeClient, type KubeObject, type ObjectRef } from '../api/index.js';
import { objectFailure } from '../errors.js';
import type { DefinitionHealth } from '../health.js';
import { objectKey, type Inventory } from '../inventory.js';
import { waitForServices } from '../wait.js';
import { applyObject, prepareObject, type WriteOutcome } from './apply-object.js';
import type { Wave } from './plan-waves.js';
import type { CheckedObject } from './preflight.js';

export interface WaveOptions {
  readonly reporter: Reporter;
  readonly force?: boolean;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** For dependsOn waits. */
  readonly timeoutMs: number;
  readonly pollIntervalMs?: number;
  readonly definitionHealth?: DefinitionHealth;
  readonly signal?: AbortSignal;
}

export interface WaveOutcome {
  readonly ref: ObjectRef;
  readonly service?: string;
  /** `adopted`: a foreign object taken over on purpose, now written as vela's. */
  readonly action: WriteOutcome | 'adopted';
}

/** How long a CRD may take to be served before its custom resources are applied. */
const ESTABLISH_TIMEOUT_MS = 60_000;

/**
 * Apply every wave; the outcomes in wave and manifest order, and the objects
 * as sent (what prune keeps). `checked` is what the checks before the first
 * write found per manifest: trusted until the first wait (after one, objects
 * are looked at again before they are written).
 */
export async function applyWaves(client: KubeClient, app: RenderedApp, inv: Inventory, waves: readonly Wave[], checked: ReadonlyMap<Manifest, CheckedObject>, opts: WaveOptions): Promise<{ outcomes: WaveOutcome[]; sent: KubeObject[] }> {
  const outcomes: WaveOutcome[] = [];
  const sent: KubeObject[] = [];
  let fresh = true;
  for (const wave of waves) {
    if (wave.waitFor.length) {
      fresh = false;
      await waitForServices(client, app, wave.waitFor, {
        timeoutMs: opts.timeoutMs,
        pollIntervalMs: opts.pollIntervalMs,
        signal: opts.signal,
        reporter: opts.reporter,
        definitionHealth: opts.definitionHealth,
        purpose: wave.waitPurpose,
      });
    }
    const applied = await applyWave(client, app.namespace, inv, wave, checked, fresh, opts);
    outcomes.push(...applied.map((a) => a.outcome));
    sent.push(...applied.map((a) => a.sent));
    if (wave.establish) {
      for (const m of wave.manifests) if (m.object.kind === 'CustomResourceDefinition') await waitEstablished(client, m.object as KubeObject, opts.signal);
    }
  }
  return { outcomes, sent };
}

async function applyWave(client: KubeClient, namespace: string, inv: Inventory, wave: Wave, checked: ReadonlyMap<Manifest, CheckedObject>, fresh: boolean, opts: WaveOptions): Promise<Array<{ outcome: WaveOutcome; sent: KubeObject }>> {
  const { manifests } = wave;
  if (!manifests.length) return [];
  const task = opts.reporter.task(wave.title, `applying ${manifests.length} object${manifests.length === 1 ? '' : 's'}`);
  const settled = await settleLimit(
    manifests,
    opts.concurrency,
    async (manifest) => {
      const check = checked.get(manifest);
      // An object whose kind this run defined is prepared again: discovery now knows its scope.
      const obj = check && check.pending !== 'kind' ? check.object : await prepareObject(client, manifest, namespace, inv.id);
      const known = fresh && check && !check.pending ? { unchanged: check.unchanged } : undefined;
      const written = await applyObject(client, obj, check?.live ?? inv.members.get(objectKey(obj)), { force: opts.force, signal: opts.signal, known });
      const action: WaveOutcome['action'] = check?.standing === 'adopt' && written !== 'unchanged' ? 'adopted' : written;
      if (action !== 'unchanged') task.update(`${action} ${describeRef(refOf(obj))}`);
      return { outcome: { ref: refOf(obj), service: manifest.origin.service, action }, sent: obj };
    },
    opts.signal,
  );
  const failures: Diagnostic[] = [];
  let environment: Error | undefined;
  settled.forEach((result, index) => {
    if (result.ok) return;
    const manifest: Manifest = manifests[index]!;
    const failure = objectFailure(result.error, refOf(manifest.object as KubeObject), manifest.origin);
    failures.push(...failure.diagnostics);
    environment ??= failure.environment;
  });
  if (environment || failures.length) {
    const count = failures.length || 1;
    task.fail(`${count} object${count === 1 ? '' : 's'} failed`);
    if (environment) throw environment;
    throw new DiagnosticError(failures);
  }
  // Results in manifest order, whatever order the requests finished in.
  const applied = settled.flatMap((result) => (result.ok ? [result.value] : []));
  const changed = applied.filter((a) => a.outcome.action !== 'unchanged').length;
  task.succeed(changed ? `${changed} of ${manifests.length} objects changed` : 'unchanged');
  return applied;
}

async function waitEstablished(client: KubeClient, crd: KubeObject, signal?: AbortSignal): Promise<void> {
  const ref = refOf(crd);
  const established = (live: KubeObject | undefined) => ((live?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
  if (await client.waitFor(ref, established, { timeoutMs: ESTABLISH_TIMEOUT_MS, intervalMs: 200, signal })) return;
  throw new Error(`CustomResourceDefinition ${ref.name} is not established after ${Math.round(ESTABLISH_TIMEOUT_MS / 1000)}s`);
}
