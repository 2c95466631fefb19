/**
 * AppModel → a KubeVela `Application` (core.oam.dev/v1beta1), for clusters
 * that run KubeVela (`vela dry-run --emit application`). Parameters become
 * component properties, trait sections traits, in file order.
 */
import type { AppModel, JsonObject } from '../model.js';

export interface ToApplicationOptions {
  readonly namespace?: string;
  /** Image references that replace a service's `image` (built images, computed tags). */
  readonly images?: Readonly<Record<string, string>>;
}

export function toApplication(app: AppModel, opts: ToApplicationOptions = {}): JsonObject {
  const namespace = opts.namespace ?? app.namespace;
  const components = app.services.map((s): JsonObject => {
    const properties: JsonObject = { ...s.params };
    const image = opts.images?.[s.name];
    if (image !== undefined) properties.image = image;
    return {
      name: s.name,
      type: s.type,
      properties,
      ...(s.traits.length ? { traits: s.traits.map((t): JsonObject => ({ type: t.name, properties: t.properties })) } : {}),
      ...(s.dependsOn.length ? { dependsOn: [...s.dependsOn] } : {}),
    };
  });
  return {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: app.name, ...(namespace !== undefined ? { namespace } : {}) },
    spec: { components },
  };
}
