/**
 * Day-2 views of deployed apps, read from the cluster alone (the applyset
 * parent keeps the service list and health policies): `vela status` and
 * `vela ls`.
 */
import type { Manifest, RenderedService } from '../render/types.js';
import { DiagnosticError, error } from '../source/index.js';
import { ApplySetAnnotations, ApplySetLabels, PARENT_PREFIX, readParent } from './applyset.js';
import type { KubeClient, KubeObject } from './api/index.js';
import { withClient, type ClusterOptions } from './connect.js';
import type { DefinitionHealth } from './health.js';
import { loadInventory, type Inventory } from './inventory.js';
import { ComponentLabel, TraitTypeLabel, WorkloadTypeLabel } from './labels.js';
import { parseStoredApp, type StoredApp } from './stored-app.js';
import { checkService } from './wait.js';

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

function replicasOf(o: Record<string, any> | undefined): string | undefined {
  if (!o) return undefined;
  const s = o.status ?? {};
  switch (o.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      return `${s.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`;
    case 'DaemonSet':
      return `${s.numberReady ?? 0}/${s.desiredNumberScheduled ?? 0}`;
    case 'Job':
      return `${s.succeeded ?? 0}/${o.spec?.completions ?? 1}`;
    default:
      return undefined;
  }
}

/** Where a service can be reached, from its Services and Ingresses. */
export function endpointsOf(objects: readonly KubeObject[]): string[] {
  // Stable order whatever order the inventory's lists finished in.
  objects = [...objects].sort((a, b) => `${a.kind}/${a.metadata?.name}`.localeCompare(`${b.kind}/${b.metadata?.name}`));
  const out: string[] = [];
  for (const o of objects as Array<Record<string, any>>) {
    if (o.kind === 'Service') {
      const ns = o.metadata?.namespace;
      const lb = (o.status?.loadBalancer?.ingress ?? []) as Array<{ ip?: string; hostname?: string }>;
      for (const p of (o.spec?.ports ?? []) as Array<Record<string, any>>) {
        const proto = p.protocol && p.protocol !== 'TCP' ? `/${p.protocol}` : '';
        out.push(`${o.metadata?.name}.${ns}.svc:${p.port}${proto}`);
        if (p.nodePort && (o.spec?.type === 'NodePort' || o.spec?.type === 'LoadBalancer')) out.push(`<node>:${p.nodePort}${proto}`);
        for (const i of lb) out.push(`${i.ip ?? i.hostname}:${p.port}${proto}`);
      }
    } else if (o.kind === 'Ingress') {
      const tlsHosts = new Set(((o.spec?.tls ?? []) as Array<{ hosts?: string[] }>).flatMap((t) => t.hosts ?? []));
      for (const r of (o.spec?.rules ?? []) as Array<Record<string, any>>) {
        const host = r.host ?? '*';
        const scheme = tlsHosts.has(host) ? 'https' : 'http';
        const paths = ((r.http?.paths ?? []) as Array<{ path?: string }>).map((p) => p.path ?? '/');
        for (const p of paths.length ? paths : ['/']) out.push(`${scheme}://${host}${p}`);
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
    for (const o of inv.members.values()) {
      const svc = o.metadata?.labels?.[ComponentLabel] ?? '';
      (byService.get(svc) ?? byService.set(svc, []).get(svc)!).push(o);
    }
    const services: StoredApp['services'] = stored.services.length ? stored.services : [...byService.keys()].filter(Boolean).map((name) => ({ name, type: '', dependsOn: [] as string[] }));
    const out: ServiceStatus[] = [];
    for (const s of services) {
      const objects = byService.get(s.name) ?? [];
      const rendered: RenderedService = { name: s.name, type: s.type, dependsOn: s.dependsOn, status: { healthPolicy: s.healthPolicy, customStatus: s.customStatus } };
      const h = await checkService(client, rendered, asManifests(s.name, s.type, objects), namespace, { signal: opts.signal, definitionHealth: opts.definitionHealth });
      const workload = objects.find((o) => o.metadata?.labels?.[WorkloadTypeLabel] && !o.metadata?.labels?.[TraitTypeLabel]) ?? objects.find((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(String(o.kind)));
      out.push({
        name: s.name,
        type: s.type || workload?.metadata?.labels?.[WorkloadTypeLabel] || '',
        healthy: h.healthy && objects.length > 0,
        reasons: objects.length ? h.reasons : ['no objects in the cluster'],
        replicas: replicasOf(workload as Record<string, any> | undefined),
        endpoints: endpointsOf(objects),
        message: h.message,
        objects: objects.map((o) => ({ kind: String(o.kind), name: String(o.metadata?.name), namespace: o.metadata?.namespace })),
      });
    }
    return { app, namespace, context: client.target.context, services: out };
  });
}

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
    for (const p of parents) {
      const state = readParent(p);
      const name = String(p.metadata?.name ?? '');
      if (!state?.tooling?.startsWith('vela/') || !name.startsWith(PARENT_PREFIX)) continue;
      const services = parseStoredApp(p, name).services?.map((s) => s.name) ?? [];
      out.push({ name: name.slice(PARENT_PREFIX.length), namespace: String(p.metadata?.namespace), services, groupKinds: (p.metadata?.annotations?.[ApplySetAnnotations.groupKinds] ?? '').split(',').filter(Boolean) });
    }
    return out.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  });
}
