/**
 * An addon → the KubeVela Application that installs it, as KubeVela builds it:
 *
 *   1. the template: `template.cue` evaluated with `parameter` (the user's
 *      values over parameter.cue's defaults) and `context` (`metadata`: the
 *      addon's metadata.yaml; `parameter`), together with the CUE files of
 *      `resources/` that say `package main`; its `output` is the Application
 *      and its `outputs` auxiliary objects. Or `template.yaml` as written; or
 *      an empty Application;
 *   2. named `addon-NAME` in the target namespace (vela-system by default),
 *      labelled with the addon's name and version;
 *   3. components appended: a Namespace per `needNamespace`, the YAML
 *      resources as one `k8s-objects` component `NAME-resources`, each other
 *      CUE resource's `output` (a component; named by its `name`, else by its
 *      file), and the auxiliary objects as `NAME-outputs`.
 *
 * Pure: files and values in, the Application (plain data) out. Errors are
 * DiagnosticErrors pointing into the addon's files.
 */
import { exportFiles, parseFile, type CueSource } from '../cue/index.js';
import { DiagnosticError, error, warning, type Diagnostic, type SourceFile } from '../source/index.js';
import type { Parameters } from './parameters.js';
import type { AddonMeta, AddonPackage } from './types.js';
import { isPlainObject, readYamlDocument, readYamlDocuments } from './yaml-spans.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** KubeVela's labels on an addon's Application. */
export const AddonLabels = {
  name: 'addons.oam.dev/name',
  version: 'addons.oam.dev/version',
  auxiliary: 'addons.oam.dev/auxiliary-name',
} as const;

export const DEFAULT_ADDON_NAMESPACE = 'vela-system';

/** `addon-NAME`: the Application of an addon (KubeVela's naming). */
export const addonAppName = (name: string): string => `addon-${name}`;

export interface AddonApplication {
  /** The Application (core.oam.dev/v1beta1). */
  readonly application: JsonObject;
  /** The parameters the template saw: the user's over the defaults. */
  readonly parameters: Parameters;
  /** Component name → the addon file it came from (for messages). */
  readonly componentSources: ReadonlyMap<string, string>;
  /** Notes and warnings. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface AddonApplicationOptions {
  /** The namespace of the Application (default vela-system). */
  readonly namespace?: string;
}

const source = (f: SourceFile): CueSource => ({ name: f.name, text: f.text });

/** What KubeVela puts under `context.metadata`: metadata.yaml with its field names. */
function contextMetadata(meta: AddonMeta): JsonObject {
  return JSON.parse(JSON.stringify(meta)) as JsonObject;
}

function fail(addon: string, diagnostics: readonly Diagnostic[]): never {
  throw new DiagnosticError(diagnostics.map((d) => (d.severity === 'error' ? { ...d, message: `addon ${addon}: ${d.message}`, code: d.code ?? 'addon/template' } : d)));
}

/** Evaluates CUE files with the parameters and context; their exported data. */
function evaluateCue(addon: string, files: readonly SourceFile[], inject: Record<string, unknown>): Record<string, unknown> {
  const r = exportFiles(files.map(source), { inject });
  if (!r.ok) fail(addon, r.diagnostics);
  return isPlainObject(r.value) ? r.value : {};
}

/** The effective parameters: the user's values unified with parameter.cue (defaults filled in). */
export function effectiveParameters(addon: AddonPackage, params: Parameters): Parameters {
  if (!addon.parameterCue) return params;
  const value = evaluateCue(addon.meta.name, [addon.parameterCue], { parameter: params });
  return (isPlainObject(value.parameter) ? value.parameter : {}) as Parameters;
}

const isMainPackage = (f: SourceFile) => parseFile(f).file.packageName === 'main';

