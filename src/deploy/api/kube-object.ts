/**
 * Kubernetes objects as plain JSON, and their identities. Nothing here drops
 * fields it does not know: an object goes to the server as the renderer made it.
 */

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
};

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export function refOf(obj: KubeObject): ObjectRef {
  return {
    apiVersion: String(obj.apiVersion ?? 'v1'),
    kind: String(obj.kind ?? ''),
    name: String(obj.metadata?.name ?? ''),
    namespace: obj.metadata?.namespace,
  };
}

/** `Kind name` or `Kind namespace/name` for messages. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}

/** The URL path of a group version: `/api/v1` for the core group, `/apis/GROUP/VERSION` otherwise. */
export function apiPathOf(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
