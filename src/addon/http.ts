/**
 * Downloads for HTTP(S) sources: bounded in time and size, with errors that
 * say whose fault they are. The network or a server error is the
 * environment's (exit 2); a 4xx is a wrong URL (exit 1). A user and password
 * in the URL become a Basic Authorization header and are never shown.
 */
import { EnvironmentError } from '../host/index.js';
import { DiagnosticError, error } from '../source/index.js';
import { redactUrl } from './git.js';

export interface FetchOptions {
  /** Default 64 MiB. */
  readonly maxBytes?: number;
  /** Default 60 s. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export const isHttpUrl = (s: string): boolean => /^https?:\/\//i.test(s);

export async function fetchBytes(url: string, opts: FetchOptions = {}): Promise<Buffer> {
  const maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  const shown = redactUrl(url);
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new DiagnosticError([error(`not a URL: ${shown}`, undefined, { code: 'http/url' })]);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new DiagnosticError([error(`not an HTTP(S) URL: ${shown}`, undefined, { code: 'http/url' })]);
  const headers: Record<string, string> = {};
  if (target.username || target.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 60_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(target, { headers, signal, redirect: 'follow' });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = timeout.aborted ? `no answer within ${Math.round((opts.timeoutMs ?? 60_000) / 1000)}s` : cause?.code ?? cause?.message ?? (e as Error).message;
    throw new EnvironmentError(`cannot reach ${shown}: ${why}`, { code: 'http/unreachable', hint: 'check the URL and your network' });
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    const message = `${shown} answered ${res.status} ${res.statusText}`.trim();
    if (res.status >= 400 && res.status < 500) throw new DiagnosticError([error(message, undefined, { code: 'http/status', hint: res.status === 404 ? 'check the URL: nothing is there' : 'check the URL and its credentials' })]);
    throw new EnvironmentError(message, { code: 'http/status', hint: 'the server failed; try again later' });
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(shown, maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body ?? []) {
      size += (chunk as Uint8Array).length;
      if (size > maxBytes) throw tooLarge(shown, maxBytes);
      chunks.push(Buffer.from(chunk as Uint8Array));
    }
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    throw new EnvironmentError(`reading ${shown} failed: ${(e as Error).message}`, { code: 'http/unreachable' });
  }
  return Buffer.concat(chunks);
}

function tooLarge(shown: string, maxBytes: number): DiagnosticError {
  return new DiagnosticError([error(`${shown} is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB`, undefined, { code: 'http/too-large' })]);
}

/** `base` joined with a relative `ref` (a catalog index's `urls` entry), as a browser would. */
export function resolveUrl(base: string, ref: string): string {
  const dir = base.endsWith('/') ? base : base.slice(0, base.lastIndexOf('/') + 1);
  return new URL(ref, dir).toString();
}
