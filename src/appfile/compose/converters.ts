/**
 * The table of converters, one per compose key (or per group of keys that
 * only make sense together), in the order their parameters and traits appear
 * in the model: that order is what `vela convert` writes. Each converter reads
 * its keys of one service and records parameters, traits and diagnostics in
 * the ServiceConversion. The small ones live here; the others in their own
 * modules.
 */
import { didYouMean, type Span } from '../../source/index.js';
import type { JsonObject } from '../model.js';
import { describe } from '../yaml-tree.js';
import { convertCommand, convertEntrypoint } from './command.js';
import { convertDependsOn } from './compose-depends-on.js';
import type { ServiceConversion } from './conversion.js';
import { convertEnvironment } from './environment.js';
import { convertHealthcheck } from './healthcheck.js';
import { convertImageAndBuild } from './image-build.js';
import { deployKeys } from './keys.js';
import { convertLabels } from './labels.js';
import { convertResources } from './resources.js';
import { convertStorage } from './storage.js';

export interface ServiceConverter {
  /** The compose keys it reads (`deploy.*` keys as `deploy`). */
  readonly keys: readonly string[];
  readonly convert: (c: ServiceConversion) => void;
}

export const serviceConverters: readonly ServiceConverter[] = [
  { keys: ['image', 'build'], convert: convertImageAndBuild },
  { keys: ['entrypoint'], convert: convertEntrypoint },
  { keys: ['command'], convert: convertCommand },
  { keys: ['env_file', 'environment'], convert: convertEnvironment },
  { keys: ['ports', 'expose'], convert: convertPorts },
  { keys: ['healthcheck'], convert: convertHealthcheck },
  { keys: ['pull_policy'], convert: convertPullPolicy },
  { keys: ['extra_hosts'], convert: convertExtraHosts },
  { keys: ['deploy', 'cpus', 'mem_limit', 'mem_reservation'], convert: convertResources },
  { keys: ['deploy', 'scale'], convert: convertReplicas },
  { keys: ['restart', 'deploy'], convert: convertTaskRestart },
  { keys: ['deploy'], convert: convertOtherDeployKeys },
  { keys: ['volumes', 'tmpfs', 'configs', 'secrets'], convert: convertStorage },
  { keys: ['labels', 'annotations'], convert: convertLabels },
  { keys: ['depends_on'], convert: convertDependsOn },
];

/** `ports` and `expose` (read when the type was decided) → the `ports` parameter; "80:80" and "8080:80" are one container port. */
function convertPorts(c: ServiceConversion): void {
  if (!c.ports.length) return;
  const seen = new Set<string>();
  const list: JsonObject[] = [];
  for (const { port, path } of c.ports) {
    const id = `${port.port}/${port.protocol}`;
    if (seen.has(id)) continue;
    seen.add(id);
    c.ctx.origins.add([...c.base, 'ports', list.length], path);
    list.push({ port: port.port, ...(port.protocol !== 'TCP' ? { protocol: port.protocol } : {}), expose: true, ...(port.name ? { name: port.name } : {}) });
  }
  // A port implied for a service reached by name (service-type.ts) points at its image.
  const key = c.get('ports') ? 'ports' : c.get('expose') ? 'expose' : 'image';
  const at = c.get(key)!.keySpan;
  c.param('ports', list, [...c.base, key], at, { param: 'ports', warning: `component type "${c.type}" has no ports; ignored`, span: at });
}

function convertPullPolicy(c: ServiceConversion): void {
  const e = c.get('pull_policy');
  if (!e) return;
  const v = e.value.kind === 'scalar' ? String(e.value.value) : '';
  const policy = ({ always: 'Always', never: 'Never', missing: 'IfNotPresent', if_not_present: 'IfNotPresent' } as Record<string, string>)[v];
  if (policy) c.param('imagePullPolicy', policy, [...c.base, 'pull_policy'], e.keySpan);
  else c.ignored(`pull_policy ${describe(e.value)} has no Kubernetes equivalent; ignored`, e.value.span, 'Kubernetes pulls Always, Never or IfNotPresent');
}

