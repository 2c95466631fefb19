/**
 * A protocol-level Kubernetes API server for tests: the real HTTP protocol
 * (discovery, CRUD, server-side apply with managed fields and conflicts,
 * `dryRun=All`, label selectors, watch) over an in-memory store, plus fault
 * injection for what a real server cannot be made to do on demand: 409, 429
 * with Retry-After, 5xx, 403 RBAC refusals, dropped connections. A test drives
 * it with the real kubectl to keep it honest (test/deploy/fake-apiserver.test.ts).
 *
 * Simplifications, on purpose: one version per group, no admission, no
 * defaulting beyond metadata, list merge keys guessed from item fields
 * (`name`, `containerPort`, `port`), no status subresource.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { localhostCert } from './tls.js';

type Obj = Record<string, any>;

interface ResourceDef {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly resource: string;
  readonly namespaced: boolean;
  /** Objects whose spec changes bump metadata.generation. */
  readonly hasGeneration?: boolean;
  readonly shortNames?: readonly string[];
}

const RESOURCES: readonly ResourceDef[] = [
  { group: '', version: 'v1', kind: 'Namespace', shortNames: ['ns'], resource: 'namespaces', namespaced: false },
  { group: '', version: 'v1', kind: 'ConfigMap', shortNames: ['cm'], resource: 'configmaps', namespaced: true },
  { group: '', version: 'v1', kind: 'Secret', resource: 'secrets', namespaced: true },
  { group: '', version: 'v1', kind: 'Service', shortNames: ['svc'], resource: 'services', namespaced: true },
  { group: '', version: 'v1', kind: 'Pod', shortNames: ['po'], resource: 'pods', namespaced: true },
  { group: '', version: 'v1', kind: 'Event', shortNames: ['ev'], resource: 'events', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'Deployment', shortNames: ['deploy'], resource: 'deployments', namespaced: true, hasGeneration: true },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', shortNames: ['sts'], resource: 'statefulsets', namespaced: true, hasGeneration: true },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', shortNames: ['ds'], resource: 'daemonsets', namespaced: true, hasGeneration: true },
  { group: 'batch', version: 'v1', kind: 'Job', resource: 'jobs', namespaced: true, hasGeneration: true },
  { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', resource: 'leases', namespaced: true },
];

export interface Fault {
  readonly method?: string;
  /** Matches the URL path (substring or pattern). */
  readonly path?: string | RegExp;
  /** Only dry runs (true) or only real requests (false). */
  readonly dryRun?: boolean;
  /** How many matching requests to answer with the fault (default 1). */
  times?: number;
  /** Answer with this status (and a Status body), or drop the connection. */
  readonly status?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly retryAfter?: number;
  readonly causes?: ReadonlyArray<{ reason?: string; message?: string; field?: string }>;
  readonly drop?: boolean;
  /** Hold the request this long before answering (for abort tests). */
  readonly delayMs?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly contentType?: string;
  /** The status we answered (0 when dropped). */
  status: number;
}

export interface FakeApiServerOptions {
  /**
   * TLS key and certificate (PEM); by default a self-signed one for 127.0.0.1,
   * because client-node refuses plain HTTP unless TLS verification is off.
   * `false` serves plain HTTP.
   */
  readonly tls?: { key: string; cert: string } | false;
  /** Require `Authorization: Bearer <token>`; maps tokens to user names. */
  readonly tokens?: Record<string, string>;
  /** RBAC in a line: return false to refuse `verb` on `resource` for `user` with a 403. */
  readonly authorize?: (user: string, verb: string, resource: string, namespace?: string) => boolean;
  readonly gitVersion?: string;
}

type Segment = string | { key: string; value: unknown };
type FieldSet = Set<string>;

interface Manager {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fields: FieldSet;
}

interface Stored {
  obj: Obj;
  managers: Manager[];
}

interface Watcher {
  def: ResourceDef;
  namespace?: string;
  selector: (labels: Record<string, string>) => boolean;
  /** `fieldSelector=metadata.name=NAME`. */
  name?: string;
  bookmarks: boolean;
  res: http.ServerResponse;
}

/** A change as a watch replays it (from a resourceVersion). */
interface HistoryEvent {
  readonly rv: number;
  readonly type: string;
  readonly def: ResourceDef;
  readonly object: Obj;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly causes: Fault['causes'] = undefined,
    /** `Status.details` besides the causes (e.g. `{kind: 'namespaces', name}` for a missing namespace). */
    readonly details: { name?: string; kind?: string } = {},
  ) {
    super(message);
  }
}

// --- field paths (a small model of structured-merge-diff's field sets) -------

