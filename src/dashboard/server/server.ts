/**
 * The dashboard's HTTP server (node:http): the page and its assets, and the
 * JSON API under /api/ — every API call needs the token (401 otherwise), every
 * request must name our address in its Host header (421 otherwise). Live
 * updates are server-sent events (`/api/live`, and `/api/apps/…/logs`).
 */
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { ApiError, AppAnswer, AppsAnswer, ClustersAnswer, LogLine } from './api-types.js';
import { allowedHosts, checkAddress, newToken, requestToken, tokenMatches } from './access.js';
import { defaultAssetsDir, indexHtml, loadAssets, type Asset } from './assets.js';
import {
  applyAppfile,
  ClusterBook,
  loadApp,
  loadApps,
  loadCapabilities,
  loadAddon,
  loadCapability,
  loadClusters,
  loadWorkflow,
  planAppfile,
  resumeWorkflow,
  type DashboardContext,
} from './dashboard-data.js';
import { BodyError, errorBody, openEventStream, readJsonBody, sendError, sendJson } from './http-util.js';
import { ClusterWatches, type ClusterNews } from './cluster-watches.js';
import { Topic } from './live-feed.js';
import { followAppLogs, watchAppChanges } from '../../pipeline/app-watch.js';

export interface DashboardOptions extends DashboardContext {
  /** 0 picks a free port. */
  readonly port: number;
  readonly address: string;
  /** The user typed `--address`: only then may the address be beyond loopback. */
  readonly addressExplicit: boolean;
  /** The built front end (default: dist/dashboard-web above this module). */
  readonly assetsDir?: string;
  /** After a cluster's watch broke, the first pause before watching again (ms; it doubles up to 10 s); default 1000. */
  readonly retryMs?: number;
  /** A fixed token (tests); default a random one. */
  readonly token?: string;
}

export interface Dashboard {
  /** The URL to open, with the token. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly port: number;
  close(): Promise<void>;
}

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

type Handler = (req: IncomingMessage, res: ServerResponse, params: string[], url: URL) => Promise<void>;

export async function startDashboard(opts: DashboardOptions): Promise<Dashboard> {
  checkAddress(opts.address, opts.addressExplicit);
  const assets = await loadAssets(opts.assetsDir ?? (await defaultAssetsDir()));
  const token = opts.token ?? newToken();
  const retry = { retryMs: opts.retryMs ?? 1000, maxRetryMs: 10_000 };
  const book = new ClusterBook(opts);
  const failed = (err: unknown): ApiError => errorBody(err).body;

  // Live topics are read again when a watch says something changed, never on a timer (live-feed.ts).
  const watches = new ClusterWatches({ clusters: () => book.names(), optionsFor: (name) => book.optionsFor(name), ...retry });
  const following = (wanted: readonly ClusterNews[]) => (changed: () => void, signal: AbortSignal) => watches.follow((news) => wanted.includes(news) && changed(), signal);
  /** A read that may have found clusters joined or removed: watch those. */
  const syncing = async <T>(answer: Promise<T>): Promise<T> => {
    const value = await answer;
    watches.sync();
    return value;
  };
  const appsTopic = new Topic<AppsAnswer | ApiError>({ read: () => syncing(loadApps(book, watches)), watch: following(['apps', 'reachability']), onError: failed, ...retry });
  const clustersTopic = new Topic<ClustersAnswer | ApiError>({ read: () => syncing(loadClusters(book, 0)), watch: following(['reachability']), onError: failed, ...retry });
  const appTopics = new Map<string, Topic<AppAnswer | ApiError>>();
  const appTopic = (cluster: string, namespace: string, app: string) => {
    const key = JSON.stringify([cluster, namespace, app]);
    const topic =
      appTopics.get(key) ??
      new Topic<AppAnswer | ApiError>({
        read: () => loadApp(book, cluster, namespace, app),
        watch: async (changed, signal) => watchAppChanges({ ...(await book.optionsFor(cluster, namespace)), signal }, changed),
        onError: failed,
        ...retry,
      });
    appTopics.set(key, topic);
    return { topic, key };
  };

