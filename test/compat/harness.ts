/** What the compatibility suites share: the Applications, the definitions folder, and rendering one. */
import { join } from 'node:path';
import { dryRun } from '../../src/pipeline/dry-run.js';
import type { ClusterVersion, RenderedApp } from '../../src/render/index.js';

export const ROOT = join(import.meta.dirname, '../..');
export const COMPAT_DEFINITIONS = join(ROOT, 'test/compat/definitions');
/** A $VELA_HOME without definitions. */
export const NO_HOME = join(ROOT, 'test/render/fixtures/no-home');

/** The Applications of test/compat/applications, each written as a KubeVela user writes one. */
export const APPLICATIONS = ['frontend.yaml', 'backend.yaml', 'batch.yaml', 'deprecated.yaml', 'appfile-era.yaml', 'user-definitions.yaml', 'platform-traits.yaml'] as const;

/** `vela dry-run -f test/compat/applications/APP --definitions test/compat/definitions`. */
export async function renderApplication(app: string, opts: { namespace?: string; clusterVersion?: ClusterVersion } = {}): Promise<RenderedApp> {
  const r = await dryRun({ cwd: ROOT, file: join('test/compat/applications', app), definitionDirs: [COMPAT_DEFINITIONS], velaHome: NO_HOME, ...opts });
  return r.rendered;
}
