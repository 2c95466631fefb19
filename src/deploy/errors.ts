/**
 * API-server failures as user-facing diagnostics, pointing at the Appfile
 * position of the service (or trait) whose manifest the server refused.
 */
import { error, type Diagnostic, type Span } from '../source/index.js';
import { EnvironmentError } from '../host/index.js';
import { ApiError, describeConflict, describeRef, UnknownKindError, type ObjectRef } from './api/index.js';

export interface Origin {
  readonly service?: string;
  readonly trait?: string;
  readonly span?: Span;
  /** Appfile positions of fields that came from parameters (see render/types.ts). */
  readonly fields?: { get(field: string): Span | undefined };
}

/** The Appfile position of a field the server names (or of its closest parent that came from a parameter). */
export function fieldSpan(origin: Origin | undefined, field: string | undefined): Span | undefined {
  if (!origin?.fields || !field) return undefined;
  for (let path = field; path; path = path.replace(/(\.[^.[\]]+|\[\d+\])$/, '')) {
    const span = origin.fields.get(path);
    if (span) return span;
    if (!/(\.[^.[\]]+|\[\d+\])$/.test(path)) break;
  }
  return undefined;
}

function who(ref: ObjectRef, origin: Origin | undefined): string {
  const from = origin?.service ? ` (service ${origin.service}${origin.trait ? `, trait ${origin.trait}` : ''})` : '';
  return `${describeRef(ref)}${from}`;
}

/**
 * A failure applying one object. Returns an EnvironmentError for the ones that
 * are about the cluster, not the app (forbidden, unreachable), so they exit 2.
 */
export function objectFailure(err: unknown, ref: ObjectRef, origin: Origin | undefined, verb = 'apply'): { diagnostics: Diagnostic[]; environment?: Error } {
  const span = origin?.span;
  if (err instanceof EnvironmentError) return { diagnostics: [...err.diagnostics], environment: err };
  if (err instanceof UnknownKindError) {
    return {
      diagnostics: [
        error(`cannot ${verb} ${who(ref, origin)}: ${err.message}`, span, {
          code: 'deploy/unknown-kind',
          hint: 'choose the API version from context.clusterVersion in the definition, or install the CRD first',
        }),
      ],
    };
  }
  if (!(err instanceof ApiError)) return { diagnostics: [], environment: err instanceof Error ? err : new Error(String(err)) };
  if (err.missingNamespace !== undefined) {
    return {
      diagnostics: [
        error(`cannot ${verb} ${who(ref, origin)}: its namespace "${err.missingNamespace}" does not exist`, span, {
          code: 'deploy/no-namespace',
          hint: 'create the namespace first, or add a Namespace object for it to the app',
        }),
      ],
    };
  }
  if (err.isFieldConflict) {
    const conflict = describeConflict(err);
    return {
      diagnostics: [
        error(`conflict applying ${who(ref, origin)}: ${conflict.text}`, span, {
          code: 'deploy/conflict',
          hint: 'pass --force-conflicts to take these fields over from the other manager',
        }),
      ],
    };
  }
  if (err.status === 403) {
    const env = new EnvironmentError(`the cluster refused to ${verb} ${who(ref, origin)}: ${err.message}`, {
      span,
      code: 'kube/forbidden',
      hint: `ask a cluster admin for RBAC permission (try \`kubectl auth can-i ${verb === 'apply' ? 'patch' : verb} ${ref.kind.toLowerCase()}\`)`,
      cause: err,
    });
    return { diagnostics: [...env.diagnostics], environment: env };
  }
  if (err.status === 422 || err.status === 400) {
    const causes = err.causes.filter((cause) => cause.message);
    const detail = causes.length ? causes.map((cause) => (cause.field ? `${cause.field}: ${cause.message}` : cause.message)).join('; ') : err.message;
    // Where the offending field came from a parameter, point at that parameter's value.
    const position = causes.map((cause) => fieldSpan(origin, cause.field)).find((s) => s) ?? span;
    return {
      diagnostics: [error(`the cluster rejected ${who(ref, origin)}: ${detail}`, position, { code: `kube/${err.reason.toLowerCase()}`, related: position !== span && span ? [span] : [] })],
    };
  }
  if (err.status >= 500 || err.status === 429) {
    const env = new EnvironmentError(`the cluster failed to ${verb} ${who(ref, origin)}: ${err.message} (HTTP ${err.status}, after retries)`, { span, code: 'kube/server-error', cause: err });
    return { diagnostics: [...env.diagnostics], environment: env };
  }
  return { diagnostics: [error(`cannot ${verb} ${who(ref, origin)}: ${err.message}`, span, { code: `kube/${err.reason.toLowerCase()}` })] };
}

/**
 * Any API failure not tied to one object (reading the inventory, creating the
 * namespace, discovery) as an EnvironmentError naming the server and context.
 * Everything else passes through unchanged.
 */
export function requestFailure(err: unknown, target: { server: string; context: string }): unknown {
  if (!(err instanceof ApiError)) return err;
  const where = `${target.server} (context "${target.context}")`;
  if (err.status === 403) {
    return new EnvironmentError(`the cluster at ${where} refused: ${err.message}`, {
      code: 'kube/forbidden',
      hint: 'ask a cluster admin for RBAC permission, or pick another --context',
      cause: err,
    });
  }
  return new EnvironmentError(`the Kubernetes API server at ${where} answered ${err.status} ${err.reason}: ${err.message}`, { code: `kube/${err.reason.toLowerCase()}`, cause: err });
}
