/**
 * The checks before the first write, shared by `vela up` (which writes only
 * when every check passes) and `vela up --plan` / `vela diff` (which report):
 *
 * 1. Secret `data` is base64 (secret-data.ts): checked locally, nothing sent.
 * 2. Every object is dry-run on the server (`dryRun=All`, in parallel,
 *    bounded), unless the live member already provably is as rendered. An
 *    object whose namespace or kind this run is about to create cannot be
 *    dry-run yet; it is new by definition.
 * 3. Every object that exists is vela's (ownership.ts), or taken over on
 *    purpose (take-over.ts); another app's object is never taken.
 *
 * Every problem of every object is reported together, at its Appfile line;
 * a cluster failure (forbidden, unreachable) is thrown as it is (exit 2).
 */
import type { Manifest, RenderedApp } from '../../render/index.js';
import { DiagnosticError, error, type Diagnostic } from '../../source/index.js';
import { settleLimit } from '../../host/index.js';
import { ApiError, describeRef, refOf, type KubeClient, type KubeObject, type ObjectRef } from '../api/index.js';
import { objectFailure } from '../errors.js';
import { objectKey, type Inventory } from '../inventory.js';
import { describeManagers, standingOf, type Provenance, type Standing } from '../ownership.js';
import { mayTakeOver, type TakeOver } from '../take-over.js';
import { prepareObject } from './apply-object.js';
import { sameObject } from './object-diff.js';
import { secretDataProblems } from './secret-data.js';
import { provablyUnchanged } from './unchanged-proof.js';

export interface CheckedObject {
  readonly manifest: Manifest;
  /** The object as it will be sent (a member, defaults filled, namespaced as its kind is). */
  readonly object: KubeObject;
  readonly key: string;
  /** `new`: does not exist; `ours`: vela's; `adopt`: foreign, taken over on purpose. */
  readonly standing: 'new' | 'ours' | 'adopt';
  /** How the inventory will record it. */
  readonly provenance: Provenance;
  /** The live object, when it exists. */
  readonly live?: KubeObject;
  /** The server's dry-run answer, when one was asked for. */
  readonly dryRun?: KubeObject;
  /** Applying it would change nothing (proved locally, or by the dry run). */
  readonly unchanged: boolean;
  /** Not dry-run, because this run creates its namespace or the CRD of its kind first. */
  readonly pending?: 'namespace' | 'kind';
}

export interface PreflightOptions {
  readonly force?: boolean;
  readonly takeOver?: TakeOver;
  /** Namespaces this run creates (its objects there cannot be dry-run before). */
  readonly namespacesToCreate: ReadonlySet<string>;
  readonly concurrency: number;
  readonly signal?: AbortSignal;
}

/** Group/Kind → namespaced, for the kinds the app's own CRDs define. */
function kindsDefinedByApp(app: RenderedApp): Map<string, boolean> {
  const kinds = new Map<string, boolean>();
  for (const { object } of app.manifests) {
    if (object.kind !== 'CustomResourceDefinition') continue;
    const spec = (object.spec ?? {}) as { group?: string; scope?: string; names?: { kind?: string } };
    if (spec.group && spec.names?.kind) kinds.set(`${spec.group}/${spec.names.kind}`, spec.scope !== 'Cluster');
  }
  return kinds;
}

function groupOf(apiVersion: unknown): string {
  const text = String(apiVersion ?? 'v1');
  return text.includes('/') ? text.slice(0, text.indexOf('/')) : '';
}

function who(ref: ObjectRef, manifest: Manifest): string {
  const { origin } = manifest;
  return `${describeRef(ref)}${origin.service ? ` (service ${origin.service}${origin.trait ? `, trait ${origin.trait}` : ''})` : ''}`;
}

/** Why an existing object is not vela's to change. */
function notOurs(standing: Exclude<Standing, { kind: 'ours' }>, ref: ObjectRef, manifest: Manifest): Diagnostic {
  if (standing.kind === 'elsewhere') {
    return error(`${who(ref, manifest)} already belongs to another app (applyset ${standing.applySet})`, manifest.origin.span, {
      code: 'deploy/owned-elsewhere',
      hint: 'rename the object, or delete it from the other app first',
    });
  }
  const namespaceNote = ref.kind === 'Namespace' ? ' (vela never deletes a Namespace it did not create)' : '';
  return error(`${who(ref, manifest)} already exists and is not vela's: ${describeManagers(standing.managers)}`, manifest.origin.span, {
    code: 'deploy/foreign-object',
    hint: `adopt it on purpose with --take-over or a take-over policy${namespaceNote}, or rename or delete it`,
  });
}

type Outcome = { readonly checked: CheckedObject } | { readonly problem: Diagnostic[]; readonly environment?: Error };

