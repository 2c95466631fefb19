/**
 * The checks the Kubernetes API server makes that its OpenAPI schemas do not
 * express (the schemas say "integer", the server says "between 1 and
 * 65535"), so that what vela accepts the server accepts too. Each rule
 * follows the validation of Kubernetes 1.20 (pkg/apis/core/validation and
 * apimachinery's util/validation), the oldest version vela targets; later
 * versions relaxed none of them. Lists that server-side apply merges by key
 * (env by name, ports by number and protocol) must not repeat a key, and in
 * Kubernetes 1.20 a Service port needs its `protocol` (the key has no default
 * there). Pure: an object in, problems out, each at the
 * field path the API server would name (`spec.ports[0].port`), so that the
 * Appfile position of the value that made it can be found.
 */
import type { JsonObject, JsonValue } from '../appfile/index.js';
import type { ClusterVersion } from './render-app.js';

export interface FieldProblem {
  /** The field as the API server names it: `spec.template.spec.containers[0].ports[0].name`. */
  readonly field: string;
  readonly message: string;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** IsEnvVarName of Kubernetes 1.20: a C identifier, also allowing `-` and `.`. */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
/** A quantity: a signed decimal, then a binary-SI, decimal-SI or exponent suffix (apimachinery's resource.ParseQuantity). */
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
/** Standard base64 with padding, as Go decodes `[]byte` fields (it skips line breaks). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const WORKLOAD_POD_SPECS: Record<string, readonly string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  ReplicationController: ['spec', 'template'],
  PodTemplate: ['template'],
};

const isObj = (x: unknown): x is JsonObject => x !== null && typeof x === 'object' && !Array.isArray(x);
const show = (v: unknown) => JSON.stringify(v);

class Checker {
  readonly problems: FieldProblem[] = [];

  add(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  dnsLabel(field: string, v: unknown, what = 'a DNS-1123 label'): void {
    if (typeof v !== 'string') return;
    if (v.length > 63 || !DNS1123_LABEL.test(v)) this.add(field, `${show(v)} is not ${what}: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters`);
  }

  /** A label or annotation key of the map at `parent` (its field, `parent.key`, is only spelt out for a problem). */
  qualifiedName(parent: string, key: string): void {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
      this.add(`${parent}.${key}`, `key ${show(key)}: the prefix before '/' must be a DNS subdomain (lower-case letters, digits, '-' and '.')`);
    } else if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
      this.add(`${parent}.${key}`, `key ${show(key)} is not a valid name: letters, digits, '-', '_' and '.', starting and ending with a letter or digit, at most 63 characters (optionally after a DNS prefix and '/')`);
    }
  }

  labels(field: string, v: unknown): void {
    if (!isObj(v)) return;
    for (const key of Object.keys(v)) {
      const value = v[key];
      this.qualifiedName(field, key);
      if (typeof value === 'string' && (value.length > 63 || !LABEL_VALUE.test(value))) {
        this.add(`${field}.${key}`, `label value ${show(value)} is not valid: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit`);
      }
    }
  }

  annotations(field: string, v: unknown): void {
    if (!isObj(v)) return;
    for (const key of Object.keys(v)) this.qualifiedName(field, key);
  }

  /** A port number: 1–65535, or also 0 where 0 means "none" (hostPort, nodePort). */
  portNumber(field: string, v: unknown, allowZero = false): void {
    if (typeof v !== 'number' || !Number.isInteger(v)) return;
    if (v > 65535 || v < (allowZero ? 0 : 1)) this.add(field, `${v} is not a valid port number: it must be between ${allowZero ? 0 : 1} and 65535`);
  }

  /** IANA_SVC_NAME: the name of a container port, and a port referred to by name. */
  portName(field: string, v: unknown): void {
    if (typeof v !== 'string') return;
    const problem =
      v.length > 15
        ? 'at most 15 characters'
        : !/^[-a-z0-9]+$/.test(v)
          ? "only lower-case letters, digits and '-'"
          : !/[a-z]/.test(v)
            ? 'at least one letter'
            : v.startsWith('-') || v.endsWith('-')
              ? "no '-' at the start or end"
              : v.includes('--')
                ? "no '--'"
                : undefined;
    if (problem) this.add(field, `port name ${show(v)} is not valid (IANA_SVC_NAME): ${problem}`);
  }

  /** A port given as a number or a name (targetPort, a probe's port). */
  intOrPortName(field: string, v: unknown): void {
    if (typeof v === 'number') this.portNumber(field, v);
    else if (typeof v === 'string' && !/^\d+$/.test(v)) this.portName(field, v);
    else if (typeof v === 'string') this.portNumber(field, Number(v));
  }

  quantity(field: string, v: unknown): number | undefined {
    if (typeof v === 'number') {
      // kubectl's client-side apply takes a number; server-side apply (what vela does) refuses it in Kubernetes 1.20 ("expected string").
      this.add(field, `${v} must be written as a string ("${v}"): server-side apply, which vela uses, refuses a number here`);
      return undefined;
    }
    if (typeof v !== 'string') return undefined;
    const m = QUANTITY.exec(v.trim());
    if (!m) {
      this.add(field, `${show(v)} is not a quantity: a number with an optional unit, like 100m, 0.5, 128Mi or 1G`);
      return undefined;
    }
    if (m[1] === '-' && Number(m[2]) !== 0) {
      this.add(field, `${show(v)} must not be negative`);
      return undefined;
    }
    return quantityValue(m[2]!, m[3]);
  }

  /** Counts and durations: the schema says int32 (and checks its range), the server adds "not negative". */
  nonNegative(field: string, v: unknown): void {
    if (typeof v === 'number' && v < 0) this.add(field, `${v} must not be negative`);
  }
}