  const routes: Array<[string, RegExp, Handler]> = [
    // The page asks first, so a missing or stale token is said at once instead of as a failing stream.
    ['GET', /^\/api\/session$/, async (_req, res) => sendJson(res, 200, { cwd: opts.cwd, ...(opts.file !== undefined && { file: opts.file }) })],
    ['GET', /^\/api\/apps$/, async (_req, res) => sendJson(res, 200, await loadApps(book, watches))],
    ['GET', /^\/api\/apps\/([^/]+)\/([^/]+)\/([^/]+)$/, async (_req, res, [cluster, namespace, app]) => sendJson(res, 200, await loadApp(book, cluster!, namespace!, app!))],
    ['GET', /^\/api\/apps\/([^/]+)\/([^/]+)\/([^/]+)\/workflow$/, async (_req, res, [cluster, namespace, app]) => sendJson(res, 200, await loadWorkflow(book, cluster!, namespace!, app!))],
    [
      'POST',
      /^\/api\/apps\/([^/]+)\/([^/]+)\/([^/]+)\/workflow\/resume$/,
      async (req, res, [cluster, namespace, app]) => {
        const body = await readJsonBody(req);
        const step = typeof body.step === 'string' && body.step ? body.step : undefined;
        sendJson(res, 200, await resumeWorkflow(book, cluster!, namespace!, app!, step));
      },
    ],
    ['GET', /^\/api\/apps\/([^/]+)\/([^/]+)\/([^/]+)\/logs$/, (req, res, [cluster, namespace, app], url) => streamAppLogs(req, res, book, cluster!, namespace!, app!, url.searchParams.get('service') || undefined)],
    [
      'POST',
      /^\/api\/plan$/,
      async (req, res) => {
        const body = await readJsonBody(req);
        sendJson(res, 200, await planAppfile(opts, pastedAppfile(body), closedSignal(req, res)));
      },
    ],
    [
      'POST',
      /^\/api\/apply$/,
      async (req, res) => {
        const body = await readJsonBody(req);
        // The page asks first; a request that skips the question is refused, so no stray POST applies anything.
        if (body.confirmed !== true) return sendError(res, 400, 'apply needs "confirmed": true (the page asks for confirmation first)', 'dashboard/unconfirmed');
        sendJson(res, 200, await applyAppfile(opts, pastedAppfile(body), closedSignal(req, res)));
      },
    ],
    ['GET', /^\/api\/capabilities$/, async (_req, res) => sendJson(res, 200, await loadCapabilities(opts))],
    ['GET', /^\/api\/capabilities\/([^/]+)$/, async (_req, res, [name]) => sendJson(res, 200, await loadCapability(opts, name!))],
    ['GET', /^\/api\/addons\/([^/]+)$/, async (_req, res, [name]) => sendJson(res, 200, await loadAddon(opts, name!))],
    ['GET', /^\/api\/addons\/([^/]+)$/, async (_req, res, [name]) => sendJson(res, 200, await loadAddon(opts, name!))],
    ['GET', /^\/api\/clusters$/, async (_req, res) => sendJson(res, 200, await loadClusters(book, 0))],
    [
      'GET',
      /^\/api\/live$/,
      async (req, res, _params, url) => {
        const stream = openEventStream(req, res);
        const stops: Array<() => void> = [];
        const topics = (url.searchParams.get('topics') ?? '').split(',');
        if (topics.includes('apps')) stops.push(appsTopic.subscribe((value) => stream.send('apps', value)));
        if (topics.includes('clusters')) stops.push(clustersTopic.subscribe((value) => stream.send('clusters', value)));
        const app = url.searchParams.get('app');
        if (app) {
          const [cluster, namespace, name] = app.split('/');
          if (cluster && namespace && name) {
            const { topic, key } = appTopic(cluster, namespace, name);
            const stop = topic.subscribe((value) => stream.send('app', value));
            stops.push(() => {
              stop();
              if (topic.listening === 0) appTopics.delete(key);
            });
          }
        }
        stream.closed.addEventListener('abort', () => stops.forEach((stop) => stop()));
      },
    ],
  ];

