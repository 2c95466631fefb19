/**
 * What the applyset parent keeps besides the inventory (its `app.json` key):
 * the services, their dependencies and their definitions' health policies,
 * enough for `vela status` and `vela ls` to work without the Appfile.
 */
import type { RenderedApp } from '../render/index.js';
import { APP_DATA_KEY } from './applyset.js';
import type { KubeObject } from './api/index.js';

export interface StoredApp {
  readonly name: string;
  readonly services: ReadonlyArray<{ name: string; type: string; dependsOn: readonly string[]; healthPolicy?: string; customStatus?: string }>;
}

/** The `app.json` text of a rendered app. */
export function storedApp(app: RenderedApp): string {
  const data: StoredApp = {
    name: app.name,
    services: app.services.map((s) => ({
      name: s.name,
      type: s.type,
      dependsOn: [...s.dependsOn],
      ...(s.status?.healthPolicy ? { healthPolicy: s.status.healthPolicy } : {}),
      ...(s.status?.customStatus ? { customStatus: s.status.customStatus } : {}),
    })),
  };
  return JSON.stringify(data);
}

/** The `app.json` text a live parent holds, if any. */
export function storedAppText(parent: KubeObject | undefined): string | undefined {
  return (parent?.data as Record<string, string> | undefined)?.[APP_DATA_KEY];
}

/** What a live parent says of its app; no services when it holds nothing readable (written by an older vela, or edited by hand). */
export function parseStoredApp(parent: KubeObject | undefined, app: string): StoredApp {
  const text = storedAppText(parent);
  try {
    if (text) return JSON.parse(text) as StoredApp;
  } catch {
    // fall through: unreadable is the same as absent
  }
  return { name: app, services: [] };
}
