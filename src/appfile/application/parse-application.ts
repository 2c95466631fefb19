/**
 * A KubeVela `Application` (core.oam.dev/v1beta1) → the raw app, to be
 * rendered client-side through the same definitions as an Appfile:
 *   metadata.name / namespace → the app's name and namespace;
 *   spec.components[] {name, type, properties, traits[{type, properties}], dependsOn} → services;
 *   spec.policies and spec.workflow → kept as written, for resolve/ to apply.
 * Needs no definitions: whether types and traits exist is resolve's question.
 */
import { didYouMean, error, warning, type Diagnostic, type SourceFile, type Span } from '../../source/index.js';
import { checkDependencies, type DependencyRef } from '../depends-on.js';
import { locator } from '../doc-path.js';
import type { JsonObject } from '../model.js';
import { dns1123LabelProblem, suggestLabel } from '../names.js';
import { Origins } from '../origins.js';
import type { ParseResult, RawApplication, RawComponent, RawComponentTrait } from '../raw-app.js';
import { readDelivery } from '../read-delivery.js';
import { sortDiagnostics } from '../sort-diagnostics.js';
import { describe, parseYamlTree, toJson, type LEntry, type LMap, type LNode } from '../yaml-tree.js';

export interface ParseApplicationOptions {
  /** The folder of the file (unused by components, kept for the model). */
  readonly dir: string;
  readonly maxBytes?: number;
}

const specKeys = ['components', 'policies', 'workflow'] as const;
const componentKeys = ['name', 'type', 'properties', 'traits', 'dependsOn', 'externalRevision', 'scopes', 'inputs', 'outputs'] as const;

type Complain = (msg: string, span: Span, path: string, hint?: string, code?: string) => void;

const get = (m: LMap, k: string) => m.entries.find((e) => e.key === k);

export function parseApplication(file: SourceFile, opts: ParseApplicationOptions): ParseResult<RawApplication> {
  const tree = parseYamlTree(file, opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {});
  const diags = tree.diagnostics;
  const root = tree.root;
  if (!root || diags.some((d) => d.severity === 'error' && d.code !== 'appfile/duplicate-key')) return { diagnostics: sortDiagnostics(diags) };
  if (root.kind !== 'map') {
    diags.push(error(`an Application must be a map (got ${describe(root)})`, root.span, { code: 'application/shape' }));
    return { diagnostics: sortDiagnostics(diags) };
  }
  const origins = new Origins(locator(root));
  const bad: Complain = (msg, span, path, hint, code = 'application/shape') => diags.push(error(msg, span, { path, code, ...(hint ? { hint } : {}) }));
  const docStart: Span = { file, start: root.span.start, end: root.span.start };

  const apiVersion = get(root, 'apiVersion');
  const version = apiVersion?.value.kind === 'scalar' ? String(apiVersion.value.value) : undefined;
  if (!apiVersion) bad('missing apiVersion', docStart, 'apiVersion', 'add `apiVersion: core.oam.dev/v1beta1`');
  else if (version !== 'core.oam.dev/v1beta1') bad(`unsupported apiVersion ${describe(apiVersion.value)}`, apiVersion.value.span, 'apiVersion', 'vela reads core.oam.dev/v1beta1 Applications');
  const kind = get(root, 'kind');
  if (!kind || !(kind.value.kind === 'scalar' && kind.value.value === 'Application')) bad(`kind must be Application${kind ? ` (got ${describe(kind.value)})` : ''}`, kind?.value.span ?? docStart, 'kind');
  for (const e of root.entries) {
    if (e.key === 'status') diags.push(warning('status is written by the cluster; ignored', e.keySpan, { code: 'application/ignored' }));
    else if (!['apiVersion', 'kind', 'metadata', 'spec'].includes(e.key)) bad(`unknown top-level key "${e.key}"`, e.keySpan, e.key, didYouMean(e.key, ['apiVersion', 'kind', 'metadata', 'spec']), 'application/unknown-key');
  }

  const { name, namespace, namespaceSpan } = readMetadata(get(root, 'metadata'), docStart, bad, diags);

  // spec
  const spec = get(root, 'spec');
  const components: RawComponent[] = [];
  let policies: LEntry | undefined;
  let workflow: LEntry | undefined;
  if (!spec || spec.value.kind !== 'map') bad('missing spec.components', spec?.value.span ?? docStart, 'spec', 'an Application lists its components under `spec.components`');
  else {
    for (const e of spec.value.entries) {
      if (e.key === 'policies') policies = e;
      else if (e.key === 'workflow') workflow = e;
      else if (!(specKeys as readonly string[]).includes(e.key)) bad(`unknown key "${e.key}" in spec`, e.keySpan, 'spec', didYouMean(e.key, specKeys) ?? `allowed: ${specKeys.join(', ')}`, 'application/unknown-key');
    }
    const comps = get(spec.value, 'components');
    if (!comps || comps.value.kind !== 'seq' || comps.value.items.length === 0) {
      bad('spec.components must list at least one component', comps?.value.span ?? spec.keySpan, 'spec.components', 'for example `components: [{name: web, type: webservice, properties: {image: nginx:1.27}}]`');
    } else {
      const seen = new Map<string, Span>();
      comps.value.items.forEach((it, i) => {
        const c = readComponent(it, i, bad, diags);
        if (!c) return;
        const prev = seen.get(c.name);
        if (prev) bad(`duplicate component "${c.name}"`, c.span, `spec.components[${i}].name`, `"${c.name}" is already used at line ${file.lineCol(prev.start).line}`, 'application/duplicate');
        else seen.set(c.name, c.span);
        // Properties are the service's parameters: errors in them point into the component.
        origins.addTree(['services', c.name], ['spec', 'components', i, 'properties']);
        components.push(c);
      });
    }
  }

  // dependsOn between components
  const names = components.map((c) => c.name);
  for (const c of components) {
    for (const d of c.dependsOn) {
      if (!names.includes(d.name)) bad(`unknown component "${d.name}"`, d.span, `spec.components[${c.index}].dependsOn`, didYouMean(d.name, names) ?? `components: ${names.join(', ')}`, 'application/depends-on');
    }
  }
  checkDependencies(
    components.map((c) => ({ name: c.name, deps: c.dependsOn.filter((d) => names.includes(d.name)) })),
    diags,
  );

  const delivery = readDelivery(policies, workflow, ['spec'], diags);
  const raw: RawApplication = {
    format: 'application',
    file,
    dir: opts.dir,
    ...(name !== undefined ? { name } : {}),
    ...(namespace !== undefined ? { namespace, ...(namespaceSpan ? { namespaceSpan } : {}) } : {}),
    services: components,
    origins,
    ...(policies ? { policies } : {}),
    ...(workflow ? { workflow } : {}),
    ...(delivery ? { delivery } : {}),
  };
  return { raw, diagnostics: sortDiagnostics(diags) };
}