async function checkOne(client: KubeClient, app: RenderedApp, inv: Inventory, manifest: Manifest, appKinds: Map<string, boolean>, opts: PreflightOptions): Promise<Outcome> {
  const { signal } = opts;
  const original = manifest.object as KubeObject;
  const served = await client.discovery.tryResourceFor(String(original.apiVersion ?? 'v1'), String(original.kind ?? ''));
  const namespacedByApp = appKinds.get(`${groupOf(original.apiVersion)}/${original.kind}`);
  if (!served && namespacedByApp === undefined) {
    // Neither served nor defined by this app: the server's own words say so.
    const failure = await client.discovery.resourceFor(String(original.apiVersion ?? 'v1'), String(original.kind ?? '')).then(
      () => undefined,
      (err: unknown) => objectFailure(err, refOf(original), manifest.origin),
    );
    if (failure) return { problem: failure.diagnostics, environment: failure.environment };
  }
  const object = await prepareObject(client, manifest, app.namespace, inv.id);
  if (!served && namespacedByApp && !object.metadata?.namespace) object.metadata = { ...object.metadata, namespace: app.namespace };
  const key = objectKey(object);
  const ref = refOf(object);
  if (!served) return { checked: { manifest, object, key, standing: 'new', provenance: 'created', unchanged: false, pending: 'kind' } };

  const member = inv.members.get(key);
  const adoptable = () => mayTakeOver(opts.takeOver, manifest);
  const judge = (live: KubeObject, dryRun: KubeObject | undefined, unchanged: boolean): Outcome => {
    const standing = standingOf(live, inv, key);
    if (standing.kind === 'ours') return { checked: { manifest, object, key, standing: 'ours', provenance: standing.provenance, live, dryRun, unchanged } };
    if (standing.kind === 'foreign' && adoptable()) return { checked: { manifest, object, key, standing: 'adopt', provenance: 'adopted', live, dryRun, unchanged: false } };
    return { problem: [notOurs(standing, ref, manifest)] };
  };

  if (member && provablyUnchanged(object, member)) return judge(member, undefined, true);
  let answer: { object: KubeObject; created: boolean };
  try {
    answer = await client.applyFull(object, { dryRun: true, force: opts.force, signal });
  } catch (err) {
    const missing = err instanceof ApiError ? err.missingNamespace : undefined;
    if (missing !== undefined && opts.namespacesToCreate.has(missing)) {
      return { checked: { manifest, object, key, standing: 'new', provenance: 'created', unchanged: false, pending: 'namespace' } };
    }
    if (err instanceof ApiError && err.isFieldConflict) {
      // Whose fields? A foreign object is refused as such, not as a field conflict.
      const live = member ?? (await client.get(ref, signal));
      if (live) {
        const standing = standingOf(live, inv, key);
        if (standing.kind !== 'ours' && !(standing.kind === 'foreign' && adoptable())) return { problem: [notOurs(standing, ref, manifest)] };
      }
    }
    const failure = objectFailure(err, ref, manifest.origin);
    return { problem: failure.diagnostics, environment: failure.environment };
  }
  if (answer.created) return { checked: { manifest, object, key, standing: 'new', provenance: 'created', dryRun: answer.object, unchanged: false } };
  const live = member ?? (await client.get(ref, signal));
  if (!live) return { checked: { manifest, object, key, standing: 'new', provenance: 'created', dryRun: answer.object, unchanged: false } };
  return judge(live, answer.object, sameObject(live, answer.object));
}

/** Run every check; the objects in manifest order, or every problem thrown at once. */
export async function preflight(client: KubeClient, app: RenderedApp, inv: Inventory, opts: PreflightOptions): Promise<CheckedObject[]> {
  const local = secretDataProblems(app.manifests);
  if (local.length) throw new DiagnosticError(local);
  const appKinds = kindsDefinedByApp(app);
  const settled = await settleLimit(app.manifests, opts.concurrency, (manifest) => checkOne(client, app, inv, manifest, appKinds, opts), opts.signal);
  const problems: Diagnostic[] = [];
  const checked: CheckedObject[] = [];
  let environment: Error | undefined;
  settled.forEach((result, index) => {
    if (!result.ok) {
      const manifest = app.manifests[index]!;
      const failure = objectFailure(result.error, refOf(manifest.object as KubeObject), manifest.origin);
      problems.push(...failure.diagnostics);
      environment ??= failure.environment;
      return;
    }
    if ('checked' in result.value) checked.push(result.value.checked);
    else {
      problems.push(...result.value.problem);
      environment ??= result.value.environment;
    }
  });
  if (environment) throw environment;
  if (problems.length) throw new DiagnosticError(problems);
  return checked;
}
