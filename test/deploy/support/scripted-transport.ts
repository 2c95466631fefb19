/**
 * A Transport that answers from a script instead of a server: for unit tests
 * of the layers above the door (requester, retry policy, discovery, object
 * API). Protocol behaviour is tested against the fake and the real API server.
 */
import type { ClusterTarget, Transport } from '../../../src/deploy/index.js';

export interface ScriptedRequest {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
}

/** One answer: a JSON body (status 200), or a full response, or a socket error to throw. */
export type ScriptedAnswer = { status: number; body?: unknown; retryAfter?: number } | { error: string } | { json: unknown };

/**
 * `script` maps `METHOD path` (path without the query) to an answer, or to a
 * list of answers used one per request (the last one repeats). Unknown
 * requests answer 404.
 */
export function scriptedTransport(script: Record<string, ScriptedAnswer | ScriptedAnswer[]>): Transport & { readonly sent: ScriptedRequest[]; count(key: string): number } {
  const sent: ScriptedRequest[] = [];
  const used = new Map<string, number>();
  return {
    sent,
    count: (key) => sent.filter((r) => `${r.method} ${r.path.split('?')[0]}` === key).length,
    async send(request) {
      sent.push({ method: request.method, path: request.path, body: request.body });
      const key = `${request.method} ${request.path.split('?')[0]}`;
      const entry = script[key];
      if (entry === undefined) return { status: 404, text: JSON.stringify({ kind: 'Status', reason: 'NotFound', message: `${key} not found` }) };
      const list = Array.isArray(entry) ? entry : [entry];
      const index = used.get(key) ?? 0;
      used.set(key, index + 1);
      const answer = list[Math.min(index, list.length - 1)]!;
      if ('error' in answer) throw Object.assign(new Error(answer.error), { code: answer.error });
      if ('json' in answer) return { status: 200, text: JSON.stringify(answer.json) };
      return { status: answer.status, text: answer.body === undefined ? '' : JSON.stringify(answer.body), retryAfter: answer.retryAfter };
    },
    close() {},
  };
}

/** A target for a client whose transport is scripted (no kubeconfig is read or used). */
export function scriptedTarget(server: string, context = 'scripted'): ClusterTarget {
  return { kubeConfig: undefined as unknown as ClusterTarget['kubeConfig'], context, server, namespace: 'default', files: [] };
}

/** A discovery document of one group version. */
export function resourceList(groupVersion: string, resources: ReadonlyArray<{ kind: string; name: string; namespaced?: boolean }>): ScriptedAnswer {
  return { json: { kind: 'APIResourceList', groupVersion, resources: resources.map((r) => ({ name: r.name, kind: r.kind, namespaced: r.namespaced ?? true, verbs: ['get', 'list', 'patch', 'delete'] })) } };
}
