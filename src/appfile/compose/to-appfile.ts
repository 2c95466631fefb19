/**
 * AppModel → the plain document of an equivalent Appfile (`vela convert`).
 * Parameters are written as service keys; a trait section is written as a
 * service key too, unless the component has a parameter of the same name
 * (`labels` of webservice), where it goes under `traits:` so that reading the
 * Appfile back gives the same model.
 */
import type { Registry } from '../../capability/index.js';
import type { AppModel, JsonObject } from '../model.js';

export interface AppfileDocument {
  readonly doc: JsonObject;
  /** For each service, the line of the source file it came from. */
  readonly sourceLines: ReadonlyMap<string, number>;
}

export function toAppfileDocument(app: AppModel, registry: Registry): AppfileDocument {
  const services: JsonObject = {};
  const sourceLines = new Map<string, number>();
  for (const s of app.services) {
    const declared = new Set(Object.keys(registry.component(s.type)?.schema.properties ?? {}));
    const out: JsonObject = { type: s.type };
    if (s.params.image !== undefined) out.image = s.params.image;
    if (s.build) {
      const docker: JsonObject = {};
      if (s.build.context !== '.') docker.context = s.build.context;
      if (s.build.dockerfile !== 'Dockerfile') docker.file = s.build.dockerfile;
      if (Object.keys(s.build.args).length) docker.args = { ...s.build.args };
      if (s.build.target !== undefined) docker.target = s.build.target;
      out.build = { docker, ...(s.build.pushRegistry ? { push: { registry: s.build.pushRegistry } } : {}) };
    }
    if (s.dependsOn.length) out.dependsOn = [...s.dependsOn];
    for (const [k, v] of Object.entries(s.params)) if (k !== 'image') out[k] = v;
    const nested: JsonObject = {};
    for (const t of s.traits) {
      if (declared.has(t.name) || t.name in out || ['type', 'build', 'dependsOn', 'traits'].includes(t.name)) nested[t.name] = t.properties;
      else out[t.name] = t.properties;
    }
    if (Object.keys(nested).length) out.traits = nested;
    services[s.name] = out;
    sourceLines.set(s.name, s.span.file.lineCol(s.span.start).line);
  }
  const doc: JsonObject = { name: app.name, ...(app.namespace !== undefined ? { namespace: app.namespace } : {}), services };
  return { doc, sourceLines };
}
