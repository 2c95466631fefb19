/**
 * Whether an app is delivered by its workflow (it has policies or a
 * workflow), and its delivery plan against the known clusters: shared by
 * `vela up` (deliver-workflow.ts) and `vela dry-run --output` (one folder
 * per cluster).
 */
import type { AppModel } from '../appfile/index.js';
import type { ClusterDirectory } from '../deploy/index.js';
import { DiagnosticError, type Diagnostic } from '../source/index.js';
import { planDelivery, type DeliveryPlan } from '../workflow/index.js';
import type { LoadedApp } from './load-app.js';

/** Whether the app says where and in which order: then `vela up` runs its workflow. */
export function usesWorkflow(app: AppModel): boolean {
  return (app.policies?.length ?? 0) > 0 || app.workflow !== undefined;
}

/** Plans the app's delivery against the known clusters; a user error (exit 1) with every problem when it cannot be planned. */
export function planAppDelivery(loaded: LoadedApp, directory: Pick<ClusterDirectory, 'clusters'>): { plan: DeliveryPlan; warnings: Diagnostic[] } {
  const planned = planDelivery({ app: loaded.app, registry: loaded.loaded.registry, clusters: directory.clusters });
  const errors = planned.diagnostics.filter((d) => d.severity === 'error');
  if (!planned.plan || errors.length) throw new DiagnosticError(errors.length ? errors : planned.diagnostics);
  return { plan: planned.plan, warnings: planned.diagnostics.filter((d) => d.severity === 'warning') };
}