const SUFFIX: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

function quantityValue(number: string, suffix: string | undefined): number {
  if (suffix === undefined) return Number(number);
  if (/^[eE]/.test(suffix)) return Number(number) * 10 ** Number(suffix.slice(1));
  return Number(number) * SUFFIX[suffix]!;
}

export interface ApiRuleOptions {
  /** The target cluster's version: some rules hold only up to a version. */
  readonly clusterVersion?: ClusterVersion;
}

/** What the API server would refuse in this object, beyond its schema. */
export function apiServerProblems(o: JsonObject, opts: ApiRuleOptions = {}): FieldProblem[] {
  const c = new Checker();
  const kind = typeof o.kind === 'string' ? o.kind : '';
  const meta = isObj(o.metadata) ? o.metadata : {};
  if (kind === 'Service' && typeof meta.name === 'string' && (meta.name.length > 63 || !DNS1035_LABEL.test(meta.name))) {
    c.add('metadata.name', `${show(meta.name)} is not a valid Service name (DNS-1035 label): lower-case letters, digits and '-', starting with a letter, at most 63 characters`);
  }
  if (kind === 'Namespace') c.dnsLabel('metadata.name', meta.name);
  c.labels('metadata.labels', meta.labels);
  c.annotations('metadata.annotations', meta.annotations);

  // Pods of a CronJob's Jobs are named after it with 11 characters more; a Job's name is a label value of its pods.
  const maxName = kind === 'CronJob' ? 52 : kind === 'Job' ? 63 : undefined;
  if (maxName !== undefined && typeof meta.name === 'string' && meta.name.length > maxName) c.add('metadata.name', `a ${kind} name must be at most ${maxName} characters (this one has ${meta.name.length})`);
  if (kind === 'Service') checkService(c, isObj(o.spec) ? o.spec : {}, !opts.clusterVersion || (opts.clusterVersion.major === 1 && opts.clusterVersion.minor <= 20));
  if (kind === 'HorizontalPodAutoscaler') checkAutoscaler(c, isObj(o.spec) ? o.spec : {});
  if (kind === 'CronJob') {
    const schedule = isObj(o.spec) ? o.spec.schedule : undefined;
    const problem = typeof schedule === 'string' ? cronProblem(schedule) : 'is required';
    if (problem) c.add('spec.schedule', `${typeof schedule === 'string' ? `${show(schedule)} ` : ''}${problem}`);
  }
  if (kind === 'ConfigMap' || kind === 'Secret') {
    for (const section of kind === 'Secret' ? ['data', 'stringData'] : ['data', 'binaryData']) {
      const d = o[section];
      if (!isObj(d)) continue;
      for (const [key, value] of Object.entries(d)) {
        if (key.length > 253 || !CONFIG_MAP_KEY.test(key)) c.add(`${section}[${key}]`, `key ${show(key)} is not valid: letters, digits, '-', '_' and '.', at most 253 characters`);
        // The value is not shown: it may be a secret.
        if ((section === 'data' && kind === 'Secret') || section === 'binaryData') {
          if (typeof value === 'string' && !BASE64.test(value.replace(/[\r\n]/g, ''))) c.add(`${section}[${key}]`, 'the value is not valid base64 (use stringData for plain text)');
        }
      }
    }
  }

  const podPath = kind === 'Pod' ? [] : WORKLOAD_POD_SPECS[kind];
  if (podPath) {
    let template: JsonValue | undefined = o;
    for (const k of podPath) template = isObj(template) ? template[k] : undefined;
    const base = podPath.join('.');
    if (isObj(template)) {
      if (kind !== 'Pod') {
        const templateMeta = isObj(template.metadata) ? template.metadata : {};
        c.labels(`${base}.metadata.labels`, templateMeta.labels);
        c.annotations(`${base}.metadata.annotations`, templateMeta.annotations);
      }
      const podSpec = template.spec;
      if (isObj(podSpec)) checkPodSpec(c, kind === 'Pod' ? 'spec' : `${base}.spec`, podSpec);
    }
    const spec = isObj(o.spec) ? o.spec : {};
    if (isObj(spec.selector) && kind !== 'Pod') c.labels('spec.selector.matchLabels', spec.selector.matchLabels);
    for (const f of ['replicas', 'minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds', 'parallelism', 'completions', 'backoffLimit']) c.nonNegative(`spec.${f}`, spec[f]);
  }
  return c.problems;
}

