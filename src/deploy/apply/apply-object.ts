/**
 * One object's way to the server: made a member of the app's applyset,
 * defaults the server cannot do without filled in, namespaced as its kind is
 * (discovery says), then applied only when it would change. Most objects of a
 * repeated `vela up` are unchanged: that is proved locally from the live
 * object's managed fields when possible, by a server-side dry run otherwise.
 */
import type { Manifest } from '../../render/index.js';
import { asMember } from '../applyset.js';
import { refOf, type KubeClient, type KubeObject } from '../api/index.js';
import { fillApplyDefaults } from './apply-defaults.js';
import { sameObject } from './object-diff.js';
import { provablyUnchanged } from './unchanged-proof.js';

export type WriteOutcome = 'created' | 'updated' | 'unchanged';

/** A manifest's object as it will be sent: a copy, labelled as a member, namespaced when its kind is (and only then). */
export async function prepareObject(client: KubeClient, manifest: Manifest, namespace: string, applySetId: string): Promise<KubeObject> {
  const obj = fillApplyDefaults(asMember(manifest.object as KubeObject, applySetId));
  const ref = refOf(obj);
  const info = await client.discovery.tryResourceFor(ref.apiVersion, ref.kind);
  if (info?.namespaced && !obj.metadata?.namespace) obj.metadata = { ...obj.metadata, namespace };
  if (info && !info.namespaced && obj.metadata?.namespace) {
    const { namespace: _ignored, ...rest } = obj.metadata;
    obj.metadata = rest;
  }
  return obj;
}

/** What the checks before the first write found out about an object, when they are still fresh. */
export interface KnownState {
  /** Applying would change nothing. */
  readonly unchanged: boolean;
}

/**
 * Apply one prepared object unless it is already as rendered (`live` is its
 * inventory copy, if any; `known`, what the checks found out just before).
 */
export async function applyObject(client: KubeClient, obj: KubeObject, live: KubeObject | undefined, opts: { force?: boolean; signal?: AbortSignal; known?: KnownState }): Promise<WriteOutcome> {
  if (opts.known?.unchanged) return 'unchanged';
  if (live && !opts.known) {
    if (provablyUnchanged(obj, live)) return 'unchanged';
    const dryRun = await client.apply(obj, { dryRun: true, force: opts.force, signal: opts.signal });
    if (sameObject(live, dryRun)) return 'unchanged';
  }
  const written = await client.applyFull(obj, { force: opts.force, signal: opts.signal });
  return written.created ? 'created' : 'updated';
}
