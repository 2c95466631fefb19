/** Delivery of a rendered app to the cluster (the deploy module); see `vela up`. */
import type { RenderedApp } from '../render/types.js';
import type { Reporter } from '../host/reporter.js';
import { EnvironmentError } from '../host/errors.js';

export interface DeliverOptions {
  reporter?: Reporter;
  json?: boolean;
}

export async function deliverToCluster(app: RenderedApp, opts: DeliverOptions): Promise<unknown> {
  void app;
  void opts;
  throw new EnvironmentError('applying to a cluster is not wired into `vela up` yet', { hint: 'use `vela up --output DIR` and apply the folder with `kubectl apply --server-side -f DIR`' });
}