function checkService(c: Checker, spec: JsonObject, protocolRequired: boolean): void {
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  const seen = new Uniques(c);
  ports.forEach((p, i) => {
    if (!isObj(p)) return;
    const at = `spec.ports[${i}]`;
    if (protocolRequired && p.protocol === undefined) c.add(`${at}.protocol`, 'a Service port needs its protocol (TCP, UDP or SCTP): server-side apply in Kubernetes 1.20 has no default for it');
    seen.check(`${at}`, `port ${String(p.port)}/${String(p.protocol ?? 'TCP')}`);
    if (typeof p.name === 'string') seen.check(`${at}.name`, `port name ${show(p.name)}`);
    c.portNumber(`${at}.port`, p.port);
    c.portNumber(`${at}.nodePort`, p.nodePort, true);
    if (p.targetPort !== undefined) c.intOrPortName(`${at}.targetPort`, p.targetPort);
    if (p.name !== undefined) c.dnsLabel(`${at}.name`, p.name, 'a valid Service port name (DNS-1123 label)');
    else if (ports.length > 1) c.add(`${at}.name`, 'a Service with more than one port must name each of them');
  });
  if (isObj(spec.selector)) c.labels('spec.selector', spec.selector);
}

const CRON_FIELDS: readonly { name: string; min: number; max: number; names?: readonly string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** What is wrong with a CronJob schedule, as the controller's cron parser (five fields, or a descriptor) reads it. */
function cronProblem(schedule: string): string | undefined {
  const text = schedule.trim();
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(text) || /^@every \S+$/.test(text)) return undefined;
  const fields = text.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return `is not a cron schedule: it needs exactly 5 fields (minute hour day-of-month month day-of-week) or a descriptor like @hourly, and has ${fields.length}`;
  for (let i = 0; i < 5; i++) {
    const spec = CRON_FIELDS[i]!;
    const value = (v: string) => {
      const named = spec.names?.indexOf(v.toUpperCase()) ?? -1;
      if (named >= 0) return named + spec.min;
      return /^\d+$/.test(v) ? Number(v) : NaN;
    };
    for (const part of fields[i]!.split(',')) {
      const m = /^(\*|\?|[^-/]+(?:-[^-/]+)?)(?:\/(\d+))?$/.exec(part);
      const bounds = m && m[1] !== '*' && m[1] !== '?' ? m[1]!.split('-').map(value) : [];
      if (!m || (m[2] !== undefined && Number(m[2]) === 0) || bounds.some((b) => Number.isNaN(b) || b < spec.min || b > spec.max) || (bounds.length === 2 && bounds[0]! > bounds[1]!)) {
        return `is not a cron schedule: the ${spec.name} field ${show(fields[i])} is not valid (from ${spec.min} to ${spec.max})`;
      }
    }
  }
  return undefined;
}

/** Repeated keys of one list: server-side apply refuses them ("duplicate entries for key"), validation too. */
class Uniques {
  private readonly seen = new Set<string>();
  constructor(private readonly c: Checker) {}
  check(field: string, key: string): void {
    if (this.seen.has(key)) this.c.add(field, `${key} is given twice`);
    this.seen.add(key);
  }
}

