/**
 * Defaults filled in before apply. Kubernetes before 1.21 cannot server-side
 * apply a `ports` list whose items omit `protocol` (a key of the list's merge
 * keys, an "associative list ... omits key field
 * protocol" error, HTTP 500), so we write the default (`TCP`) the server would have
 * set anyway. The object is a copy the caller owns.
 */
import type { KubeObject } from '../api/index.js';

type Obj = Record<string, any>;

function fillPorts(ports: unknown): void {
  if (!Array.isArray(ports)) return;
  for (const p of ports as Obj[]) if (p && typeof p === 'object' && p.protocol === undefined) p.protocol = 'TCP';
}

function fillPodSpec(spec: Obj | undefined): void {
  if (!spec) return;
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])] as Obj[]) fillPorts(c?.ports);
}

export function fillApplyDefaults(obj: KubeObject): KubeObject {
  const o = obj as Obj;
  switch (o.kind) {
    case 'Service':
      fillPorts(o.spec?.ports);
      break;
    case 'Pod':
      fillPodSpec(o.spec);
      break;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      fillPodSpec(o.spec?.template?.spec);
      break;
    case 'CronJob':
      fillPodSpec(o.spec?.jobTemplate?.spec?.template?.spec);
      break;
  }
  return obj;
}
