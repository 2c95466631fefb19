/**
 * Errors from the API server as values: the `Status` object in a failed
 * response's body, parsed into something a user can read (client-node's
 * `ApiException.message` dumps raw headers and body instead), and failures
 * that never got an answer (unreachable, TLS, dropped) named by server and context.
 */
import { EnvironmentError } from '../../host/index.js';

/** Socket errors that mean the server cannot be reached (as opposed to a request that went wrong). */
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET']);

/** `Status.details.causes[]`: the JSON name of the cause type is `reason`. */
export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

/** `Status.details`: which object the answer is about (for a missing namespace: `{kind: 'namespaces', name}`). */
export interface StatusDetails {
  readonly name?: string;
  readonly kind?: string;
  readonly group?: string;
}

/** A non-2xx answer from the API server. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** `Status.reason`: `Conflict`, `Invalid`, `Forbidden`, `NotFound`, ... */
    readonly reason: string,
    message: string,
    readonly causes: readonly StatusCause[] = [],
    /** `METHOD path` of the request, for VELA_DEBUG. */
    readonly request = '',
    /** Seconds from a `Retry-After` header, if any. */
    readonly retryAfter?: number,
    readonly details: StatusDetails = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** A server-side apply conflict: another field manager owns a field we set. */
  get isFieldConflict(): boolean {
    return this.status === 409 && this.causes.some((c) => c.reason === 'FieldManagerConflict');
  }

  /**
   * The namespace that does not exist, when this is the answer to a request
   * in a missing namespace (a 404 about `namespaces`, not about the object).
   */
  get missingNamespace(): string | undefined {
    return this.status === 404 && this.details.kind === 'namespaces' ? this.details.name : undefined;
  }
}

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  details?: StatusDetails & { causes?: StatusCause[] };
}

const reasonOfStatus: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** Parse a failed response's body (a `Status`, or anything else) into an ApiError. */
export function parseStatus(status: number, body: string, request = '', retryAfter?: number): ApiError {
  let parsed: StatusBody | undefined;
  try {
    const value = JSON.parse(body) as unknown;
    if (value && typeof value === 'object') parsed = value as StatusBody;
  } catch {
    parsed = undefined;
  }
  const reason = parsed?.reason || reasonOfStatus[status] || `HTTP${status}`;
  const text = parsed?.message || body.trim().split('\n')[0]?.slice(0, 300) || `HTTP ${status}`;
  const { causes, ...details } = parsed?.details ?? {};
  return new ApiError(status, reason, text, causes ?? [], request, retryAfter, details);
}

/** Pull a readable ApiError out of whatever client-node threw (its ApiException carries `code` and `body`). */
export function fromClientNodeError(err: unknown): Error {
  if (err instanceof ApiError) return err;
  const e = err as { code?: unknown; body?: unknown; message?: unknown };
  if (typeof e?.code === 'number' && e.code >= 400) {
    const body = typeof e.body === 'string' ? e.body : JSON.stringify(e.body ?? {});
    return parseStatus(e.code, body);
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * A field-manager conflict in words: which manager owns which field.
 * The server's cause message looks like `conflict with "kubectl" using apps/v1`.
 */
export function describeConflict(err: ApiError): { managers: string[]; fields: string[]; text: string } {
  const managers = new Set<string>();
  const fields: string[] = [];
  for (const cause of err.causes) {
    if (cause.reason !== 'FieldManagerConflict') continue;
    const match = /conflict with "([^"]+)"/.exec(cause.message ?? '');
    if (match) managers.add(match[1]!);
    if (cause.field) fields.push(cause.field);
  }
  const names = [...managers];
  const owner = names.length ? names.map((name) => `"${name}"`).join(', ') : 'another field manager';
  const text = `${fields.length ? fields.join(', ') : 'some fields'} ${fields.length === 1 ? 'is' : 'are'} owned by ${owner}`;
  return { managers: names, fields, text };
}

/**
 * A request that failed for good (after its retries), in words that name the
 * server and context: unreachable, TLS, dropped connection and rejected
 * credentials become EnvironmentErrors (exit 2); everything else passes through.
 */
export function transportFailure(err: unknown, target: { server: string; context: string }): unknown {
  const where = `${target.server} (context "${target.context}")`;
  if (err instanceof ApiError) {
    if (err.status === 401) {
      return new EnvironmentError(`the Kubernetes API server at ${where} rejected the credentials: ${err.message}`, {
        code: 'kube/unauthorized',
        hint: 'refresh the credentials in the kubeconfig, or pick another --context',
        cause: err,
      });
    }
    return err;
  }
  const socketError = err as NodeJS.ErrnoException & { requestTimeoutMs?: number };
  if (socketError.code === 'ETIMEDOUT' && socketError.requestTimeoutMs !== undefined) {
    return new EnvironmentError(`the Kubernetes API server at ${where} did not answer within ${formatSeconds(socketError.requestTimeoutMs)} (--request-timeout)`, {
      code: 'kube/timeout',
      hint: 'is the API server overloaded or stopped? raise --request-timeout for a slow server',
      cause: err,
    });
  }
  if (socketError.code && unreachableCodes.has(socketError.code)) {
    return new EnvironmentError(`cannot reach the Kubernetes API server at ${where}: ${socketError.code}${socketError.message && !socketError.message.includes(socketError.code) ? ` ${socketError.message}` : ''}`, {
      code: 'kube/unreachable',
      hint: 'is the cluster running? check --context, --kubeconfig or KUBECONFIG',
      cause: err,
    });
  }
  if (socketError.code && /CERT|SELF_SIGNED|TLS|SSL/.test(socketError.code)) {
    return new EnvironmentError(`TLS verification of the Kubernetes API server at ${where} failed: ${socketError.message}`, {
      code: 'kube/tls',
      hint: "check the cluster's certificate-authority in the kubeconfig",
      cause: err,
    });
  }
  if (socketError.message === 'socket hang up' || socketError.code === 'ECONNRESET') {
    return new EnvironmentError(`the Kubernetes API server at ${where} dropped the connection`, { code: 'kube/unreachable', cause: err });
  }
  return err;
}

/** `30s`, `1.5s`, `500ms`. */
export function formatSeconds(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)}s`;
}