/** `extra_hosts` ("HOST:IP", "HOST=IP" or a map) → `hostAliases`, one per address. */
function convertExtraHosts(c: ServiceConversion): void {
  const e = c.get('extra_hosts');
  if (!e) return;
  const byIp = new Map<string, string[]>();
  const add = (host: string, ip: string, at: Span) => {
    if (!host || !ip) {
      c.error('invalid extra_hosts entry', at, 'compose/shape', 'write "HOST:IP" or "HOST=IP"', 'extra_hosts');
      return;
    }
    const address = ip.replace(/^\[(.*)\]$/, '$1');
    byIp.set(address, [...(byIp.get(address) ?? []), host]);
  };
  const v = e.value;
  if (v.kind === 'seq') {
    for (const it of v.items) {
      const m = /^([^:=]+)[:=](.+)$/.exec(it.kind === 'scalar' ? String(it.value) : '');
      add(m?.[1] ?? '', m?.[2] ?? '', it.span);
    }
  } else if (v.kind === 'map') {
    for (const x of v.entries) add(x.key, x.value.kind === 'scalar' ? String(x.value.value ?? '') : '', x.value.span);
  } else c.error(`extra_hosts must be a list or a map (got ${describe(v)})`, v.span, 'compose/shape');
  const aliases = [...byIp].map(([ip, hostnames]) => ({ ip, hostnames }));
  if (aliases.length) c.param('hostAliases', aliases, [...c.base, 'extra_hosts'], e.keySpan);
}

/** `deploy.replicas` or `scale` → the scaler trait; a task's `count`; nothing for a daemon (one pod per node). */
function convertReplicas(c: ServiceConversion): void {
  const inDeploy = c.deploy('replicas');
  const e = inDeploy ?? c.get('scale');
  if (!e) return;
  const v = e.value;
  const from = inDeploy ? [...c.base, 'deploy', 'replicas'] : [...c.base, 'scale'];
  if (!(v.kind === 'scalar' && typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= 0)) {
    c.error(`replicas must be a whole number (got ${describe(v)})`, v.span, 'compose/shape');
  } else if (c.type === 'daemon') c.ignored('replicas has no meaning with deploy.mode: global (one pod per node); ignored', e.keySpan);
  else if (c.type === 'task') c.param('count', v.value, from, e.keySpan);
  else c.trait('scaler', { replicas: v.value }, from, e.keySpan);
}

/** A task's `restart` and `backoffLimit`, from the restart policy that made it a task. */
function convertTaskRestart(c: ServiceConversion): void {
  if (c.type !== 'task' || !c.restart.params) return;
  for (const [k, v] of Object.entries(c.restart.params)) c.param(k, v, [...c.base, c.restart.from ?? 'restart'], c.restart.span ?? c.entry.keySpan);
}

/** The keys of `deploy` no converter reads: swarm settings, warned about. */
function convertOtherDeployKeys(c: ServiceConversion): void {
  const deploy = c.get('deploy')?.value;
  if (deploy?.kind !== 'map') return;
  for (const e of deploy.entries) {
    if (['mode', 'replicas', 'resources', 'restart_policy'].includes(e.key) || e.key.startsWith('x-')) continue;
    if ((deployKeys as readonly string[]).includes(e.key)) {
      const hint = e.key === 'labels' ? 'deploy.labels label the swarm service; use the service `labels` for Kubernetes labels' : e.key === 'placement' ? 'use the affinity trait in the Appfile' : e.key === 'update_config' ? 'Deployments roll out gradually by default' : undefined;
      c.ignored(`deploy.${e.key} has no Kubernetes meaning here; ignored`, e.keySpan, hint);
    } else c.error(`unknown key "${e.key}" in deploy`, e.keySpan, 'compose/unknown-key', didYouMean(e.key, deployKeys) ?? `allowed: ${deployKeys.join(', ')}`);
  }
}