function listKey(items: unknown[]): string | undefined {
  if (!items.length || !items.every((i) => i && typeof i === 'object' && !Array.isArray(i))) return undefined;
  for (const k of ['name', 'containerPort', 'port', 'mountPath', 'key']) if (items.every((i) => (i as Obj)[k] !== undefined)) return k;
  return undefined;
}

const IDENTITY = new Set(['apiVersion', 'kind']);
const META_SKIP = new Set(['name', 'namespace', 'managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink']);

function leafPaths(value: unknown, prefix: Segment[], out: Map<string, Segment[]>, top = true): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Obj);
    if (!entries.length && !top) out.set(JSON.stringify(prefix), prefix);
    for (const [k, v] of entries) {
      if (top && (IDENTITY.has(k) || k === 'status')) continue;
      if (prefix.length === 1 && prefix[0] === 'metadata' && META_SKIP.has(k)) continue;
      leafPaths(v, [...prefix, k], out, false);
    }
    return;
  }
  if (Array.isArray(value)) {
    const key = listKey(value);
    if (key) {
      for (const item of value) leafPaths(item, [...prefix, { key, value: (item as Obj)[key] }], out, false);
      return;
    }
  }
  out.set(JSON.stringify(prefix), prefix);
}

function pathsOf(obj: Obj): Map<string, Segment[]> {
  const out = new Map<string, Segment[]>();
  leafPaths(obj, [], out);
  return out;
}

function formatPath(segs: Segment[]): string {
  return segs.map((s) => (typeof s === 'string' ? `.${s}` : `[${s.key}=${JSON.stringify(s.value)}]`)).join('');
}

function getAt(obj: unknown, segs: Segment[]): unknown {
  let cur: unknown = obj;
  for (const s of segs) {
    if (cur === undefined || cur === null) return undefined;
    if (typeof s === 'string') cur = (cur as Obj)[s];
    else cur = Array.isArray(cur) ? cur.find((i) => (i as Obj)?.[s.key] === s.value) : undefined;
  }
  return cur;
}

function deleteAt(obj: Obj, segs: Segment[]): void {
  const parent = getAt(obj, segs.slice(0, -1));
  const last = segs[segs.length - 1]!;
  if (parent === undefined || parent === null) return;
  if (typeof last === 'string') delete (parent as Obj)[last];
  else if (Array.isArray(parent)) {
    const i = parent.findIndex((x) => (x as Obj)?.[last.key] === last.value);
    if (i >= 0) parent.splice(i, 1);
  }
  // Drop containers left empty by the removal.
  if (segs.length > 1) {
    const p = getAt(obj, segs.slice(0, -1));
    if (p && typeof p === 'object' && !Array.isArray(p) && !Object.keys(p).length) deleteAt(obj, segs.slice(0, -1));
    else if (Array.isArray(p) && !p.length) deleteAt(obj, segs.slice(0, -1));
    else if (typeof last !== 'string') {
      /* a keyed item removed: keep the list */
    }
  }
}

/** Deep merge of an applied configuration into an object (keyed lists merge by key, others replace). */
function merge(base: unknown, patch: unknown): unknown {
  if (patch && typeof patch === 'object' && !Array.isArray(patch) && base && typeof base === 'object' && !Array.isArray(base)) {
    const out: Obj = { ...(base as Obj) };
    for (const [k, v] of Object.entries(patch as Obj)) out[k] = v === null ? undefined : merge((base as Obj)[k], v);
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    return out;
  }
  if (Array.isArray(patch) && Array.isArray(base)) {
    const key = listKey(patch);
    if (key && listKey(base) === key) {
      const out = base.map((b) => {
        const p = patch.find((x) => (x as Obj)[key] === (b as Obj)[key]);
        return p ? merge(b, p) : b;
      });
      for (const p of patch) if (!base.some((b) => (b as Obj)[key] === (p as Obj)[key])) out.push(p);
      return out;
    }
  }
  return structuredClone(patch);
}

function fieldsV1(fields: FieldSet): Obj {
  const root: Obj = {};
  for (const f of fields) {
    let cur = root;
    for (const s of JSON.parse(f) as Segment[]) {
      const k = typeof s === 'string' ? `f:${s}` : `k:${JSON.stringify({ [s.key]: s.value })}`;
      cur = cur[k] ??= {};
    }
  }
  return root;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v as Obj).sort().map((k) => [k, sortKeys((v as Obj)[k])]));
  return v;
}

// --- label selectors ----------------------------------------------------------