export function addonApplication(addon: AddonPackage, params: Parameters, opts: AddonApplicationOptions = {}): AddonApplication {
  const name = addon.meta.name;
  const diagnostics: Diagnostic[] = [];
  const parameters = effectiveParameters(addon, params);
  const inject = { parameter: parameters, context: { metadata: contextMetadata(addon.meta), parameter: parameters } };
  const paramFiles = addon.parameterCue ? [addon.parameterCue] : [];
  const mainResources = addon.cueResources.filter(isMainPackage);

  // 1. The template.
  let template: Record<string, unknown> = {};
  const auxiliary: [string, JsonObject][] = [];
  let templateFile: SourceFile | undefined;
  if (addon.templateCue) {
    templateFile = addon.templateCue;
    const value = evaluateCue(name, [...paramFiles, addon.templateCue, ...mainResources], inject);
    const output = value.output;
    if (output === undefined) fail(name, [error('template.cue has no `output`', { file: addon.templateCue, start: 0, end: 0 }, { hint: 'the template gives the Application as `output: {apiVersion: "core.oam.dev/v1beta1", kind: "Application", spec: {...}}`' })]);
    if (!isPlainObject(output)) fail(name, [error('`output` must be an Application object', { file: addon.templateCue, start: 0, end: 0 })]);
    template = output;
    if (value.outputs !== undefined) {
      if (!isPlainObject(value.outputs)) fail(name, [error('`outputs` must be a struct of Kubernetes objects', { file: addon.templateCue, start: 0, end: 0 })]);
      for (const [key, obj] of Object.entries(value.outputs)) {
        if (!isPlainObject(obj)) fail(name, [error(`outputs.${key} must be a Kubernetes object`, { file: addon.templateCue, start: 0, end: 0 })]);
        auxiliary.push([key, obj as JsonObject]);
      }
    }
  } else if (addon.templateYaml) {
    templateFile = addon.templateYaml;
    const { yaml, diagnostics: d } = readYamlDocument(addon.templateYaml);
    if (!yaml) fail(name, d);
    if (!isPlainObject(yaml.data)) fail(name, [error('template.yaml must be an Application', yaml.at([]))]);
    template = yaml.data;
  }
  if (templateFile) {
    const where = { file: templateFile, start: 0, end: 0 };
    if (template.kind !== undefined && template.kind !== 'Application') fail(name, [error(`the template must give an Application (got kind ${JSON.stringify(template.kind)})`, where)]);
    const meta = isPlainObject(template.metadata) ? template.metadata : {};
    if (typeof meta.name === 'string' && meta.name !== addonAppName(name)) {
      diagnostics.push(warning(`the template names its Application "${meta.name}"; it is named ${addonAppName(name)}`, where, { code: 'addon/template', hint: 'remove metadata.name from the template' }));
    }
  }
  const spec = isPlainObject(template.spec) ? template.spec : {};
  if (spec.components !== undefined && !Array.isArray(spec.components)) fail(name, [error('spec.components must be a list', { file: templateFile!, start: 0, end: 0 })]);
  const components: JsonObject[] = ((spec.components as Json[] | undefined) ?? []).filter(isPlainObject) as JsonObject[];
  const componentSources = new Map<string, string>();
  for (const c of components) if (typeof c.name === 'string') componentSources.set(c.name, templateFile?.name ?? '');

  const add = (component: JsonObject, from: string, at: SourceFile) => {
    const cname = String(component.name);
    const prev = componentSources.get(cname);
    if (prev !== undefined) fail(name, [error(`component "${cname}" is given twice (also by ${prev})`, { file: at, start: 0, end: 0 }, { hint: 'give one of them another name' })]);
    componentSources.set(cname, from);
    components.push(component);
  };

  // 3. Components the addon's layout adds.
  for (const ns of addon.meta.needNamespace) {
    if (ns === DEFAULT_ADDON_NAMESPACE) continue;
    add({ name: `${ns}-namespace`, type: 'k8s-objects', properties: { objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }] } }, 'metadata.yaml needNamespace', addon.metadataFile);
  }
  if (addon.yamlResources.length) {
    const objects: JsonObject[] = [];
    const problems: Diagnostic[] = [];
    for (const f of addon.yamlResources) {
      const { docs, diagnostics: d } = readYamlDocuments(f);
      problems.push(...d);
      for (const doc of docs) {
        if (!isPlainObject(doc.data) || typeof doc.data.kind !== 'string' || typeof doc.data.apiVersion !== 'string') {
          problems.push(error('a resource must be a Kubernetes object with apiVersion and kind', doc.at([]), { code: 'addon/resource' }));
        } else objects.push(doc.data as JsonObject);
      }
    }
    if (problems.length) fail(name, problems);
    add({ name: `${name}-resources`, type: 'k8s-objects', properties: { objects } }, 'resources/*.yaml', addon.yamlResources[0]!);
  }
  for (const f of addon.cueResources) {
    if (mainResources.includes(f)) continue;
    const value = evaluateCue(name, [...paramFiles, f], inject);
    // Like KubeVela: a CUE resource without `output` adds nothing (it may hold shared values).
    if (value.output === undefined) continue;
    const output = value.output;
    if (!isPlainObject(output) || typeof output.type !== 'string') {
      fail(name, [error('a CUE resource gives a component as `output: {type: ..., properties: {...}}`', { file: f, start: 0, end: 0 }, { code: 'addon/resource' })]);
    }
    const base = f.name.slice(f.name.lastIndexOf('/') + 1).replace(/\.cue$/, '').replaceAll('.', '-');
    add({ ...(output as JsonObject), name: typeof output.name === 'string' && output.name ? output.name : base }, relativeName(addon, f), f);
  }
  if (auxiliary.length) {
    const objects = auxiliary.map(([key, obj]) => withLabel(obj, AddonLabels.auxiliary, key));
    add({ name: `${name}-outputs`, type: 'k8s-objects', properties: { objects } }, 'template.cue outputs', templateFile!);
  }

  const templateMeta = isPlainObject(template.metadata) ? template.metadata : {};
  const labels: JsonObject = { ...(isPlainObject(templateMeta.labels) ? (templateMeta.labels as JsonObject) : {}) };
  labels[AddonLabels.name] = name;
  if (addon.meta.version) labels[AddonLabels.version] = addon.meta.version;
  const application: JsonObject = {
    apiVersion: 'core.oam.dev/v1beta1',
    kind: 'Application',
    metadata: { name: addonAppName(name), namespace: opts.namespace ?? DEFAULT_ADDON_NAMESPACE, labels },
    spec: {
      components,
      ...(spec.policies !== undefined && { policies: spec.policies as Json }),
      ...(spec.workflow !== undefined && { workflow: spec.workflow as Json }),
    },
  };
  return { application, parameters, componentSources, diagnostics };
}

function withLabel(obj: JsonObject, key: string, value: string): JsonObject {
  const meta = isPlainObject(obj.metadata) ? (obj.metadata as JsonObject) : {};
  const labels = isPlainObject(meta.labels) ? (meta.labels as JsonObject) : {};
  return { ...obj, metadata: { ...meta, labels: { ...labels, [key]: value } } };
}

function relativeName(addon: AddonPackage, f: SourceFile): string {
  for (const [rel, file] of addon.files) if (file === f) return rel;
  return f.name;
}

/** `NOTES.cue`'s `notes`, evaluated like the template; undefined when there is none or it does not evaluate. */
export function addonNotes(addon: AddonPackage, parameters: Parameters): string | undefined {
  if (!addon.notes) return undefined;
  const files = [...(addon.parameterCue ? [addon.parameterCue] : []), addon.notes];
  const r = exportFiles(files.map(source), { inject: { parameter: parameters, context: { metadata: contextMetadata(addon.meta), parameter: parameters } } });
  if (!r.ok || !isPlainObject(r.value)) return undefined;
  return typeof r.value.notes === 'string' ? r.value.notes : undefined;
}