  let hosts: Set<string> | undefined = new Set<string>();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.end();
      if (err instanceof BodyError) return sendError(res, err.status, err.message, 'dashboard/body');
      const { status, body } = errorBody(err);
      sendJson(res, status, body);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    if (hosts && !hosts.has(String(req.headers.host ?? '').toLowerCase())) return sendError(res, 421, 'this server answers only to its own address', 'dashboard/host');
    if (!url.pathname.startsWith('/api/')) return servePage(req, res, url, assets);
    if (!tokenMatches(token, requestToken(req.headers, url))) return sendError(res, 401, 'the access token is missing or wrong: open the URL `vela dashboard` printed', 'dashboard/token');
    if (req.method === 'POST' && !String(req.headers['content-type'] ?? '').startsWith('application/json')) return sendError(res, 415, 'send JSON', 'dashboard/content-type');
    for (const [method, pattern, handler] of routes) {
      const m = pattern.exec(url.pathname);
      if (!m) continue;
      if (req.method !== method) continue;
      return handler(req, res, m.slice(1).map((p) => decodeURIComponent(p)), url);
    }
    sendError(res, 404, `no API ${req.method} ${url.pathname}`, 'dashboard/not-found');
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.address, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const port = (server.address() as { port: number }).port;
  hosts = allowedHosts(opts.address, port);
  const host = opts.address.includes(':') ? `[${opts.address}]` : opts.address;
  const origin = `http://${host}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    close: () =>
      new Promise<void>((resolvePromise) => {
        appsTopic.close();
        clustersTopic.close();
        for (const topic of appTopics.values()) topic.close();
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}

function pastedAppfile(body: Record<string, unknown>): string | undefined {
  return typeof body.appfile === 'string' && body.appfile.trim() !== '' ? body.appfile : undefined;
}

/** Aborted when the page goes away mid-request, so a plan the user left is not carried on. */
function closedSignal(req: IncomingMessage, res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  req.on('aborted', () => controller.abort());
  return controller.signal;
}

async function servePage(req: IncomingMessage, res: ServerResponse, url: URL, assets: Map<string, Asset>): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'the page is read only', 'dashboard/method');
  const headers = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };
  if (url.pathname === '/' || url.pathname === '/index.html') {
    const body = indexHtml();
    res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  const asset = url.pathname.startsWith('/assets/') ? assets.get(url.pathname.slice('/assets/'.length)) : undefined;
  if (!asset) return sendError(res, 404, `no file ${url.pathname}`, 'dashboard/not-found');
  res.writeHead(200, { ...headers, 'content-type': asset.type, 'cache-control': 'no-cache', 'content-length': asset.body.length });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
}

/** The app's logs as events, one per line (`{service, pod, container, line}`), following until the page closes the stream. */
async function streamAppLogs(req: IncomingMessage, res: ServerResponse, book: ClusterBook, cluster: string, namespace: string, app: string, service: string | undefined): Promise<void> {
  const options = await book.optionsFor(cluster, namespace);
  const stream = openEventStream(req, res);
  try {
    const line: (line: LogLine) => void = (entry) => stream.send('line', entry);
    await followAppLogs(app, { ...options, signal: stream.closed, requestTimeoutMs: undefined }, { service, tailLines: 200, onLine: line });
    stream.send('end', {});
  } catch (err) {
    if (!stream.closed.aborted) stream.send('failure', errorBody(err).body);
  }
  res.end();
}