function checkAutoscaler(c: Checker, spec: JsonObject): void {
  const min = spec.minReplicas;
  if (typeof min === 'number' && min < 1) c.add('spec.minReplicas', `${min} is too small: at least 1`);
  if (typeof spec.maxReplicas === 'number' && spec.maxReplicas < (typeof min === 'number' ? Math.max(min, 1) : 1)) c.add('spec.maxReplicas', `${spec.maxReplicas} must be at least minReplicas (${typeof min === 'number' ? min : 1})`);
  if (typeof spec.targetCPUUtilizationPercentage === 'number' && spec.targetCPUUtilizationPercentage <= 0) c.add('spec.targetCPUUtilizationPercentage', 'must be more than 0');
  const metrics = Array.isArray(spec.metrics) ? spec.metrics : [];
  metrics.forEach((m, i) => {
    const resource = isObj(m) && isObj(m.resource) ? m.resource : undefined;
    if (!resource) return;
    const target = isObj(resource.target) ? resource.target : {};
    for (const [field, v] of [['target.averageUtilization', target.averageUtilization], ['targetAverageUtilization', resource.targetAverageUtilization]] as const) {
      if (typeof v === 'number' && v <= 0) c.add(`spec.metrics[${i}].resource.${field}`, `${v} must be more than 0`);
    }
  });
}

function checkPodSpec(c: Checker, base: string, spec: JsonObject): void {
  const names = new Uniques(c);
  for (const list of ['initContainers', 'containers']) {
    const containers = Array.isArray(spec[list]) ? spec[list] : [];
    containers.forEach((ct, i) => {
      if (!isObj(ct)) return;
      checkContainer(c, `${base}.${list}[${i}]`, ct);
      if (typeof ct.name === 'string') names.check(`${base}.${list}[${i}].name`, `container name ${show(ct.name)}`);
    });
  }
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  const volumeNames = new Uniques(c);
  volumes.forEach((v, i) => {
    if (!isObj(v)) return;
    c.dnsLabel(`${base}.volumes[${i}].name`, v.name);
    if (typeof v.name === 'string') volumeNames.check(`${base}.volumes[${i}].name`, `volume name ${show(v.name)}`);
  });
  c.nonNegative(`${base}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds);
}

function checkContainer(c: Checker, at: string, ct: JsonObject): void {
  c.dnsLabel(`${at}.name`, ct.name);
  if (ct.image === undefined || ct.image === '') c.add(`${at}.image`, 'a container needs an image');
  const ports = Array.isArray(ct.ports) ? ct.ports : [];
  const seenPorts = new Uniques(c);
  ports.forEach((p, i) => {
    if (!isObj(p)) return;
    seenPorts.check(`${at}.ports[${i}]`, `port ${String(p.containerPort)}/${String(p.protocol ?? 'TCP')}`);
    if (typeof p.name === 'string') seenPorts.check(`${at}.ports[${i}].name`, `port name ${show(p.name)}`);
    c.portNumber(`${at}.ports[${i}].containerPort`, p.containerPort);
    c.portNumber(`${at}.ports[${i}].hostPort`, p.hostPort, true);
    c.portName(`${at}.ports[${i}].name`, p.name);
  });
  const env = Array.isArray(ct.env) ? ct.env : [];
  const envNames = new Uniques(c);
  env.forEach((e, i) => {
    if (isObj(e) && typeof e.name === 'string') envNames.check(`${at}.env[${i}].name`, `environment variable ${show(e.name)}`);
    if (isObj(e) && typeof e.name === 'string' && !ENV_VAR_NAME.test(e.name)) {
      c.add(`${at}.env[${i}].name`, `${show(e.name)} is not a valid environment variable name: letters, digits, '_', '-' and '.', not starting with a digit`);
    }
  });
  const resources = isObj(ct.resources) ? ct.resources : {};
  const requests = new Map<string, { value: number; given: JsonValue }>();
  for (const section of ['requests', 'limits']) {
    const r = resources[section];
    if (!isObj(r)) continue;
    for (const [name, given] of Object.entries(r)) {
      const value = c.quantity(`${at}.resources.${section}.${name}`, given);
      if (value === undefined) continue;
      const request = requests.get(name);
      if (section === 'requests') requests.set(name, { value, given });
      else if (request && request.value > value) c.add(`${at}.resources.requests.${name}`, `the request (${show(request.given)}) must not be more than the limit (${show(given)})`);
    }
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const p = ct[probe];
    if (!isObj(p)) continue;
    const handlers = ['exec', 'httpGet', 'tcpSocket'].filter((h) => p[h] !== undefined);
    if (handlers.length === 0) c.add(`${at}.${probe}`, 'a probe needs a handler: one of exec, httpGet or tcpSocket');
    else if (handlers.length > 1) c.add(`${at}.${probe}`, `a probe takes one handler, not ${handlers.join(' and ')}`);
    for (const h of ['httpGet', 'tcpSocket']) if (isObj(p[h])) c.intOrPortName(`${at}.${probe}.${h}.port`, (p[h] as JsonObject).port);
    for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) c.nonNegative(`${at}.${probe}.${f}`, p[f]);
  }
}
