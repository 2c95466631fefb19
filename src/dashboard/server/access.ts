/**
 * Who may talk to the dashboard. Three rules, each closing one way in:
 * - a random token (as Jupyter prints one) on every API call, so another local
 *   user, or a web page in the user's own browser, cannot drive it: a page on
 *   another origin can send requests to 127.0.0.1 but cannot read the token;
 * - the Host header must name the address we listen on, so a DNS name
 *   rebound to 127.0.0.1 (whose pages would be same-origin) is turned away;
 * - loopback only, unless the user typed `--address` themselves.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { DiagnosticError, error } from '../../source/index.js';

/** 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares in constant time, so the token cannot be guessed byte by byte from response times. */
export function tokenMatches(expected: string, given: string | undefined | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token of a request: `Authorization: Bearer T` (fetch), else `?token=T` (EventSource cannot set headers). */
export function requestToken(headers: { authorization?: string }, url: URL): string | undefined {
  const auth = headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return url.searchParams.get('token') ?? undefined;
}

export function isLoopback(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./i.test(bare);
  return false;
}

/**
 * Refuses a non-loopback address that the user did not name on the command
 * line: serving the cluster's apps to the network must be a decision, never a default.
 */
export function checkAddress(address: string, explicit: boolean): void {
  if (isLoopback(address) || explicit) return;
  throw new DiagnosticError([
    error(`the dashboard listens on loopback only; ${address} is not a loopback address`, undefined, {
      code: 'dashboard/address',
      hint: `pass --address ${address} to serve it beyond this machine on purpose (the token is still required)`,
    }),
  ]);
}

/**
 * The Host header values a request to us may carry: the address we listen on
 * (and localhost's names when on loopback); undefined (any) on a wildcard
 * address the user chose, reached by names we cannot know — the token still guards it.
 */
export function allowedHosts(address: string, port: number): Set<string> | undefined {
  if (['0.0.0.0', '::', '[::]'].includes(address)) return undefined;
  const hostOf = (h: string) => (isIP(h) === 6 ? `[${h}]` : h);
  const names = isLoopback(address) ? [address, 'localhost', '127.0.0.1', '::1'] : [address];
  return new Set(names.map((n) => `${hostOf(n.replace(/^\[|\]$/g, ''))}:${port}`.toLowerCase()));
}
