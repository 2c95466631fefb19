/**
 * Talking to the dashboard's API: the token travels in a header for fetch and
 * in the query for EventSource (which cannot set headers). The token comes
 * from the URL `vela dashboard` printed and is then kept for the tab only.
 */
import type { ApiError } from '../server/api-types.js';

const STORAGE_KEY = 'vela-dashboard-token';

/** Reads `?token=` once, keeps it for this tab, and takes it out of the address bar (and so out of history and screenshots). */
export function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(STORAGE_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return fromUrl ?? sessionStorage.getItem(STORAGE_KEY) ?? '';
}

let token = '';
export const setToken = (value: string) => (token = value);

/** A failed call, with the server's message and, for the user's input, the CLI's diagnostics text. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly diagnostics?: string,
  ) {
    super(message);
  }
}

export const isApiError = (value: unknown): value is ApiError => typeof value === 'object' && value !== null && 'error' in value;

export async function call<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const answer: unknown = await res.json().catch(() => undefined);
  if (!res.ok || isApiError(answer)) {
    const e = isApiError(answer) ? answer.error : { message: `HTTP ${res.status}`, code: 'http' };
    throw new ApiFailure(res.status, e.code, e.message, 'diagnostics' in e ? e.diagnostics : undefined);
  }
  return answer as T;
}

/** Server-sent events of `path`; returns the way to stop listening. */
export function listen(path: string, handlers: Record<string, (data: any) => void>, onDown?: (down: boolean) => void): () => void {
  const url = `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
  const source = new EventSource(url);
  for (const [event, handler] of Object.entries(handlers)) source.addEventListener(event, (e) => handler(JSON.parse((e as MessageEvent<string>).data)));
  source.onopen = () => onDown?.(false);
  // EventSource reconnects by itself; the page says so meanwhile.
  source.onerror = () => onDown?.(true);
  return () => source.close();
}

export const appPath = (cluster: string, namespace: string, app: string) => `/api/apps/${[cluster, namespace, app].map(encodeURIComponent).join('/')}`;
