/**
 * Open Cluster Management's ManagedCluster (`cluster.open-cluster-management.io/v1`,
 * cluster-scoped, one per cluster the hub manages) read into what vela shows
 * and selects by: the name, the labels, the API server the agent reported
 * (`spec.managedClusterClientConfigs[0].url`), whether the hub sees the
 * cluster (condition `ManagedClusterConditionAvailable`) and its Kubernetes
 * version (`status.version.kubernetes`). Pure.
 */
import type { KubeObject } from '../../api/index.js';

export const MANAGED_CLUSTER = { apiVersion: 'cluster.open-cluster-management.io/v1', kind: 'ManagedCluster' } as const;

export interface ManagedClusterInfo {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly server?: string;
  /** The hub's view: the cluster's agent reports in (Available=True). */
  readonly available: boolean;
  readonly version?: string;
  /** Why not available, when the hub says. */
  readonly message?: string;
  /** The hub accepted the cluster (`spec.hubAcceptsClient`). */
  readonly accepted: boolean;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

export function readManagedCluster(obj: KubeObject): ManagedClusterInfo {
  const o = obj as KubeObject & {
    spec?: { hubAcceptsClient?: boolean; managedClusterClientConfigs?: { url?: string }[] };
    status?: { conditions?: Condition[]; version?: { kubernetes?: string } };
  };
  const available = o.status?.conditions?.find((c) => c.type === 'ManagedClusterConditionAvailable');
  const server = o.spec?.managedClusterClientConfigs?.find((c) => c.url)?.url;
  const version = o.status?.version?.kubernetes;
  const message = available?.status === 'True' ? undefined : (available?.message ?? (available ? available.reason : 'the hub has no availability condition for it yet'));
  return {
    name: String(o.metadata?.name ?? ''),
    labels: { ...((o.metadata?.labels as Record<string, string> | undefined) ?? {}) },
    ...(server ? { server } : {}),
    available: available?.status === 'True',
    ...(version ? { version } : {}),
    ...(message ? { message } : {}),
    accepted: o.spec?.hubAcceptsClient === true,
  };
}
