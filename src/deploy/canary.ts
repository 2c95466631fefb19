/**
 * Canary releases without a controller in the cluster (the `canary` trait,
 * provider vela): a service's Deployment `<service>` is the stable one, its
 * `<service>-canary` (label `app.oam.dev/track: canary`) the canary. Which
 * images each runs is read from the cluster every time, never remembered
 * here, so `vela canary` works from any machine and in CI.
 *
 * promote and abort change only images (and abort's mark), by server-side
 * apply as `vela` of the configuration `vela up` applied (applied-config.ts):
 * every other field stays as `vela up` left it, and the next `vela up`, which
 * reads the live images through the trait's `observe`, applies the same.
 */
import { DiagnosticError, error } from '../source/index.js';
import { NotHealthyError } from '../host/index.js';
import type { KubeClient, KubeObject, ObjectRef } from './api/index.js';
import { appliedConfiguration } from './applied-config.js';
import { withClient, type ClusterOptions } from './connect.js';
import { builtinHealth } from './health.js';

/** The pod label that tells canary pods from stable ones (definitions/canary.cue sets it). */
export const CANARY_TRACK_LABEL = 'app.oam.dev/track';
/** On the canary Deployment after an abort: the release it was taken off (definitions/canary.cue keeps it off). */
export const CANARY_ABORTED_ANNOTATION = 'app.oam.dev/canary-aborted';
const COMPONENT_LABEL = 'app.oam.dev/component';
const APP_LABEL = 'app.oam.dev/name';

export interface CanaryTrack {
  readonly deployment: string;
  /** Container name → image, in the pod template's order. */
  readonly images: Readonly<Record<string, string>>;
  readonly replicas: number;
  readonly ready: number;
}

export interface CanaryRouting {
  /** The canary's own Service (selects the canary pods only). */
  readonly service?: string;
  /** The canary Ingress (ingress-nginx canary annotations), when requests are routed by header or weight. */
  readonly ingress?: string;
  readonly header?: { readonly name: string; readonly pattern: string };
  readonly weight?: number;
}

export interface CanaryStatus {
  readonly service: string;
  readonly app?: string;
  readonly stable: CanaryTrack;
  readonly canary: CanaryTrack;
  readonly routing: CanaryRouting;
  /** The release `vela canary abort` took the canary off, while the Appfile still names it. */
  readonly aborted?: string;
}

export interface CanaryOptions extends ClusterOptions {
  /** Only canaries of this app (the Appfile's name, when there is one). */
  readonly app?: string;
}

export interface CanaryMoveOptions extends CanaryOptions {
  /** Wait until the changed Deployment has rolled out (default true). */
  readonly wait?: boolean;
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
}

export interface CanaryMove {
  readonly service: string;
  readonly namespace: string;
  /** The Deployment changed (or that would have been). */
  readonly deployment: string;
  readonly from: Readonly<Record<string, string>>;
  readonly to: Readonly<Record<string, string>>;
  /** False when it already ran those images: nothing was written. */
  readonly changed: boolean;
  /** When waited for: how the rollout ended. */
  readonly rolledOut?: string;
}

type Obj = Record<string, any>;

const deploymentRef = (name: string, namespace: string): ObjectRef => ({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace });

function imagesOf(deployment: KubeObject): Record<string, string> {
  const containers = ((deployment as Obj).spec?.template?.spec?.containers ?? []) as Obj[];
  return Object.fromEntries(containers.map((c) => [String(c.name), String(c.image)]));
}

function trackOf(deployment: KubeObject): CanaryTrack {
  const live = deployment as Obj;
  return { deployment: String(live.metadata?.name), images: imagesOf(deployment), replicas: live.spec?.replicas ?? 1, ready: live.status?.readyReplicas ?? 0 };
}

const sameImages = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) => Object.entries(a).every(([name, image]) => b[name] === undefined || b[name] === image);

