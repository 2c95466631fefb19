/**
 * Waiting until services are healthy: poll each service's live objects,
 * judge them with the built-in rules and the definition's health policy (an
 * injected DefinitionHealth), and
 * when time runs out say why, per service (a pending pod, an image pull error,
 * a crash loop), as a NotHealthyError (exit 3). The run's deadline running out
 * (run-deadline.ts) ends the wait the same way, with what the last look saw.
 */
import type { Manifest, RenderedApp, RenderedService } from '../render/index.js';
import { error, type Diagnostic } from '../source/index.js';
import { NotHealthyError, silentReporter, sleep, type Reporter, type TaskReporter } from '../host/index.js';
import { refOf, describeRef, type KubeClient, type KubeObject } from './api/index.js';
import { builtinHealth, podOwners, podProblem, podSelector, type DefinitionHealth } from './health.js';
import { abortedByDeadline } from './run-deadline.js';

export interface ServiceHealth {
  readonly service: string;
  readonly healthy: boolean;
  /** Why not healthy (one per failing object or pod), or a summary when healthy. */
  readonly reasons: readonly string[];
  /** The definition's `customStatus` message, if it has one. */
  readonly message?: string;
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly pollIntervalMs?: number;
  readonly signal?: AbortSignal;
  readonly reporter?: Reporter;
  /** The definitions' own health policies; without it, only the built-in rules judge. */
  readonly definitionHealth?: DefinitionHealth;
  /** Said in progress lines, e.g. `before web`. */
  readonly purpose?: string;
}

/** The live objects of a service, with the manifests that made them. */
async function liveObjects(client: KubeClient, manifests: readonly Manifest[], namespace: string, signal?: AbortSignal): Promise<Array<{ manifest: Manifest; live?: KubeObject }>> {
  return Promise.all(
    manifests.map(async (manifest) => {
      const ref = refOf(manifest.object as KubeObject);
      const info = await client.discovery.tryResourceFor(ref.apiVersion, ref.kind);
      const live = info ? await client.get({ ...ref, namespace: info.namespaced ? ref.namespace ?? namespace : undefined }, signal) : undefined;
      return { manifest, live };
    }),
  );
}

/** The reasons the pods of a workload are not ready (first few). */
async function podReasons(client: KubeClient, workload: KubeObject, signal?: AbortSignal): Promise<string[]> {
  const selector = podSelector(workload);
  if (!selector) return [];
  const pods = await client.list('v1', 'Pod', { namespace: workload.metadata?.namespace, labelSelector: selector, signal });
  const out: string[] = [];
  for (const pod of pods) {
    const problem = podProblem(pod);
    if (problem) out.push(problem);
  }
  if (pods.length && !out.length) return [];
  if (!pods.length && workload.kind !== 'Job') out.push(`no pods of ${describeRef(refOf(workload))} exist yet`);
  return out.slice(0, 3);
}

/** One look at one service. */
export async function checkService(client: KubeClient, service: RenderedService, manifests: readonly Manifest[], namespace: string, opts: { signal?: AbortSignal; definitionHealth?: DefinitionHealth } = {}): Promise<ServiceHealth> {
  const looks = await liveObjects(client, manifests, namespace, opts.signal);
  const reasons: string[] = [];
  const summary: string[] = [];
  let healthy = true;
  let output: KubeObject | undefined;
  const outputs: Record<string, KubeObject> = {};
  for (const { manifest, live } of looks) {
    const ref = refOf(manifest.object as KubeObject);
    if (!live) {
      healthy = false;
      reasons.push(`${describeRef(ref)} does not exist`);
      continue;
    }
    if (!manifest.origin.trait && manifest.origin.outputName === undefined) output ??= live;
    else if (manifest.origin.outputName) outputs[manifest.origin.outputName] = live;
    const builtin = builtinHealth(live);
    if (!builtin) continue;
    if (builtin.healthy) {
      if (builtin.reason) summary.push(`${ref.kind} ${ref.name}: ${builtin.reason}`);
      continue;
    }
    healthy = false;
    reasons.push(`${describeRef(refOf(live))}: ${builtin.reason}`);
    if (podOwners.has(String(live.kind))) reasons.push(...(await podReasons(client, live, opts.signal)));
  }
  let message: string | undefined;
  if (opts.definitionHealth) {
    const verdict = await opts.definitionHealth(service, { output, outputs });
    message = verdict.message;
    if (verdict.health && !verdict.health.healthy) {
      healthy = false;
      reasons.push(verdict.health.reason ?? 'health policy not satisfied');
    }
  }
  return { service: service.name, healthy, reasons: healthy ? summary : reasons, message };
}

/** Wait for the named services of an app; returns their health, or throws NotHealthyError at the timeout. */
export async function waitForServices(client: KubeClient, app: RenderedApp, names: readonly string[], opts: WaitOptions): Promise<ServiceHealth[]> {
  const reporter = opts.reporter ?? silentReporter;
  const interval = opts.pollIntervalMs ?? 1000;
  const deadline = Date.now() + opts.timeoutMs;
  const services = names.map((name) => app.services.find((service) => service.name === name)).filter((service): service is RenderedService => !!service);
  const tasks = new Map<string, TaskReporter>(services.map((service) => [service.name, reporter.task(service.name, `waiting until healthy${opts.purpose ? ` (${opts.purpose})` : ''}`)]));
  const done = new Map<string, ServiceHealth>();
  let last = new Map<string, ServiceHealth>();
  for (;;) {
    const pending = services.filter((service) => !done.has(service.name));
    let checks: ServiceHealth[];
    try {
      checks = await Promise.all(
        pending.map((service) => checkService(client, service, app.manifests.filter((manifest) => manifest.origin.service === service.name), app.namespace, { signal: opts.signal, definitionHealth: opts.definitionHealth })),
      );
    } catch (err) {
      // The run's time ran out mid-look: what the last look saw is the answer (none at all: the server is the problem).
      if (abortedByDeadline(opts.signal) && last.size) break;
      throw err;
    }
    last = new Map(checks.map((check) => [check.service, check]));
    for (const check of checks) {
      const task = tasks.get(check.service)!;
      if (check.healthy) {
        done.set(check.service, check);
        task.succeed(check.message ?? (check.reasons.join(', ') || 'healthy'));
      } else {
        task.update(check.reasons[0] ?? 'not healthy yet');
      }
    }
    if (done.size === services.length) return services.map((service) => done.get(service.name)!);
    if (Date.now() >= deadline) break;
    try {
      await sleep(Math.min(interval, Math.max(0, deadline - Date.now())), opts.signal);
    } catch (err) {
      if (abortedByDeadline(opts.signal)) break;
      throw err;
    }
  }
  const diagnostics: Diagnostic[] = [];
  for (const service of services) {
    if (done.has(service.name)) continue;
    const health = last.get(service.name);
    tasks.get(service.name)!.fail(health?.reasons[0]);
    diagnostics.push(
      error(`service ${service.name} is not healthy after ${formatDuration(opts.timeoutMs)}: ${(health?.reasons ?? ['unknown']).join('; ')}`, service.span, {
        code: 'deploy/not-healthy',
        hint: 'see `vela status` and `vela logs`; raise --timeout if it is only slow',
      }),
    );
  }
  throw new NotHealthyError(diagnostics, { cause: [...last.values()] });
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s}s` : `${Math.round(s / 60)}m`;
}
