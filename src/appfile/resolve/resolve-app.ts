/**
 * Raw app → AppModel: the step that consults the definitions. Parameters and
 * traits are told apart and validated, the 2020 shorthands rewritten, an
 * Application's policies applied; each format by its own rules
 * (resolve-appfile.ts, resolve-compose.ts, resolve-application.ts).
 *
 * It runs even when parsing found errors, on whatever could be read, so that
 * one run reports every problem; the model is returned only when neither step
 * found an error. Diagnostics of both come back together, sorted by position.
 */
import type { Registry } from '../../capability/types.js';
import type { Diagnostic } from '../../source/index.js';
import type { AppModel, ServiceModel } from '../model.js';
import type { ParseResult } from '../raw-app.js';
import { sortDiagnostics } from '../sort-diagnostics.js';
import { resolveApplication } from './resolve-application.js';
import { resolveAppfileService } from './resolve-appfile.js';
import { resolveComposeService } from './resolve-compose.js';

export interface ResolveResult {
  readonly app?: AppModel;
  readonly diagnostics: Diagnostic[];
}

export function resolveAppModel(parsed: ParseResult, registry: Registry): ResolveResult {
  const { raw } = parsed;
  const diags = [...parsed.diagnostics];
  if (!raw) return { diagnostics: sortDiagnostics(diags) };
  // Positions the raw app does not know yet: values resolution moves (build.image → image) or policies add.
  const origins = raw.origins.fork();
  let services: ServiceModel[];
  let namespace = raw.namespace;
  let takeOver: AppModel['takeOver'];
  switch (raw.format) {
    case 'appfile':
      services = raw.services.map((s) => resolveAppfileService(s, registry, origins, diags));
      break;
    case 'compose':
      services = raw.services.flatMap((s) => resolveComposeService(s, registry, origins, diags) ?? []);
      break;
    case 'application':
      ({ services, namespace, takeOver } = resolveApplication(raw, registry, origins, diags));
      break;
  }
  const diagnostics = sortDiagnostics(diags);
  if (diagnostics.some((d) => d.severity === 'error') || raw.name === undefined) return { diagnostics };
  const app: AppModel = {
    file: raw.file,
    dir: raw.dir,
    name: raw.name,
    ...(namespace !== undefined ? { namespace, ...(raw.namespaceSpan ? { namespaceSpan: raw.namespaceSpan } : {}) } : {}),
    services,
    ...(takeOver && { takeOver }),
    locate: origins.locate,
  };
  return { app, diagnostics };
}
