/**
 * The one door to an API server: send one HTTP request, get its status and
 * body back. No retries, no parsing, no knowledge of Kubernetes objects: the
 * layers above add those, and tests swap this door for a scripted one.
 *
 * The Node implementation takes everything about *who we are* from
 * @kubernetes/client-node (the kubeconfig's CA, client certificates, bearer
 * tokens, exec credential plugins, `insecure-skip-tls-verify`), and sends the
 * request itself over node:https with a keep-alive agent. client-node's own
 * request path (its generated APIs and `KubernetesObjectApi`) would hide the
 * HTTP status (201 tells a create from an update), the `Retry-After` header,
 * and per-request abort signals, and it retries and discovers on its own
 * terms; here we decide all of that once. Bodies cross this door as text, so
 * nothing we pass in can be kept or mutated on the other side.
 */
import http from 'node:http';
import https from 'node:https';
import { abortError, EnvironmentError } from '../../host/index.js';
import type { ClusterTarget } from '../kubeconfig.js';

export interface HttpRequest {
  readonly method: string;
  /** Path and query under the server's URL, e.g. `/api/v1/namespaces/x/configmaps?limit=500`. */
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly text: string;
  /** Seconds from a `Retry-After` header, when it holds a number. */
  readonly retryAfter?: number;
}

/**
 * Rejects only when no answer came: a socket error (with its `code`), a
 * timeout (`ETIMEDOUT`, with `requestTimeoutMs`), or an abort.
 */
export interface Transport {
  send(request: HttpRequest): Promise<HttpResponse>;
  /**
   * A long-lived request (a watch): resolves once the answer's status is in,
   * with its body's lines as they come. Not bounded by the request timeout
   * once the answer has started: a watch lasts as long as the server (its
   * `timeoutSeconds`) or the caller's signal says. Transports without it
   * cannot watch (callers fall back to looking again).
   */
  stream?(request: HttpRequest): Promise<HttpStream>;
  /** Close idle keep-alive sockets (so a CLI process can exit promptly). */
  close(): void;
}

export interface HttpStream {
  readonly status: number;
  /** The body, line by line (a watch sends one JSON event per line); ends when the server ends the answer. */
  readonly lines: AsyncIterable<string>;
  /** Stop reading and drop the connection. */
  close(): void;
}

export interface TransportOptions {
  /** Per-request timeout (ms), from sending to the last byte of the answer; default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Parallel connections to the server; default 16. */
  readonly maxSockets?: number;
}

/** A transport to `target.server` with the credentials of `target`'s context. */
export function httpsTransport(target: ClusterTarget, options: TransportOptions = {}): Transport {
  const base = new URL(target.server);
  const basePath = base.pathname.replace(/\/$/, '');
  const maxSockets = options.maxSockets ?? 16;
  let agent: http.Agent | undefined;

  /** Credentials per request: client-node refreshes expiring tokens (exec plugins) behind this call. */
  const credentials = async (): Promise<{ headers: Record<string, string>; auth?: string; agent: http.Agent }> => {
    const tls: https.RequestOptions = {};
    try {
      await target.kubeConfig.applyToHTTPSOptions(tls);
    } catch (err) {
      throw new EnvironmentError(`cannot use the credentials or TLS settings of context "${target.context}": ${(err as Error).message}`, {
        code: 'kube/credentials',
        hint: 'check the user and cluster entries of the kubeconfig (exec plugins must be on PATH)',
        cause: err,
      });
    }
    agent ??=
      base.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            maxSockets,
            ca: tls.ca,
            cert: tls.cert,
            key: tls.key,
            pfx: tls.pfx,
            passphrase: tls.passphrase,
            rejectUnauthorized: tls.rejectUnauthorized ?? true,
            servername: tls.servername,
          })
        : new http.Agent({ keepAlive: true, maxSockets });
    return { headers: { ...(tls.headers as Record<string, string>) }, auth: tls.auth ?? undefined, agent };
  };

  return {
    async send(request) {
      const url = new URL(basePath + request.path, base);
      const { headers: authHeaders, auth, agent: requestAgent } = await credentials();
      const headers: Record<string, string> = { ...authHeaders, Accept: 'application/json', 'User-Agent': 'vela' };
      if (request.body !== undefined) {
        headers['Content-Type'] = request.contentType ?? 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(request.body));
      }
      const protocol = url.protocol === 'https:' ? https : http;
      const signal = request.signal;
      const timeoutMs = options.requestTimeoutMs ?? 30_000;
      return new Promise<HttpResponse>((resolve, reject) => {
        // The whole request is bounded, not only the gaps between bytes (kubectl's --request-timeout):
        // a server that answers nothing at all (SIGSTOP, a dead proxy) holds a socket open without one.
        const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs}ms`), { code: 'ETIMEDOUT', requestTimeoutMs: timeoutMs })), timeoutMs);
        const settle = <V>(fn: (value: V) => void) => (value: V) => {
          clearTimeout(timer);
          fn(value);
        };
        const req = protocol.request(url, { method: request.method, headers, agent: requestAgent, auth, signal }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', settle(reject));
          res.on('aborted', () => settle(reject)(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
          res.on('end', () => {
            const retryAfter = res.headers['retry-after'];
            settle(resolve)({
              status: res.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
              retryAfter: retryAfter !== undefined && /^\d+$/.test(String(retryAfter)) ? Number(retryAfter) : undefined,
            });
          });
        });
        req.on('error', (err) => settle(reject)(signal?.aborted ? abortError() : err));
        if (request.body !== undefined) req.write(request.body);
        req.end();
      });
    },

    async stream(request) {
      const url = new URL(basePath + request.path, base);
      const { headers: authHeaders, auth, agent: requestAgent } = await credentials();
      const headers: Record<string, string> = { ...authHeaders, Accept: 'application/json', 'User-Agent': 'vela' };
      const protocol = url.protocol === 'https:' ? https : http;
      const signal = request.signal;
      const timeoutMs = options.requestTimeoutMs ?? 30_000;
      return new Promise<HttpStream>((resolve, reject) => {
        // Only the wait for the answer to start is bounded: the body of a watch may rightly be quiet for minutes.
        const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs}ms`), { code: 'ETIMEDOUT', requestTimeoutMs: timeoutMs })), timeoutMs);
        const req = protocol.request(url, { method: request.method, headers, agent: requestAgent, auth, signal }, (res) => {
          clearTimeout(timer);
          res.setEncoding('utf8');
          resolve({ status: res.statusCode ?? 0, lines: splitLines(res, () => signal?.aborted === true), close: () => res.destroy() });
        });
        req.on('error', (err) => {
          clearTimeout(timer);
          reject(signal?.aborted ? abortError() : err);
        });
        req.end();
      });
    },

    close() {
      agent?.destroy();
      agent = undefined;
    },
  };
}

/** The lines of a text body as they arrive; an abort or a dropped connection ends it with an error. */
async function* splitLines(body: AsyncIterable<string> & http.IncomingMessage, aborted: () => boolean): AsyncGenerator<string> {
  let carry = '';
  try {
    for await (const chunk of body) {
      const parts = (carry + chunk).split('\n');
      carry = parts.pop()!;
      for (const line of parts) if (line.trim() !== '') yield line;
    }
  } catch (err) {
    if (aborted()) throw abortError();
    throw err;
  } finally {
    body.destroy();
  }
  if (!body.complete && !aborted()) throw Object.assign(new Error('the server dropped the connection mid-answer'), { code: 'ECONNRESET' });
  if (aborted()) throw abortError();
  if (carry.trim() !== '') yield carry;
}
