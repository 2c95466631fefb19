/**
 * Delivery to a cluster managed by Open Cluster Management goes through its
 * hub: the manifests of the app for that cluster are wrapped in one
 * ManifestWork (`work.open-cluster-management.io/v1`) in the cluster's
 * namespace on the hub (named after the cluster); the cluster's work agent
 * applies them and reports back through the ManifestWork's conditions:
 *   Applied   — the agent applied every manifest;
 *   Available — every resource exists on the managed cluster;
 *   Degraded  — something is wrong (its message says what).
 * A condition counts only once it describes the current spec
 * (`observedGeneration` ≥ `metadata.generation`). Pure: the client is
 * ocm-client.ts.
 */
import type { KubeObject } from '../../api/index.js';

export const MANIFEST_WORK = { apiVersion: 'work.open-cluster-management.io/v1', kind: 'ManifestWork' } as const;

export interface ManifestWorkRequest {
  /** The managed cluster: the ManifestWork's namespace on the hub. */
  readonly cluster: string;
  readonly app: string;
  /** The namespace the app's namespaced objects go to on the managed cluster. */
  readonly namespace: string;
  /** The app's objects for that cluster, in apply order. */
  readonly manifests: readonly Record<string, unknown>[];
}

/** One ManifestWork per app and target namespace: `<app>.<namespace>` cannot collide between two apps. */
export function manifestWorkName(app: string, namespace: string): string {
  return `${app}.${namespace}`;
}

export function buildManifestWork(req: ManifestWorkRequest): KubeObject {
  return {
    ...MANIFEST_WORK,
    metadata: {
      name: manifestWorkName(req.app, req.namespace),
      namespace: req.cluster,
      labels: { 'app.oam.dev/name': req.app, 'app.kubernetes.io/managed-by': 'vela', 'vela.dev/target-namespace': req.namespace },
    },
    spec: {
      workload: { manifests: req.manifests.map((m) => structuredClone(m)) },
      // Objects that leave the app leave the cluster: the agent deletes what a new spec no longer lists.
      deleteOption: { propagationPolicy: 'Foreground' },
    },
  } as KubeObject;
}

export type WorkPhase = 'pending' | 'applied' | 'available' | 'degraded';

export interface WorkStatus {
  readonly phase: WorkPhase;
  readonly applied?: boolean;
  readonly available?: boolean;
  readonly degraded: boolean;
  /** The most telling condition message. */
  readonly message?: string;
  /** Per manifest, as the agent reports it (`status.resourceStatus.manifests`). */
  readonly resources: readonly { readonly kind: string; readonly name: string; readonly namespace?: string; readonly applied?: boolean; readonly available?: boolean }[];
}

interface Condition {
  type?: string;
  status?: string;
  message?: string;
  reason?: string;
  observedGeneration?: number;
}

/** What the ManifestWork's conditions say about the current spec. */
export function manifestWorkStatus(work: KubeObject): WorkStatus {
  const w = work as KubeObject & {
    status?: {
      conditions?: Condition[];
      resourceStatus?: { manifests?: { resourceMeta?: { kind?: string; name?: string; namespace?: string }; conditions?: Condition[] }[] };
    };
  };
  const generation = typeof w.metadata?.generation === 'number' ? w.metadata.generation : undefined;
  const current = (c: Condition | undefined) => c && (generation === undefined || c.observedGeneration === undefined || c.observedGeneration >= generation) ? c : undefined;
  const cond = (type: string) => current(w.status?.conditions?.find((c) => c.type === type));
  const truth = (c: Condition | undefined) => (c ? c.status === 'True' : undefined);
  const applied = cond('Applied');
  const available = cond('Available');
  const degraded = cond('Degraded');
  const isDegraded = degraded?.status === 'True' || applied?.status === 'False';
  const phase: WorkPhase = isDegraded ? 'degraded' : available?.status === 'True' ? 'available' : applied?.status === 'True' ? 'applied' : 'pending';
  const message = (isDegraded ? (degraded?.status === 'True' ? degraded : applied) : phase === 'applied' ? available : phase === 'pending' ? applied : undefined)?.message;
  const resources = (w.status?.resourceStatus?.manifests ?? []).map((m) => {
    const byType = (t: string) => truth(m.conditions?.find((c) => c.type === t));
    const appliedOne = byType('Applied');
    const availableOne = byType('Available');
    return {
      kind: m.resourceMeta?.kind ?? '',
      name: m.resourceMeta?.name ?? '',
      ...(m.resourceMeta?.namespace ? { namespace: m.resourceMeta.namespace } : {}),
      ...(appliedOne !== undefined ? { applied: appliedOne } : {}),
      ...(availableOne !== undefined ? { available: availableOne } : {}),
    };
  });
  return {
    phase,
    ...(truth(applied) !== undefined ? { applied: truth(applied)! } : {}),
    ...(truth(available) !== undefined ? { available: truth(available)! } : {}),
    degraded: isDegraded,
    ...(message ? { message } : {}),
    resources,
  };
}