export function parseSelector(sel: string | undefined): (labels: Record<string, string>) => boolean {
  if (!sel) return () => true;
  const reqs: Array<(l: Record<string, string>) => boolean> = [];
  // Split on commas outside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of sel) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts.map((p) => p.trim()).filter(Boolean)) {
    let m: RegExpExecArray | null;
    if ((m = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(raw))) {
      const [, k, op, vs] = m;
      const values = vs!.split(',').map((v) => v.trim());
      reqs.push(op === 'in' ? (l) => l[k!] !== undefined && values.includes(l[k!]!) : (l) => l[k!] === undefined || !values.includes(l[k!]!));
    } else if ((m = /^([^\s!=]+)\s*!=\s*(.*)$/.exec(raw))) {
      const [, k, v] = m;
      reqs.push((l) => l[k!] !== v);
    } else if ((m = /^([^\s!=]+)\s*==?\s*(.*)$/.exec(raw))) {
      const [, k, v] = m;
      reqs.push((l) => l[k!] === v);
    } else if ((m = /^!\s*(\S+)$/.exec(raw))) {
      const k = m[1]!;
      reqs.push((l) => l[k] === undefined);
    } else {
      reqs.push((l) => l[raw] !== undefined);
    }
  }
  return (labels) => reqs.every((r) => r(labels));
}

