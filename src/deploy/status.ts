/**
 * Day-2 views of deployed apps, read from the cluster alone (the applyset
 * parent keeps the service list and health policies): `vela status` and
 * `vela ls`.
 */
import type { Manifest, RenderedService } from '../render/index.js';
import { DiagnosticError, error } from '../source/index.js';
import { ApplySetAnnotations, ApplySetLabels, PARENT_PREFIX, readParent } from './applyset.js';
import type { KubeClient, KubeObject } from './api/index.js';
import { withClient, type ClusterOptions } from './connect.js';
import type { DefinitionHealth } from './health.js';
import { loadInventory, type Inventory } from './inventory.js';
import { ComponentLabel, TraitTypeLabel, WorkloadTypeLabel } from './labels.js';
import { parseStoredApp, type StoredApp } from './stored-app.js';
import { checkService } from './wait.js';
import { watchChanges } from './change-feed.js';

export interface ServiceStatus {
  readonly name: string;
  readonly type: string;
  readonly healthy: boolean;
  /** Why not healthy, or a summary. */
  readonly reasons: readonly string[];
  /** `ready/desired` of the workload, when it has replicas. */
  readonly replicas?: string;
  /** From Services (`name.ns.svc:port`, node ports, load balancers) and Ingresses (`http://host/path`). */
  readonly endpoints: readonly string[];
  /** The definition's customStatus message. */
  readonly message?: string;
  readonly objects: ReadonlyArray<{ kind: string; name: string; namespace?: string }>;
}

export interface AppStatus {
  readonly app: string;
  readonly namespace: string;
  readonly context: string;
  readonly services: readonly ServiceStatus[];
}

export interface StatusOptions extends ClusterOptions {
  /** The definitions' own health policies (see health.ts); without it, only the built-in rules judge. */
  readonly definitionHealth?: DefinitionHealth;
}

export function notFound(app: string, namespace: string, context: string): DiagnosticError {
  return new DiagnosticError([
    error(`no app "${app}" in namespace ${namespace} (context "${context}")`, undefined, { code: 'deploy/no-app', hint: 'see `vela ls`, or pass -n/--namespace or --env' }),
  ]);
}

export async function readStoredApp(client: KubeClient, app: string, namespace: string): Promise<{ inv: Inventory; stored: StoredApp }> {
  const inv = await loadInventory(client, app, namespace);
  if (!inv.parent) throw notFound(app, namespace, client.target.context);
  const stored = parseStoredApp(inv.parent, app);
  return { inv, stored };
}

function replicasOf(workload: Record<string, any> | undefined): string | undefined {
  if (!workload) return undefined;
  const status = workload.status ?? {};
  switch (workload.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      return `${status.readyReplicas ?? 0}/${workload.spec?.replicas ?? 1}`;
    case 'DaemonSet':
      return `${status.numberReady ?? 0}/${status.desiredNumberScheduled ?? 0}`;
    case 'Job':
      return `${status.succeeded ?? 0}/${workload.spec?.completions ?? 1}`;
    default:
      return undefined;
  }
}

/** Where a service can be reached, from its Services and Ingresses. */
export function endpointsOf(objects: readonly KubeObject[]): string[] {
  // Stable order whatever order the inventory's lists finished in.
  objects = [...objects].sort((a, b) => `${a.kind}/${a.metadata?.name}`.localeCompare(`${b.kind}/${b.metadata?.name}`));
  const out: string[] = [];
  for (const obj of objects as Array<Record<string, any>>) {
    if (obj.kind === 'Service') {
      const namespace = obj.metadata?.namespace;
      const loadBalancers = (obj.status?.loadBalancer?.ingress ?? []) as Array<{ ip?: string; hostname?: string }>;
      for (const port of (obj.spec?.ports ?? []) as Array<Record<string, any>>) {
        const protocol = port.protocol && port.protocol !== 'TCP' ? `/${port.protocol}` : '';
        out.push(`${obj.metadata?.name}.${namespace}.svc:${port.port}${protocol}`);
        if (port.nodePort && (obj.spec?.type === 'NodePort' || obj.spec?.type === 'LoadBalancer')) out.push(`<node>:${port.nodePort}${protocol}`);
        for (const ingress of loadBalancers) out.push(`${ingress.ip ?? ingress.hostname}:${port.port}${protocol}`);
      }
    } else if (obj.kind === 'Ingress') {
      const tlsHosts = new Set(((obj.spec?.tls ?? []) as Array<{ hosts?: string[] }>).flatMap((tls) => tls.hosts ?? []));
      for (const rule of (obj.spec?.rules ?? []) as Array<Record<string, any>>) {
        const host = rule.host ?? '*';
        const scheme = tlsHosts.has(host) ? 'https' : 'http';
        const paths = ((rule.http?.paths ?? []) as Array<{ path?: string }>).map((entry) => entry.path ?? '/');
        for (const path of paths.length ? paths : ['/']) out.push(`${scheme}://${host}${path}`);
      }
    }
  }
  return out;
}

