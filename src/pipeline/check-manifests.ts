/**
 * What vela accepts, the API server accepts: every rendered object is checked
 * against the OpenAPI schema of its kind, the rules the server adds to it and
 * the API versions the target cluster serves, before anything is written
 * (`vela dry-run`, `--output DIR`) or applied (`vela up`). Problems are
 * diagnostics at the Appfile line of the value that made them (exit code 1).
 */
import { checkObjects, type ClusterVersion, type Manifest } from '../render/index.js';
import { DiagnosticError, type Diagnostic } from '../source/index.js';
import { schemaCheck } from './kubernetes-schemas.js';

export interface ManifestCheckOptions {
  /** The target cluster's version (API versions it does not serve are refused); without it, that check is skipped. */
  readonly clusterVersion?: ClusterVersion;
}

/** The problems the Kubernetes API server would find in these manifests, as diagnostics at the Appfile. */
export async function manifestProblems(manifests: readonly Manifest[], opts: ManifestCheckOptions = {}): Promise<Diagnostic[]> {
  const schemaChecks = await Promise.all(
    manifests.map((m) => (typeof m.object.apiVersion === 'string' && typeof m.object.kind === 'string' ? schemaCheck(m.object.apiVersion, m.object.kind) : undefined)),
  );
  return checkObjects(manifests, { ...opts, schemaChecks });
}

/** Throws a DiagnosticError (exit code 1) listing every problem of every manifest, when there is one. */
export async function checkManifests(manifests: readonly Manifest[], opts: ManifestCheckOptions = {}): Promise<void> {
  const problems = await manifestProblems(manifests, opts);
  if (problems.length) throw new DiagnosticError(problems);
}