/** `metadata`: the app's name and namespace; labels, annotations and the rest are not carried over. */
function readMetadata(meta: LEntry | undefined, docStart: Span, bad: Complain, diags: Diagnostic[]): { name?: string; namespace?: string; namespaceSpan?: Span } {
  let name: string | undefined;
  let namespace: string | undefined;
  let namespaceSpan: Span | undefined;
  if (!meta || meta.value.kind !== 'map') bad('missing metadata.name', meta?.value.span ?? docStart, 'metadata', 'add `metadata: {name: my-app}`');
  else {
    for (const e of meta.value.entries) {
      if (e.key === 'name' || e.key === 'namespace') {
        const v = e.value;
        const s = v.kind === 'scalar' && typeof v.value === 'string' ? v.value : undefined;
        const problem = s === undefined ? `must be a string (got ${describe(v)})` : dns1123LabelProblem(s);
        if (problem) {
          const sug = s ? suggestLabel(s) : undefined;
          bad(`invalid ${e.key === 'name' ? 'app name' : 'namespace'}${s ? ` "${s}"` : ''}: ${problem}`, v.span, `metadata.${e.key}`, sug ? `try "${sug}"` : undefined, 'application/invalid-name');
        } else if (e.key === 'name') name = s;
        else {
          namespace = s;
          namespaceSpan = v.span;
        }
      } else if (e.key === 'labels' || e.key === 'annotations') {
        diags.push(warning(`metadata.${e.key} of the Application are not copied to the objects; ignored`, e.keySpan, { code: 'application/ignored', hint: 'use the labels or annotations trait on the components' }));
      } else {
        diags.push(warning(`metadata.${e.key} is ignored`, e.keySpan, { code: 'application/ignored' }));
      }
    }
    if (!get(meta.value, 'name')) bad('missing metadata.name', meta.keySpan, 'metadata', 'add `name: my-app`');
  }
  return { ...(name !== undefined ? { name } : {}), ...(namespace !== undefined ? { namespace } : {}), ...(namespaceSpan ? { namespaceSpan } : {}) };
}