/** The release as the trait names it: `container=image` in the pod template's order. */
const releaseKey = (images: Readonly<Record<string, string>>) =>
  Object.entries(images)
    .map(([name, image]) => `${name}=${image}`)
    .join(',');

function userError(message: string, hint: string, code: string): DiagnosticError {
  return new DiagnosticError([error(message, undefined, { hint, code })]);
}

/** The canary Deployments in the namespace (of one service, of one app). */
async function canaryDeployments(client: KubeClient, namespace: string, service: string | undefined, app: string | undefined, signal?: AbortSignal): Promise<KubeObject[]> {
  const selector = [`${CANARY_TRACK_LABEL}=canary`, ...(service ? [`${COMPONENT_LABEL}=${service}`] : []), ...(app ? [`${APP_LABEL}=${app}`] : [])].join(',');
  const found = await client.list('apps/v1', 'Deployment', { namespace, labelSelector: selector, signal });
  return found.sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)));
}

/** The stable and canary Deployments of one service, both live. */
async function readPair(client: KubeClient, namespace: string, service: string, app: string | undefined, signal?: AbortSignal): Promise<{ stable: KubeObject; canary: KubeObject }> {
  const [canary] = await canaryDeployments(client, namespace, service, app, signal);
  if (!canary) {
    throw userError(`no canary for service ${service} in namespace ${namespace}${app ? ` (app ${app})` : ''}`, 'a service gets one from a canary section in its Appfile and `vela up`; `vela canary status` lists them', 'canary/not-found');
  }
  const stable = await client.get(deploymentRef(service, namespace), signal);
  if (!stable) throw userError(`the stable Deployment ${service} of service ${service} is not in namespace ${namespace}`, 'run `vela up` to deploy it again', 'canary/not-found');
  return { stable, canary };
}

async function routingOf(client: KubeClient, namespace: string, canaryName: string, signal?: AbortSignal): Promise<CanaryRouting> {
  const service = await client.get({ apiVersion: 'v1', kind: 'Service', name: canaryName, namespace }, signal);
  // networking.k8s.io/v1 since Kubernetes 1.19; v1beta1 before.
  const apiVersion = (await client.discovery.tryResourceFor('networking.k8s.io/v1', 'Ingress')) ? 'networking.k8s.io/v1' : 'networking.k8s.io/v1beta1';
  const ingress = await client.get({ apiVersion, kind: 'Ingress', name: canaryName, namespace }, signal);
  const annotations = (ingress?.metadata?.annotations ?? {}) as Record<string, string>;
  const on = ingress !== undefined && annotations['nginx.ingress.kubernetes.io/canary'] === 'true';
  const name = annotations['nginx.ingress.kubernetes.io/canary-by-header'];
  const weight = Number.parseInt(annotations['nginx.ingress.kubernetes.io/canary-weight'] ?? '', 10);
  return {
    ...(service && { service: canaryName }),
    ...(on && { ingress: canaryName }),
    ...(on && name && { header: { name, pattern: annotations['nginx.ingress.kubernetes.io/canary-by-header-pattern'] ?? annotations['nginx.ingress.kubernetes.io/canary-by-header-value'] ?? '' } }),
    ...(on && Number.isFinite(weight) && { weight }),
  };
}

/** `vela canary status [SERVICE]`: every canary of the namespace (or app), or the one of SERVICE. */
export async function canaryStatus(service: string | undefined, opts: CanaryOptions = {}): Promise<{ namespace: string; canaries: CanaryStatus[] }> {
  return withClient(opts, async (client) => {
    const namespace = client.target.namespace;
    const canaries: CanaryStatus[] = [];
    const found = await canaryDeployments(client, namespace, service, opts.app, opts.signal);
    if (service && !found.length) await readPair(client, namespace, service, opts.app, opts.signal);
    for (const canary of found) {
      const name = String(canary.metadata?.labels?.[COMPONENT_LABEL] ?? '');
      const stable = await client.get(deploymentRef(name, namespace), opts.signal);
      const aborted = canary.metadata?.annotations?.[CANARY_ABORTED_ANNOTATION];
      canaries.push({
        service: name,
        ...(canary.metadata?.labels?.[APP_LABEL] && { app: canary.metadata.labels[APP_LABEL] }),
        stable: stable ? trackOf(stable) : { deployment: name, images: {}, replicas: 0, ready: 0 },
        canary: trackOf(canary),
        routing: await routingOf(client, namespace, String(canary.metadata?.name), opts.signal),
        ...(aborted && { aborted }),
      });
    }
    return { namespace, canaries };
  });
}

