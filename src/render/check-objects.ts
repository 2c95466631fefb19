/**
 * What the API server would refuse in rendered manifests, found before
 * anything is written or applied: the object's kind served by the target
 * Kubernetes version (served-apis.ts), its OpenAPI schema (a check passed in:
 * loading schemas is the pipeline's business) and the rules the schemas do not
 * express (api-rules.ts). Each problem becomes a diagnostic at the Appfile
 * position of the value that made the field, else of its service or trait.
 */
import { error, type Diagnostic } from '../source/index.js';
import type { JsonObject } from '../appfile/index.js';
import { apiServerProblems, type FieldProblem } from './api-rules.js';
import { fieldPosition } from './field-position.js';
import type { ClusterVersion } from './render-app.js';
import { unservedApiProblem } from './served-apis.js';
import type { Manifest } from './types.js';

/** The problems of one object against the OpenAPI schema of its apiVersion and kind. */
export type SchemaCheck = (object: JsonObject) => FieldProblem[];

export interface CheckObjectsOptions {
  /** The target cluster's version: objects of API versions it does not serve are refused. */
  readonly clusterVersion?: ClusterVersion;
  /** The schema check of each manifest (same order), or undefined when its kind has none (a custom resource). */
  readonly schemaChecks?: readonly (SchemaCheck | undefined)[];
}

export function checkObjects(manifests: readonly Manifest[], opts: CheckObjectsOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ruleOptions = opts.clusterVersion ? { clusterVersion: opts.clusterVersion } : {};
  manifests.forEach((m, i) => {
    const o = m.object;
    const unserved = opts.clusterVersion && typeof o.apiVersion === 'string' && typeof o.kind === 'string' ? unservedApiProblem(o.apiVersion, o.kind, opts.clusterVersion) : undefined;
    if (unserved) {
      out.push(error(`cannot deploy ${describe(m)}: ${unserved}`, m.origin.span, { code: 'kube/unserved-api', hint: 'choose the API version from context.clusterVersion in the definition, or target a newer cluster (--cluster-version)' }));
      return;
    }
    const schemaProblems = opts.schemaChecks?.[i]?.(o) ?? [];
    const ruleProblems = apiServerProblems(o, ruleOptions);
    if (schemaProblems.length === 0 && ruleProblems.length === 0) return;
    const problems = [...schemaProblems, ...ruleProblems];
    const seen = new Set<string>();
    for (const p of problems) {
      const key = `${p.field}\u0000${p.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const at = fieldPosition(m.origin, p.field);
      out.push(
        error(`invalid ${describe(m)}: ${p.field}: ${p.message}`, at ?? m.origin.span, {
          code: 'kube/invalid',
          ...(at && m.origin.span && at !== m.origin.span ? { related: [m.origin.span] } : {}),
          hint: 'the Kubernetes API server would reject this object; nothing was written',
        }),
      );
    }
  });
  return out;
}

/** The object as messages name it (spelt out only for a problem: most objects have none). */
function describe(m: Manifest): string {
  const o = m.object;
  const meta = (o.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  return `${String(o.kind)} ${meta.namespace ? `${String(meta.namespace)}/` : ''}${String(meta.name)} (service ${m.origin.service}${m.origin.trait ? `, trait ${m.origin.trait}` : ''})`;
}