function readComponent(it: LNode, i: number, bad: Complain, diags: Diagnostic[]): RawComponent | undefined {
  const path = `spec.components[${i}]`;
  if (it.kind !== 'map') {
    bad(`a component must be a map with name and type (got ${describe(it)})`, it.span, path);
    return undefined;
  }
  for (const e of it.entries) {
    if (!(componentKeys as readonly string[]).includes(e.key)) bad(`unknown key "${e.key}" in a component`, e.keySpan, path, didYouMean(e.key, componentKeys) ?? `allowed: ${componentKeys.slice(0, 5).join(', ')}`, 'application/unknown-key');
    else if (['externalRevision', 'scopes', 'inputs', 'outputs'].includes(e.key)) diags.push(warning(`${e.key} has no meaning without the KubeVela controller; ignored`, e.keySpan, { path, code: 'application/ignored' }));
  }
  const n = get(it, 'name');
  const cname = n?.value.kind === 'scalar' && typeof n.value.value === 'string' ? n.value.value : undefined;
  if (!n || cname === undefined) {
    bad('a component needs a name', n?.value.span ?? it.span, path);
    return undefined;
  }
  const problem = dns1123LabelProblem(cname);
  if (problem) bad(`invalid component name "${cname}": ${problem}`, n.value.span, `${path}.name`, suggestLabel(cname) ? `try "${suggestLabel(cname)}"` : undefined, 'application/invalid-name');
  const t = get(it, 'type');
  const type = t?.value.kind === 'scalar' && typeof t.value.value === 'string' ? t.value.value : undefined;
  if (!t || type === undefined) {
    bad(`component "${cname}" needs a type`, t?.value.span ?? n.keySpan, path, 'for example `type: webservice`');
    return undefined;
  }
  const p = get(it, 'properties');
  let properties: JsonObject = {};
  if (p) {
    if (p.value.kind === 'map') properties = toJson(p.value) as JsonObject;
    else if (!(p.value.kind === 'scalar' && p.value.value === null)) bad(`properties must be a map (got ${describe(p.value)})`, p.value.span, `${path}.properties`);
  }
  const traitsEntry = get(it, 'traits');
  const traits = traitsEntry?.value.kind === 'seq' ? readTraits(traitsEntry.value.items, path, bad) : [];
  if (traitsEntry && traitsEntry.value.kind !== 'seq' && !(traitsEntry.value.kind === 'scalar' && traitsEntry.value.value === null)) bad(`traits must be a list (got ${describe(traitsEntry.value)})`, traitsEntry.value.span, `${path}.traits`, 'for example `traits: [{type: scaler, properties: {replicas: 2}}]`');
  const deps: DependencyRef[] = [];
  const d = get(it, 'dependsOn');
  if (d && d.value.kind === 'seq') {
    for (const x of d.value.items) {
      if (x.kind === 'scalar' && typeof x.value === 'string') deps.push({ name: x.value, span: x.span });
      else bad(`dependsOn items must be component names (got ${describe(x)})`, x.span, `${path}.dependsOn`);
    }
  } else if (d && !(d.value.kind === 'scalar' && d.value.value === null)) bad(`dependsOn must be a list of component names (got ${describe(d.value)})`, d.value.span, `${path}.dependsOn`);
  return { name: cname, span: n.value.span, index: i, type: { name: type, span: t.value.span }, properties, traits, dependsOn: deps };
}

/** The shape of each trait (a map with a type and map properties); whether it exists is resolve's question. */
function readTraits(items: readonly LNode[], path: string, bad: Complain): RawComponentTrait[] {
  const traits: RawComponentTrait[] = [];
  items.forEach((item, j) => {
    const traitPath = `${path}.traits[${j}]`;
    if (item.kind !== 'map') return bad(`a trait must be a map with type and properties (got ${describe(item)})`, item.span, traitPath);
    for (const e of item.entries) if (e.key !== 'type' && e.key !== 'properties') bad(`unknown key "${e.key}" in a trait`, e.keySpan, traitPath, didYouMean(e.key, ['type', 'properties']) ?? 'a trait has type and properties', 'application/unknown-key');
    const typeEntry = get(item, 'type');
    const type = typeEntry?.value.kind === 'scalar' && typeof typeEntry.value.value === 'string' ? typeEntry.value.value : undefined;
    if (!typeEntry || type === undefined) return bad('a trait needs a type', typeEntry?.value.span ?? item.span, traitPath, 'for example `type: scaler`');
    const props = get(item, 'properties');
    let properties: JsonObject = {};
    if (props?.value.kind === 'map') properties = toJson(props.value) as JsonObject;
    else if (props && !(props.value.kind === 'scalar' && props.value.value === null)) {
      // Some traits take a list or a scalar in KubeVela; vela's trait sections are maps.
      return bad(`trait properties must be a map (got ${describe(props.value)})`, props.value.span, `${traitPath}.properties`);
    }
    traits.push({ type, typeSpan: typeEntry.value.span, properties, index: j });
  });
  return traits;
}