// --- the server -----------------------------------------------------------------

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  readonly faults: Fault[] = [];
  private readonly store = new Map<string, Stored>();
  private readonly watchers = new Set<Watcher>();
  /** Changes a watch from a resourceVersion replays; versions before `oldestWatchable` are gone (410). */
  private readonly history: HistoryEvent[] = [];
  private oldestWatchable = 0;
  private server: http.Server | undefined;
  private rv = 1;
  /** Kept across stop/start so a kubeconfig stays valid. */
  private port = 0;

  private tlsPair(): { key: string; cert: string } | undefined {
    return this.options.tls === false ? undefined : this.options.tls ?? localhostCert();
  }

  /** The certificate clients should trust (undefined for plain HTTP). */
  get caCert(): string | undefined {
    return this.tlsPair()?.cert;
  }
  private uid = 0;
  url = '';

  constructor(private readonly options: FakeApiServerOptions = {}) {
    for (const ns of ['default', 'kube-system']) this.put(RESOURCES[0]!, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }

  async start(): Promise<this> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res);
    const tls = this.tlsPair();
    this.server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `${tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.res.end();
    this.watchers.clear();
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections?.();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** A kubeconfig file pointing at this server. */
  writeKubeconfig(path: string, opts: { token?: string; context?: string; namespace?: string; ca?: string } = {}): string {
    // The port is fixed from the first start, so a kubeconfig stays valid across stop/start.
    const ctx = opts.context ?? 'fake';
    const lines = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: fake`,
      '  cluster:',
      `    server: ${this.url}`,
      // `ca: ''` leaves the CA out (to test that TLS verification stays on).
      ...((opts.ca ?? this.caCert) ? [`    certificate-authority-data: ${Buffer.from((opts.ca ?? this.caCert)!).toString('base64')}`] : []),
      'users:',
      '- name: fake-user',
      '  user:',
      `    token: ${opts.token ?? 'fake-token'}`,
      'contexts:',
      `- name: ${ctx}`,
      '  context:',
      '    cluster: fake',
      '    user: fake-user',
      `    namespace: ${opts.namespace ?? 'default'}`,
      `current-context: ${ctx}`,
    ];
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  }

  /**
   * What a real server does when its watch cache lets old versions go
   * (compaction): every open watch ends with an ERROR event (410 Expired),
   * and a watch from any version seen so far is refused the same way.
   */
  expireWatches(): void {
    this.oldestWatchable = this.rv + 1;
    this.history.length = 0;
    for (const w of this.watchers) w.res.end(JSON.stringify({ type: 'ERROR', object: this.expiredStatus() }) + '\n');
    this.watchers.clear();
  }

  /** A BOOKMARK (the current resourceVersion) to each open watch that allowed bookmarks. */
  bookmark(): void {
    for (const w of this.watchers) {
      if (!w.bookmarks) continue;
      const apiVersion = w.def.group ? `${w.def.group}/${w.def.version}` : w.def.version;
      w.res.write(JSON.stringify({ type: 'BOOKMARK', object: { apiVersion, kind: w.def.kind, metadata: { resourceVersion: String(this.rv) } } }) + '\n');
    }
  }

  /** Open watches (what a test waits for before changing something). */
  get openWatches(): number {
    return this.watchers.size;
  }

  private expiredStatus(): Obj {
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version', reason: 'Expired', code: 410 };
  }

  inject(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Mutating requests answered with success that were not dry runs. */
  get writes(): number {
    return this.requests.filter((r) => r.method !== 'GET' && r.query.dryRun !== 'All' && r.status >= 200 && r.status < 300).length;
  }

  /** Like `writes`, without those to Leases (vela's lock): the writes to an app's objects and inventory. */
  get appWrites(): number {
    return this.requests.filter((r) => r.method !== 'GET' && r.query.dryRun !== 'All' && r.status >= 200 && r.status < 300 && !/\/leases(\/|$)/.test(r.path)).length;
  }

  /** The stored object, if any (a copy). */
  object(kind: string, name: string, namespace?: string): Obj | undefined {
    const def = RESOURCES.find((r) => r.kind === kind);
    if (!def) return undefined;
    const s = this.store.get(this.key(def, def.namespaced ? namespace ?? 'default' : undefined, name));
    return s ? structuredClone(this.render(s)) : undefined;
  }

  objects(kind?: string): Obj[] {
    return [...this.store.values()].map((s) => this.render(s)).filter((o) => !kind || o.kind === kind);
  }

  /** Put an object as another field manager would (an `Update`), e.g. a controller setting status. */
  seed(obj: Obj, manager = 'seed'): void {
    const def = RESOURCES.find((r) => r.kind === obj.kind);
    if (!def) throw new Error(`fake apiserver: unknown kind ${obj.kind}`);
    const o = structuredClone(obj);
    const stored = this.put(def, o);
    stored.managers = [{ manager, operation: 'Update', apiVersion: String(o.apiVersion), time: new Date().toISOString(), fields: new Set(pathsOf(o).keys()) }];
  }

  private key(def: ResourceDef, ns: string | undefined, name: string): string {
    return `${def.group}/${def.resource}/${ns ?? ''}/${name}`;
  }

  private put(def: ResourceDef, obj: Obj): Stored {
    obj.metadata ??= {};
    obj.metadata.uid ??= `uid-${++this.uid}`;
    obj.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    obj.metadata.resourceVersion = String(++this.rv);
    if (def.hasGeneration) obj.metadata.generation ??= 1;
    const k = this.key(def, def.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name);
    const existing = this.store.get(k);
    const stored: Stored = existing ? { obj, managers: existing.managers } : { obj, managers: [] };
    this.store.set(k, stored);
    this.notify(existing ? 'MODIFIED' : 'ADDED', def, stored);
    return stored;
  }

  private render(s: Stored): Obj {
    const o = structuredClone(s.obj);
    if (s.managers.length) {
      o.metadata.managedFields = s.managers.map((m) => ({ manager: m.manager, operation: m.operation, apiVersion: m.apiVersion, time: m.time, fieldsType: 'FieldsV1', fieldsV1: fieldsV1(m.fields) }));
    }
    return o;
  }

  private notify(type: string, def: ResourceDef, s: Stored): void {
    const object = this.render(s);
    // A deletion is a change of its own, with a version of its own.
    if (type === 'DELETED') object.metadata.resourceVersion = String(++this.rv);
    this.history.push({ rv: Number(object.metadata.resourceVersion), type, def, object });
    if (this.history.length > 2000) this.history.shift();
    for (const w of this.watchers) {
      if (w.def !== def) continue;
      if (w.namespace && s.obj.metadata?.namespace !== w.namespace) continue;
      if (!w.selector(s.obj.metadata?.labels ?? {})) continue;
      if (w.name && s.obj.metadata?.name !== w.name) continue;
      w.res.write(JSON.stringify({ type, object }) + '\n');
    }
  }

  private record(req: http.IncomingMessage, url: URL): RecordedRequest {
    const r: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), contentType: req.headers['content-type'], status: 0 };
    this.requests.push(r);
    return r;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const rec = this.record(req, url);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };
    try {
      const fault = this.faults.find(
        (f) =>
          (f.times ?? 1) > 0 &&
          (!f.method || f.method === req.method) &&
          (f.dryRun === undefined || f.dryRun === (url.searchParams.get('dryRun') === 'All')) &&
          (!f.path || (typeof f.path === 'string' ? url.pathname.includes(f.path) : f.path.test(url.pathname))),
      );
      if (fault) {
        fault.times = (fault.times ?? 1) - 1;
        if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
        if (fault.drop) {
          req.socket.destroy();
          return;
        }
        if (fault.status) {
          throw Object.assign(new HttpError(fault.status, fault.reason ?? 'InternalError', fault.message ?? `injected ${fault.status}`, fault.causes), { retryAfter: fault.retryAfter });
        }
      }
      const user = this.authenticate(req);
      const out = this.route(req.method ?? 'GET', url, body, req.headers['content-type'] ?? '', user, res);
      if (out === 'streaming') {
        rec.status = 200;
        return;
      }
      send(out.status, out.body);
    } catch (err) {
      if (err instanceof HttpError) {
        const headers: Record<string, string> = {};
        const ra = (err as HttpError & { retryAfter?: number }).retryAfter;
        if (ra !== undefined) headers['Retry-After'] = String(ra);
        const details = { ...err.details, ...(err.causes ? { causes: err.causes } : {}) };
        send(err.status, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: err.reason, code: err.status, ...(Object.keys(details).length ? { details } : {}) }, headers);
      } else {
        send(500, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: String((err as Error).message), reason: 'InternalError', code: 500 });
      }
    }
  }

  private authenticate(req: http.IncomingMessage): string {
    if (!this.options.tokens) return 'admin';
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const user = m ? this.options.tokens[m[1]!] : undefined;
    if (!user) throw new HttpError(401, 'Unauthorized', 'Unauthorized');
    return user;
  }

  private route(method: string, url: URL, body: string, contentType: string, user: string, res: http.ServerResponse): { status: number; body: unknown } | 'streaming' {
    const p = url.pathname.replace(/\/$/, '');
    if (p === '/version') return { status: 200, body: { major: '1', minor: '20', gitVersion: this.options.gitVersion ?? 'v1.20.2-fake', platform: 'linux/amd64' } };
    if (p === '/api') return { status: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] } };
    if (p === '/apis') {
      const groups = [...new Set(RESOURCES.filter((r) => r.group).map((r) => `${r.group}/${r.version}`))].map((gv) => {
        const [name, version] = gv.split('/');
        return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
      });
      return { status: 200, body: { kind: 'APIGroupList', apiVersion: 'v1', groups } };
    }
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?(?:\/([^/]+))?(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(p);
    if (!m) throw new HttpError(404, 'NotFound', `the server could not find the requested resource (${p})`);
    const group = m[2] ?? '';
    const version = m[1] ?? m[3]!;
    let namespace: string | undefined = m[4];
    let resource: string | undefined = m[5];
    let name: string | undefined = m[6];
    // `/api/v1/namespaces/NAME` is the namespace object itself.
    if (namespace !== undefined && resource === undefined) {
      resource = 'namespaces';
      name = namespace;
      namespace = undefined;
    }
    const defs = RESOURCES.filter((r) => r.group === group && r.version === version);
    if (!defs.length) throw new HttpError(404, 'NotFound', `the server could not find the requested resource`);
    if (resource === undefined) {
      return {
        status: 200,
        body: {
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: group ? `${group}/${version}` : version,
          resources: defs.map((d) => ({ name: d.resource, singularName: d.kind.toLowerCase(), shortNames: d.shortNames ?? [], namespaced: d.namespaced, kind: d.kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] })),
        },
      };
    }
    const def = defs.find((d) => d.resource === resource);
    if (!def) throw new HttpError(404, 'NotFound', `the server could not find the requested resource`);
    const verb = method === 'GET' ? (name ? 'get' : url.searchParams.get('watch') ? 'watch' : 'list') : method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch' : 'delete';
    if (this.options.authorize && !this.options.authorize(user, verb, resource, namespace)) {
      const gr = def.group ? `${def.resource}.${def.group}` : def.resource;
      const what = name ? `${gr} "${name}" is forbidden` : `${gr} is forbidden`;
      throw new HttpError(403, 'Forbidden', `${what}: User "${user}" cannot ${verb} resource "${def.resource}" in API group "${def.group}"${namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'}`);
    }
    const dryRun = url.searchParams.get('dryRun') === 'All';
    const sub = m[7];
    if (sub !== undefined) {
      // Only pods/log: the text of the `fake.vela.dev/log-<container>` annotation (or `-` for the first container).
      if (def.kind !== 'Pod' || sub !== 'log' || method !== 'GET') throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
      const s = this.store.get(this.key(def, namespace, name!));
      if (!s) throw new HttpError(404, 'NotFound', `pods "${name}" not found`);
      const container = url.searchParams.get('container') ?? s.obj.spec?.containers?.[0]?.name;
      const text = String(s.obj.metadata?.annotations?.[`fake.vela.dev/log-${container}`] ?? '');
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(text);
      return 'streaming';
    }
    if (method === 'GET' && !name) return this.list(def, namespace, url, res);
    if (method === 'GET') {
      const s = this.store.get(this.key(def, namespace, name!));
      if (!s) throw new HttpError(404, 'NotFound', `${def.group ? `${def.resource}.${def.group}` : def.resource} "${name}" not found`);
      return { status: 200, body: this.render(s) };
    }
    if (method === 'DELETE') {
      const k = this.key(def, namespace, name!);
      const s = this.store.get(k);
      if (!s) throw new HttpError(404, 'NotFound', `${def.group ? `${def.resource}.${def.group}` : def.resource} "${name}" not found`);
      const preconditions = ((body ? JSON.parse(body) : {}) as { preconditions?: { uid?: string; resourceVersion?: string } }).preconditions;
      if (preconditions?.uid && preconditions.uid !== s.obj.metadata.uid) throw new HttpError(409, 'Conflict', `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${s.obj.metadata.uid}`);
      if (preconditions?.resourceVersion && preconditions.resourceVersion !== s.obj.metadata.resourceVersion) {
        throw new HttpError(409, 'Conflict', `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${s.obj.metadata.resourceVersion}`);
      }
      if (!dryRun) {
        this.store.delete(k);
        if (def.kind === 'Namespace') for (const key of [...this.store.keys()]) if (key.split('/')[2] === name) this.store.delete(key);
        this.notify('DELETED', def, s);
      }
      return { status: 200, body: { kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name, kind: def.resource } } };
    }
    const payload = (contentType.includes('yaml') ? parseYaml(body) : JSON.parse(body || '{}')) as Obj;
    if (def.namespaced && namespace && !this.store.has(this.key(RESOURCES[0]!, undefined, namespace))) {
      throw new HttpError(404, 'NotFound', `namespaces "${namespace}" not found`, undefined, { name: namespace, kind: 'namespaces' });
    }
    if (method === 'POST') return this.create(def, namespace, payload, url, dryRun);
    if (method === 'PUT') return this.update(def, namespace, name!, payload, url, dryRun);
    if (method === 'PATCH') {
      if (contentType.startsWith('application/apply-patch')) return this.apply(def, namespace, name!, payload, url, dryRun);
      return this.mergePatch(def, namespace, name!, payload, url, dryRun);
    }
    throw new HttpError(405, 'MethodNotAllowed', `method ${method} not allowed`);
  }

  private list(def: ResourceDef, namespace: string | undefined, url: URL, res: http.ServerResponse): { status: number; body: unknown } | 'streaming' {
    const selector = parseSelector(url.searchParams.get('labelSelector') ?? undefined);
    const fieldSel = url.searchParams.get('fieldSelector');
    const nameIs = fieldSel ? /metadata\.name=([^,]+)/.exec(fieldSel)?.[1] : undefined;
    const items = [...this.store.values()]
      .filter((s) => s.obj.kind === def.kind && (!namespace || s.obj.metadata?.namespace === namespace) && selector(s.obj.metadata?.labels ?? {}) && (!nameIs || s.obj.metadata?.name === nameIs))
      .map((s) => this.render(s));
    if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      const rv = url.searchParams.get('resourceVersion');
      const matches = (obj: Obj) => (!namespace || obj.metadata?.namespace === namespace) && selector(obj.metadata?.labels ?? {}) && (!nameIs || obj.metadata?.name === nameIs);
      if (!rv || rv === '0') for (const o of items) res.write(JSON.stringify({ type: 'ADDED', object: o }) + '\n');
      else if (Number(rv) < this.oldestWatchable) {
        // As a real server answers a version it no longer has: 200, then one ERROR event.
        res.end(JSON.stringify({ type: 'ERROR', object: this.expiredStatus() }) + '\n');
        return 'streaming';
      } else {
        for (const e of this.history) if (e.rv > Number(rv) && e.def === def && matches(e.object)) res.write(JSON.stringify({ type: e.type, object: e.object }) + '\n');
      }
      const w: Watcher = { def, namespace, selector, name: nameIs, bookmarks: url.searchParams.get('allowWatchBookmarks') === 'true', res };
      this.watchers.add(w);
      const timeout = Number(url.searchParams.get('timeoutSeconds') ?? 0);
      const t = timeout ? setTimeout(() => res.end(), timeout * 1000) : undefined;
      res.on('close', () => {
        if (t) clearTimeout(t);
        this.watchers.delete(w);
      });
      return 'streaming';
    }
    return { status: 200, body: { kind: `${def.kind}List`, apiVersion: def.group ? `${def.group}/${def.version}` : def.version, metadata: { resourceVersion: String(this.rv) }, items } };
  }

  private ensureIdentity(def: ResourceDef, namespace: string | undefined, payload: Obj, name?: string): void {
    const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
    if (payload.kind && payload.kind !== def.kind) throw new HttpError(400, 'BadRequest', `kind ${payload.kind} does not match ${def.kind}`);
    payload.apiVersion = apiVersion;
    payload.kind = def.kind;
    payload.metadata ??= {};
    if (name && payload.metadata.name && payload.metadata.name !== name) throw new HttpError(400, 'BadRequest', 'the name of the object does not match the name on the URL');
    if (name) payload.metadata.name = name;
    if (!payload.metadata.name) throw new HttpError(422, 'Invalid', `${def.kind} "" is invalid: metadata.name: Required value: name or generateName is required`, [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
    if (def.namespaced) payload.metadata.namespace = namespace ?? payload.metadata.namespace ?? 'default';
    else delete payload.metadata.namespace;
  }

  /** A little of the server's validation, enough to exercise 422 handling. */
  private validate(def: ResourceDef, o: Obj): void {
    if (def.kind === 'Deployment') {
      const containers = o.spec?.template?.spec?.containers;
      if (!Array.isArray(containers) || !containers.length) {
        throw new HttpError(422, 'Invalid', `Deployment.apps "${o.metadata.name}" is invalid: spec.template.spec.containers: Required value`, [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.template.spec.containers' }]);
      }
      for (const [i, c] of containers.entries()) {
        if (!c.image) throw new HttpError(422, 'Invalid', `Deployment.apps "${o.metadata.name}" is invalid: spec.template.spec.containers[${i}].image: Required value`, [{ reason: 'FieldValueRequired', message: 'Required value', field: `spec.template.spec.containers[${i}].image` }]);
      }
    }
  }

  private bumpGeneration(def: ResourceDef, before: Obj | undefined, after: Obj): void {
    if (!def.hasGeneration) return;
    after.metadata.generation = before ? (deepEqual(before.spec, after.spec) ? before.metadata.generation ?? 1 : (before.metadata.generation ?? 1) + 1) : 1;
  }

  private create(def: ResourceDef, namespace: string | undefined, payload: Obj, url: URL, dryRun: boolean): { status: number; body: unknown } {
    this.ensureIdentity(def, namespace, payload);
    this.validate(def, payload);
    const k = this.key(def, def.namespaced ? payload.metadata.namespace : undefined, payload.metadata.name);
    if (this.store.has(k)) throw new HttpError(409, 'AlreadyExists', `${def.group ? `${def.resource}.${def.group}` : def.resource} "${payload.metadata.name}" already exists`);
    const manager = url.searchParams.get('fieldManager') ?? 'unknown';
    const fields = new Set(pathsOf(payload).keys());
    if (dryRun) return { status: 201, body: { ...payload, metadata: { ...payload.metadata, uid: 'dry-run', creationTimestamp: new Date().toISOString() } } };
    const s = this.put(def, payload);
    s.managers = [{ manager, operation: 'Update', apiVersion: String(payload.apiVersion), time: new Date().toISOString(), fields }];
    return { status: 201, body: this.render(s) };
  }

  private update(def: ResourceDef, namespace: string | undefined, name: string, payload: Obj, url: URL, dryRun: boolean): { status: number; body: unknown } {
    this.ensureIdentity(def, namespace, payload, name);
    const k = this.key(def, namespace, name);
    const s = this.store.get(k);
    if (!s) throw new HttpError(404, 'NotFound', `${def.resource} "${name}" not found`);
    if (payload.metadata.resourceVersion && payload.metadata.resourceVersion !== s.obj.metadata.resourceVersion) {
      throw new HttpError(409, 'Conflict', `Operation cannot be fulfilled on ${def.resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    return this.commitUpdate(def, s, { ...payload, metadata: { ...payload.metadata, uid: s.obj.metadata.uid, creationTimestamp: s.obj.metadata.creationTimestamp } }, url.searchParams.get('fieldManager') ?? 'unknown', dryRun);
  }

  private mergePatch(def: ResourceDef, namespace: string | undefined, name: string, payload: Obj, url: URL, dryRun: boolean): { status: number; body: unknown } {
    const s = this.store.get(this.key(def, namespace, name));
    if (!s) throw new HttpError(404, 'NotFound', `${def.resource} "${name}" not found`);
    const next = merge(s.obj, payload) as Obj;
    this.ensureIdentity(def, namespace, next, name);
    return this.commitUpdate(def, s, next, url.searchParams.get('fieldManager') ?? 'unknown', dryRun);
  }

  private commitUpdate(def: ResourceDef, s: Stored, next: Obj, manager: string, dryRun: boolean): { status: number; body: unknown } {
    this.validate(def, next);
    const before = s.obj;
    const changed = new Set([...pathsOf(next)].filter(([, segs]) => !deepEqual(getAt(before, segs), getAt(next, segs))).map(([k]) => k));
    const managers = s.managers.map((m) => ({ ...m, fields: new Set([...m.fields].filter((f) => !changed.has(f))) }));
    let mine = managers.find((m) => m.manager === manager && m.operation === 'Update');
    if (!mine) managers.push((mine = { manager, operation: 'Update', apiVersion: String(next.apiVersion), time: '', fields: new Set() }));
    for (const f of changed) mine.fields.add(f);
    mine.time = new Date().toISOString();
    this.bumpGeneration(def, before, next);
    if (dryRun) return { status: 200, body: this.render({ obj: { ...next, metadata: { ...next.metadata, resourceVersion: before.metadata.resourceVersion } }, managers }) };
    const stored = this.put(def, next);
    stored.managers = managers.filter((m) => m.fields.size);
    return { status: 200, body: this.render(stored) };
  }

  /** Server-side apply: ownership per leaf field, conflicts with other managers unless forced. */
  private apply(def: ResourceDef, namespace: string | undefined, name: string, payload: Obj, url: URL, dryRun: boolean): { status: number; body: unknown } {
    const manager = url.searchParams.get('fieldManager');
    if (!manager) throw new HttpError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }]);
    const force = url.searchParams.get('force') === 'true';
    this.ensureIdentity(def, namespace, payload, name);
    const k = this.key(def, def.namespaced ? payload.metadata.namespace : undefined, name);
    const s = this.store.get(k);
    const applied = pathsOf(payload);
    const now = new Date().toISOString();
    if (!s) {
      const obj = structuredClone(payload);
      this.validate(def, obj);
      if (dryRun) return { status: 201, body: this.render({ obj: { ...obj, metadata: { ...obj.metadata, uid: 'dry-run', creationTimestamp: now } }, managers: [{ manager, operation: 'Apply', apiVersion: obj.apiVersion, time: now, fields: new Set(applied.keys()) }] }) };
      const stored = this.put(def, obj);
      stored.managers = [{ manager, operation: 'Apply', apiVersion: obj.apiVersion, time: now, fields: new Set(applied.keys()) }];
      return { status: 201, body: this.render(stored) };
    }
    const live = s.obj;
    // Conflicts: a field we set to a different value that another manager owns.
    const conflicts: Array<{ manager: string; apiVersion: string; path: string; key: string }> = [];
    for (const [key, segs] of applied) {
      const differs = !deepEqual(getAt(live, segs), getAt(payload, segs));
      if (!differs) continue;
      for (const m of s.managers) if (m.manager !== manager && m.fields.has(key)) conflicts.push({ manager: m.manager, apiVersion: m.apiVersion, path: formatPath(segs), key });
    }
    const managers = s.managers.map((m) => ({ ...m, fields: new Set(m.fields) }));
    if (conflicts.length && !force) {
      const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${c.apiVersion}`, field: c.path }));
      const list = conflicts.map((c) => `conflict with "${c.manager}" using ${c.apiVersion}: ${c.path}`).join('\n- ');
      throw new HttpError(409, 'Conflict', `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ${conflicts.length === 1 ? list : `\n- ${list}`}`, causes);
    }
    for (const c of conflicts) for (const m of managers) if (m.manager !== manager) m.fields.delete(c.key);
    // Fields we owned and no longer apply are removed unless someone else owns them.
    let next = structuredClone(live);
    const prev = managers.find((m) => m.manager === manager && m.operation === 'Apply');
    if (prev) {
      for (const f of prev.fields) {
        if (applied.has(f)) continue;
        if (managers.some((m) => m !== prev && m.fields.has(f))) continue;
        deleteAt(next, JSON.parse(f) as Segment[]);
      }
    }
    next = merge(next, payload) as Obj;
    this.validate(def, next);
    next.metadata = { ...next.metadata, resourceVersion: live.metadata.resourceVersion };
    const mine = prev ?? { manager, operation: 'Apply' as const, apiVersion: String(payload.apiVersion), time: now, fields: new Set<string>() };
    const ownershipChanged = !prev || prev.fields.size !== applied.size || [...applied.keys()].some((f) => !prev.fields.has(f)) || conflicts.length > 0;
    mine.fields = new Set(applied.keys());
    if (!prev) managers.push(mine);
    const finalManagers = managers.filter((m) => m.fields.size);
    const changed = !deepEqual(live, next) || ownershipChanged;
    if (!changed) return { status: 200, body: this.render({ obj: live, managers: s.managers }) };
    mine.time = now;
    this.bumpGeneration(def, live, next);
    if (dryRun) return { status: 200, body: this.render({ obj: next, managers: finalManagers }) };
    const stored = this.put(def, next);
    stored.managers = finalManagers;
    return { status: 200, body: this.render(stored) };
  }
}
