/**
 * What the dashboard shows of a deployed app beyond `vela status`: the images
 * each service runs and the recent events of the app's objects (both read
 * from the cluster, from the app's inventory). Events carry messages written
 * by controllers, never object contents, so nothing secret leaves here.
 */
import { appStatus, withClient, type ClusterOptions } from '../deploy/index.js';
import { definitionHealth } from './health.js';

export interface AppEvent {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly object: string;
  readonly count: number;
  /** ISO time of the last occurrence, when the event says. */
  readonly lastSeen?: string;
}

export interface AppDetail {
  /** Per service, the images of its workloads' containers (init containers included), in order, without duplicates. */
  readonly images: Readonly<Record<string, readonly string[]>>;
  /** The newest first, at most `limit`. */
  readonly events: readonly AppEvent[];
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'Pod']);

function podSpecOf(obj: Record<string, any>): Record<string, any> | undefined {
  if (obj.kind === 'Pod') return obj.spec;
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template?.spec;
  return obj.spec?.template?.spec;
}

/** Images and events of `app` in the namespace of `cluster`; `limit` events at most (default 50). */
export async function appDetail(app: string, cluster: ClusterOptions, limit = 50): Promise<AppDetail> {
  return withClient(cluster, async (client) => {
    const status = await appStatus(app, { ...cluster, client, definitionHealth: definitionHealth() });
    const images: Record<string, string[]> = {};
    const names = new Set<string>();
    for (const service of status.services) {
      const list: string[] = [];
      for (const obj of service.objects) {
        names.add(`${obj.kind}/${obj.name}`);
        if (!WORKLOAD_KINDS.has(obj.kind)) continue;
        const apiVersion = obj.kind === 'Pod' ? 'v1' : obj.kind === 'Job' ? 'batch/v1' : obj.kind === 'CronJob' ? 'batch/v1beta1' : 'apps/v1';
        const live = (await client.get({ apiVersion, kind: obj.kind, name: obj.name, namespace: obj.namespace ?? status.namespace }, cluster.signal)) as Record<string, any> | undefined;
        const spec = live && podSpecOf(live);
        for (const container of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])] as Array<{ image?: string }>) {
          if (container.image && !list.includes(container.image)) list.push(container.image);
        }
      }
      images[service.name] = list;
    }
    const all = (await client.list('v1', 'Event', { namespace: status.namespace, signal: cluster.signal })) as Array<Record<string, any>>;
    const events = all
      .filter((e) => names.has(`${e.involvedObject?.kind}/${e.involvedObject?.name}`))
      .map((e): AppEvent => {
        const lastSeen = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
        return { type: String(e.type ?? 'Normal'), reason: String(e.reason ?? ''), message: String(e.message ?? ''), object: `${e.involvedObject.kind}/${e.involvedObject.name}`, count: Number(e.count ?? 1), ...(lastSeen && { lastSeen: String(lastSeen) }) };
      })
      .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '') || a.object.localeCompare(b.object))
      .slice(0, limit);
    return { images, events };
  });
}