/** Pseudo-manifests for live objects, so the wait logic can judge them without the Appfile. */
function asManifests(service: string, type: string, objects: readonly KubeObject[]): Manifest[] {
  return objects.map((o) => {
    const labels = o.metadata?.labels ?? {};
    const trait = labels[TraitTypeLabel];
    const isWorkload = !trait && !!labels[WorkloadTypeLabel];
    return { object: o as Manifest['object'], origin: { service, definition: type, trait, outputName: isWorkload ? undefined : String(o.metadata?.name) } };
  });
}

/** `vela status APP`: per service its type, health, replicas and endpoints. */
export async function appStatus(app: string, opts: StatusOptions = {}): Promise<AppStatus> {
  return withClient(opts, async (client) => {
    const namespace = client.target.namespace;
    const { inv, stored } = await readStoredApp(client, app, namespace);
    const byService = new Map<string, KubeObject[]>();
    for (const member of inv.members.values()) {
      const service = member.metadata?.labels?.[ComponentLabel] ?? '';
      (byService.get(service) ?? byService.set(service, []).get(service)!).push(member);
    }
    const services: StoredApp['services'] = stored.services.length ? stored.services : [...byService.keys()].filter(Boolean).map((name) => ({ name, type: '', dependsOn: [] as string[] }));
    const out: ServiceStatus[] = [];
    for (const service of services) {
      const objects = byService.get(service.name) ?? [];
      const rendered: RenderedService = { name: service.name, type: service.type, dependsOn: service.dependsOn, status: { healthPolicy: service.healthPolicy, customStatus: service.customStatus } };
      const health = await checkService(client, rendered, asManifests(service.name, service.type, objects), namespace, { signal: opts.signal, definitionHealth: opts.definitionHealth });
      const workload = objects.find((member) => member.metadata?.labels?.[WorkloadTypeLabel] && !member.metadata?.labels?.[TraitTypeLabel]) ?? objects.find((member) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(String(member.kind)));
      out.push({
        name: service.name,
        type: service.type || workload?.metadata?.labels?.[WorkloadTypeLabel] || '',
        healthy: health.healthy && objects.length > 0,
        reasons: objects.length ? health.reasons : ['no objects in the cluster'],
        replicas: replicasOf(workload as Record<string, any> | undefined),
        endpoints: endpointsOf(objects),
        message: health.message,
        objects: objects.map((member) => ({ kind: String(member.kind), name: String(member.metadata?.name), namespace: member.metadata?.namespace })),
      });
    }
    return { app, namespace, context: client.target.context, services: out };
  });
}

/**
 * `vela status --watch`: the status now, then again each time something of
 * the app's kinds (or its pods) changes in the namespace, until the signal.
 * Changes are watched, not polled (change-feed.ts); a slow safety look covers
 * what no watch shows.
 */
export async function watchAppStatus(app: string, opts: StatusOptions, onStatus: (status: AppStatus) => void): Promise<void> {
  return withClient(opts, async (client) => {
    const feed = watchChanges(client, client.target.namespace, WATCHED_KINDS, opts.signal);
    try {
      for (;;) {
        onStatus(await appStatus(app, { ...opts, client }));
        await feed.next(30_000);
      }
    } catch (err) {
      if ((err as Error).name === 'AbortError' && opts.signal?.aborted) return;
      throw err;
    } finally {
      feed.close();
    }
  });
}

/** What a status is read from: the workloads, their pods, Services, and the inventory (a ConfigMap). */
export const WATCHED_KINDS = [
  { apiVersion: 'v1', kind: 'Pod' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'batch/v1', kind: 'Job' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
];

export interface AppSummary {
  readonly name: string;
  readonly namespace: string;
  readonly services: readonly string[];
  readonly groupKinds: readonly string[];
}

/** `vela ls`: the apps whose applyset parents vela owns, in the namespace (or every namespace). */
export async function listApps(opts: ClusterOptions & { allNamespaces?: boolean } = {}): Promise<AppSummary[]> {
  return withClient(opts, async (client) => {
    const parents = await client.list('v1', 'ConfigMap', { namespace: opts.allNamespaces ? undefined : client.target.namespace, labelSelector: ApplySetLabels.id, signal: opts.signal });
    const out: AppSummary[] = [];
    for (const parent of parents) {
      const state = readParent(parent);
      const name = String(parent.metadata?.name ?? '');
      if (!state?.tooling?.startsWith('vela/') || !name.startsWith(PARENT_PREFIX)) continue;
      const services = parseStoredApp(parent, name).services?.map((s) => s.name) ?? [];
      out.push({ name: name.slice(PARENT_PREFIX.length), namespace: String(parent.metadata?.namespace), services, groupKinds: (parent.metadata?.annotations?.[ApplySetAnnotations.groupKinds] ?? '').split(',').filter(Boolean) });
    }
    return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  });
}
