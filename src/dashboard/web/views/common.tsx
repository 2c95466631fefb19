/** Pieces every page uses: health and reachability badges (words, not colour alone), failures with the CLI's diagnostics, the connection notice. */
import type { ApiError } from '../../server/api-types.js';
import { ApiFailure } from '../api.js';

export function Health({ healthy }: { healthy: boolean }) {
  return <span class={`badge ${healthy ? 'ok' : 'bad'}`}>{healthy ? 'healthy' : 'unhealthy'}</span>;
}

export function Reachable({ reachable }: { reachable: boolean }) {
  return <span class={`badge ${reachable ? 'ok' : 'bad'}`}>{reachable ? 'reachable' : 'unreachable'}</span>;
}

export function Failure({ error }: { error: unknown }) {
  const e = error instanceof ApiFailure ? error : isErrorBody(error) ? new ApiFailure(0, error.error.code, error.error.message, error.error.diagnostics) : undefined;
  const message = e?.message ?? (error instanceof Error ? error.message : String(error));
  return (
    <div class="failure" role="alert">
      <p><strong>Failed:</strong> {message}</p>
      {e?.diagnostics && <pre class="diagnostics">{e.diagnostics}</pre>}
    </div>
  );
}

export const isErrorBody = (value: unknown): value is ApiError => typeof value === 'object' && value !== null && 'error' in value;

export function Offline({ down }: { down: boolean }) {
  return down ? <p class="notice" role="status">Lost the connection to the dashboard; reconnecting…</p> : null;
}
