/**
 * Which component a compose service becomes, decided before any key is
 * converted: webservice with ports (a Service to reach it by name), worker
 * without, daemon for `deploy.mode: global` (one pod per node), and task for a
 * one-off job (`restart: "no"` or `on-failure`, or the same in
 * `deploy.restart_policy`, without ports).
 */
import { describe, type LEntry } from '../yaml-tree.js';
import type { RestartPolicy, ServiceConversion, ServicePort } from './conversion.js';
import { readPort } from './ports.js';
import { wellKnownPort } from './reached-by-name.js';
import { warning } from '../../source/index.js';

export function decideType(c: ServiceConversion): void {
  c.ports = readServicePorts(c);
  const deploy = c.get('deploy');
  if (deploy && deploy.value.kind !== 'map' && !(deploy.value.kind === 'scalar' && deploy.value.value === null)) {
    c.error(`deploy must be a map (got ${describe(deploy.value)})`, deploy.value.span, 'compose/shape');
  }
  // restart: "no" / "on-failure" without ports is a batch job (a Job); anything else runs for good.
  c.restart = readRestart(c, c.get('restart'), c.deploy('restart_policy'));
  const global = isGlobal(c);
  if (c.ports.length === 0 && !global && !c.restart.job) c.ports = impliedPort(c);
  c.type = c.ports.length > 0 ? 'webservice' : 'worker';
  if (global) c.type = 'daemon';
  else if (c.restart.job && c.ports.length === 0) c.type = 'task';
  else if (c.restart.job && c.restart.span) c.ignored(`restart: ${c.restart.text} with ports: a service with ports runs as a Deployment, which always restarts its containers`, c.restart.span);
}

/**
 * A service others reach by name, without `ports` or `expose`: compose
 * networking reaches it on any port, so give it a Service on the port its image
 * is known to listen on (postgres 5432, redis 6379…), and say so.
 */
function impliedPort(c: ServiceConversion): ServicePort[] {
  const by = c.ctx.reachedBy.get(c.name);
  const imageEntry = c.get('image');
  const known = by === undefined ? undefined : wellKnownPort(imageEntry?.value.kind === 'scalar' ? String(imageEntry.value.value) : undefined);
  if (!known || !imageEntry) return [];
  c.ctx.diags.push(
    warning(`service "${c.name}" has no ports, but "${by}" reaches it by name: it gets a Service on port ${known.port}, the port ${known.repo} listens on`, imageEntry.keySpan, {
      path: `services.${c.name}`,
      code: 'compose/implied-port',
      hint: `write \`expose: ["${known.port}"]\` to say so (or the port it really listens on)`,
    }),
  );
  return [{ port: { port: known.port, protocol: 'TCP', span: imageEntry.keySpan }, path: [...c.base, 'image'] }];
}

/** `ports` and `expose`, in that order; host ports have no Kubernetes meaning, so both are container ports. */
function readServicePorts(c: ServiceConversion): ServicePort[] {
  const ports: ServicePort[] = [];
  for (const key of ['ports', 'expose'] as const) {
    const e = c.get(key);
    if (!e) continue;
    if (e.value.kind !== 'seq') {
      if (!(e.value.kind === 'scalar' && e.value.value === null)) {
        c.error(`${key} must be a list (got ${describe(e.value)})`, e.value.span, 'compose/port', key === 'ports' ? 'for example `ports: ["8080:80"]`' : 'for example `expose: ["3000"]`');
      }
      continue;
    }
    e.value.items.forEach((it, i) => {
      for (const port of readPort(it, c.ctx.diags, key)) ports.push({ port, path: [...c.base, key, i] });
    });
  }
  return ports;
}

function isGlobal(c: ServiceConversion): boolean {
  const mode = c.deploy('mode');
  if (!mode) return false;
  const v = mode.value.kind === 'scalar' ? mode.value.value : undefined;
  if (v === 'global') return true;
  if (v !== 'replicated' && v !== 'replicated-job' && v !== 'global-job') c.error(`deploy.mode must be replicated or global (got ${describe(mode.value)})`, mode.value.span, 'compose/shape');
  return false;
}

function readRestart(c: ServiceConversion, e: LEntry | undefined, policy: LEntry | undefined): RestartPolicy {
  if (e) {
    const v = e.value.kind === 'scalar' ? String(e.value.value) : '';
    // YAML 1.1 reads an unquoted `no` as false; docker compose means "no".
    if (v === 'no' || v === 'false') return { job: true, text: '"no"', span: e.keySpan, params: { restart: 'Never', backoffLimit: 0 } };
    const m = /^on-failure(?::(\d+))?$/.exec(v);
    if (m) return { job: true, text: v, span: e.keySpan, params: { restart: 'OnFailure', ...(m[1] ? { backoffLimit: Number(m[1]) } : {}) } };
    if (v === 'always' || v === 'unless-stopped') return { job: false };
    c.error(`restart must be "no", always, on-failure[:N] or unless-stopped (got ${describe(e.value)})`, e.value.span, 'compose/shape');
    return { job: false };
  }
  if (policy && policy.value.kind === 'map') {
    const condition = policy.value.entries.find((x) => x.key === 'condition');
    const max = policy.value.entries.find((x) => x.key === 'max_attempts');
    const conditionValue = condition?.value.kind === 'scalar' ? String(condition.value.value) : undefined;
    for (const x of policy.value.entries) {
      if (x.key !== 'condition' && x.key !== 'max_attempts') c.ignored(`deploy.restart_policy.${x.key} has no Kubernetes meaning here; ignored`, x.keySpan);
    }
    if (conditionValue === 'none') return { job: true, text: 'condition none', span: policy.keySpan, params: { restart: 'Never', backoffLimit: 0 }, from: 'deploy' };
    if (conditionValue === 'on-failure') {
      const n = max?.value.kind === 'scalar' && typeof max.value.value === 'number' ? max.value.value : undefined;
      return { job: true, text: 'condition on-failure', span: policy.keySpan, params: { restart: 'OnFailure', ...(n !== undefined ? { backoffLimit: n } : {}) }, from: 'deploy' };
    }
  }
  return { job: false };
}
