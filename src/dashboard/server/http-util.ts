/**
 * Small helpers over node:http: JSON answers, request bodies with a size
 * bound, and errors as the JSON the front end shows (a DiagnosticError keeps
 * the CLI's own text: `file:line:col`, message, code frame, hint).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DiagnosticError, formatDiagnostics } from '../../source/index.js';
import type { ApiError } from './api-types.js';

/** Pasted Appfiles are small; anything bigger is refused before it is read whole. */
export const MAX_BODY_BYTES = 1024 * 1024;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, message: string, code: string): void {
  const body: ApiError = { error: { message, code } };
  sendJson(res, status, body);
}

/** The error as the front end shows it, and the HTTP status it gets: 400 for the user's input, 502 for the cluster, 500 for a bug. */
export function errorBody(err: unknown): { status: number; body: ApiError } {
  if (err instanceof DiagnosticError) {
    const first = err.diagnostics[0];
    const status = err.exitCode === 2 ? 502 : err.exitCode === 1 ? 400 : 500;
    return { status, body: { error: { message: first?.message ?? 'failed', code: first?.code ?? 'error', diagnostics: formatDiagnostics(err.diagnostics, { color: false }) } } };
  }
  return { status: 500, body: { error: { message: `internal error: ${err instanceof Error ? err.message : String(err)}`, code: 'internal' } } };
}

export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, `the request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new BodyError(400, 'the request body must be a JSON object');
}

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Starts a server-sent event stream; `send` writes one event, comments keep proxies and the browser from timing out. */
export function openEventStream(req: IncomingMessage, res: ServerResponse): { send: (event: string, data: unknown) => void; closed: AbortSignal } {
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
  res.write(': vela dashboard\n\n');
  const controller = new AbortController();
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const close = () => {
    clearInterval(keepAlive);
    controller.abort();
  };
  req.on('close', close);
  res.on('close', close);
  return {
    send: (event, data) => {
      if (!controller.signal.aborted) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    closed: controller.signal,
  };
}