/**
 * Sets the images of a live Deployment (and, for an abort, its mark) by
 * re-applying what `vela` applied to it with those changed; waits for the
 * rollout when asked.
 */
async function moveImages(client: KubeClient, live: KubeObject, images: Readonly<Record<string, string>>, mark: string | undefined, opts: CanaryMoveOptions): Promise<string | undefined> {
  const name = String(live.metadata?.name);
  const namespace = client.target.namespace;
  const config = appliedConfiguration(live, 'vela') as Obj | undefined;
  if (!config) throw userError(`Deployment ${name} in namespace ${namespace} was not applied by vela`, 'deploy the app with `vela up` first', 'canary/not-vela');
  for (const c of (config.spec?.template?.spec?.containers ?? []) as Obj[]) {
    if (images[c.name] !== undefined) c.image = images[c.name];
  }
  if (mark !== undefined) config.metadata = { ...config.metadata, annotations: { ...config.metadata?.annotations, [CANARY_ABORTED_ANNOTATION]: mark } };
  // The images may be owned by another manager too (kubectl set image): this command is the user saying which.
  await client.apply(config as KubeObject, { force: true, signal: opts.signal });
  if (opts.wait === false) return undefined;
  let last = '';
  const done = await client.waitFor(
    deploymentRef(name, namespace),
    (obj) => {
      const health = obj && builtinHealth(obj);
      last = health?.reason ?? 'gone';
      return health?.healthy === true;
    },
    { timeoutMs: opts.timeoutMs ?? 300_000, intervalMs: opts.pollIntervalMs, signal: opts.signal },
  );
  if (!done) throw new NotHealthyError(`Deployment ${name} did not roll out in time: ${last}`, { hint: 'the images are set; see `vela canary status` and `vela logs`', code: 'canary/not-rolled-out' });
  return last;
}

/** `vela canary promote SERVICE`: the stable Deployment moves to the canary's images. */
export async function promoteCanary(service: string, opts: CanaryMoveOptions = {}): Promise<CanaryMove> {
  return withClient(opts, async (client) => {
    const namespace = client.target.namespace;
    const { stable, canary } = await readPair(client, namespace, service, opts.app, opts.signal);
    const from = imagesOf(stable);
    const to = imagesOf(canary);
    const move = { service, namespace, deployment: service, from, to };
    if (sameImages(to, from)) return { ...move, changed: false };
    const rolledOut = await moveImages(client, stable, to, undefined, opts);
    return { ...move, changed: true, ...(rolledOut && { rolledOut }) };
  });
}

/** `vela canary abort SERVICE`: the canary goes back to the stable images, and stays there until the Appfile names another release. */
export async function abortCanary(service: string, opts: CanaryMoveOptions = {}): Promise<CanaryMove> {
  return withClient(opts, async (client) => {
    const namespace = client.target.namespace;
    const { stable, canary } = await readPair(client, namespace, service, opts.app, opts.signal);
    const from = imagesOf(canary);
    const to = imagesOf(stable);
    const move = { service, namespace, deployment: String(canary.metadata?.name), from, to };
    if (sameImages(from, to)) return { ...move, changed: false };
    const rolledOut = await moveImages(client, canary, to, releaseKey(from), opts);
    return { ...move, changed: true, ...(rolledOut && { rolledOut }) };
  });
}
