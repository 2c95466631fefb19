/**
 * A KubeVela `Application` (core.oam.dev/v1beta1) → AppModel, rendered
 * client-side through the same definitions as an Appfile:
 *   metadata.name / namespace → the app's name and namespace;
 *   spec.components[] {name, type, properties, traits[{type, properties}], dependsOn} → services;
 *   spec.policies: `override` merged into the components in order, as KubeVela
 *   does when there is no workflow; a single-cluster `topology` gives the
 *   namespace; other policies and the workflow are warned about and ignored.
 */
import type { Registry } from '../../capability/types.js';
import { didYouMean, error, warning, type Diagnostic, type SourceFile, type Span } from '../../source/index.js';
import { checkDependencies } from '../depends-on.js';
import type { JsonObject, JsonValue, ServiceModel, TraitSection } from '../model.js';
import { dns1123LabelProblem, suggestLabel } from '../names.js';
import { sortDiagnostics, type ParsedApp } from '../parse-appfile.js';
import { applies } from '../service.js';
import { validateAgainstSchema } from '../validate-schema.js';
import { describe, parseYamlTree, toJson, type LEntry, type LMap, type LNode } from '../yaml-tree.js';
import { Origins } from '../compose/origins.js';

export interface ParseApplicationOptions {
  /** The folder of the file (unused by components, kept for the model). */
  readonly dir: string;
  readonly maxBytes?: number;
}

const specKeys = ['components', 'policies', 'workflow'] as const;
const componentKeys = ['name', 'type', 'properties', 'traits', 'dependsOn', 'externalRevision', 'scopes', 'inputs', 'outputs'] as const;

interface Component {
  readonly name: string;
  readonly nameSpan: Span;
  readonly index: number;
  readonly type: string;
  readonly typeSpan: Span;
  properties: JsonObject;
  traits: { type: string; properties: JsonObject; span: Span; index: number }[];
  readonly deps: { name: string; span: Span }[];
}

export function parseApplication(file: SourceFile, registry: Registry, opts: ParseApplicationOptions): { app?: ParsedApp; diagnostics: Diagnostic[] } {
  const tree = parseYamlTree(file, opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {});
  const diags = tree.diagnostics;
  const root = tree.root;
  if (!root || diags.some((d) => d.severity === 'error' && d.code !== 'appfile/duplicate-key')) return { diagnostics: sortDiagnostics(diags) };
  if (root.kind !== 'map') {
    diags.push(error(`an Application must be a map (got ${describe(root)})`, root.span, { code: 'application/shape' }));
    return { diagnostics: sortDiagnostics(diags) };
  }
  const origins = new Origins(root);
  const get = (m: LMap, k: string) => m.entries.find((e) => e.key === k);
  const bad = (msg: string, span: Span, path: string, hint?: string, code = 'application/shape') => diags.push(error(msg, span, { path, code, ...(hint ? { hint } : {}) }));
  const docStart: Span = { file, start: root.span.start, end: root.span.start };

  const apiVersion = get(root, 'apiVersion');
  const av = apiVersion?.value.kind === 'scalar' ? String(apiVersion.value.value) : undefined;
  if (!apiVersion) bad('missing apiVersion', docStart, 'apiVersion', 'add `apiVersion: core.oam.dev/v1beta1`');
  else if (av !== 'core.oam.dev/v1beta1') bad(`unsupported apiVersion ${describe(apiVersion.value)}`, apiVersion.value.span, 'apiVersion', 'vela reads core.oam.dev/v1beta1 Applications');
  const kind = get(root, 'kind');
  if (!kind || !(kind.value.kind === 'scalar' && kind.value.value === 'Application')) bad(`kind must be Application${kind ? ` (got ${describe(kind.value)})` : ''}`, kind?.value.span ?? docStart, 'kind');
  for (const e of root.entries) {
    if (e.key === 'status') diags.push(warning('status is written by the cluster; ignored', e.keySpan, { code: 'application/ignored' }));
    else if (!['apiVersion', 'kind', 'metadata', 'spec'].includes(e.key)) bad(`unknown top-level key "${e.key}"`, e.keySpan, e.key, didYouMean(e.key, ['apiVersion', 'kind', 'metadata', 'spec']), 'application/unknown-key');
  }

  // metadata
  let name: string | undefined;
  let namespace: string | undefined;
  let namespaceSpan: Span | undefined;
  const meta = get(root, 'metadata');
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

  // spec
  const spec = get(root, 'spec');
  const components: Component[] = [];
  if (!spec || spec.value.kind !== 'map') bad('missing spec.components', spec?.value.span ?? docStart, 'spec', 'an Application lists its components under `spec.components`');
  else {
    for (const e of spec.value.entries) {
      if (e.key === 'workflow') diags.push(warning('spec.workflow is not run by vela: components are applied in dependsOn order; ignored', e.keySpan, { code: 'application/ignored' }));
      else if (!(specKeys as readonly string[]).includes(e.key)) bad(`unknown key "${e.key}" in spec`, e.keySpan, 'spec', didYouMean(e.key, specKeys) ?? `allowed: ${specKeys.join(', ')}`, 'application/unknown-key');
    }
    const comps = get(spec.value, 'components');
    if (!comps || comps.value.kind !== 'seq' || comps.value.items.length === 0) {
      bad('spec.components must list at least one component', comps?.value.span ?? spec.keySpan, 'spec.components', 'for example `components: [{name: web, type: webservice, properties: {image: nginx:1.27}}]`');
    } else {
      const seen = new Map<string, Span>();
      comps.value.items.forEach((it, i) => {
        const c = readComponent(it, i, registry, diags);
        if (!c) return;
        const prev = seen.get(c.name);
        if (prev) bad(`duplicate component "${c.name}"`, c.nameSpan, `spec.components[${i}].name`, `"${c.name}" is already used at line ${file.lineCol(prev.start).line}`, 'application/duplicate');
        else seen.set(c.name, c.nameSpan);
        components.push(c);
      });
    }
    const policies = get(spec.value, 'policies');
    if (policies) namespace = applyPolicies(policies, components, diags) ?? namespace;
  }

  // dependsOn between components
  const names = components.map((c) => c.name);
  for (const c of components) {
    for (const d of c.deps) {
      if (!names.includes(d.name)) bad(`unknown component "${d.name}"`, d.span, `spec.components[${c.index}].dependsOn`, didYouMean(d.name, names) ?? `components: ${names.join(', ')}`, 'application/depends-on');
    }
  }
  checkDependencies(
    components.map((c) => ({ name: c.name, deps: c.deps.filter((d) => names.includes(d.name)) })),
    diags,
  );

  // Validate against the definitions, with positions in the Application.
  const services: ServiceModel[] = [];
  for (const c of components) {
    const def = registry.component(c.type);
    if (!def) continue;
    const base = ['services', c.name];
    const src = ['spec', 'components', c.index];
    origins.add(base, [...src, 'name']);
    origins.addTree(base, [...src, 'properties']);
    diags.push(...validateAgainstSchema(c.properties, def.schema, { locate: origins.locate, locateKey: origins.locateKey, basePath: base, noun: 'property' }));
    const traits: TraitSection[] = [];
    for (const t of c.traits) {
      const td = registry.trait(t.type);
      // Traits added by an override policy are checked here, not when the component was read.
      if (!td || !applies(td, def)) {
        diags.push(error(td ? `trait "${t.type}" does not apply to component type "${c.type}"` : `unknown trait "${t.type}"`, t.span, { path: 'spec.policies', code: 'application/unknown-trait' }));
        continue;
      }
      const path = [...base, 'traits', t.type];
      origins.addTree(path, [...src, 'traits', t.index, 'properties']);
      diags.push(...validateAgainstSchema(t.properties, td.schema, { locate: origins.locate, locateKey: origins.locateKey, basePath: path, noun: 'property' }));
      traits.push({ name: t.type, properties: t.properties, span: t.span, path });
    }
    services.push({
      name: c.name,
      span: c.nameSpan,
      type: c.type,
      typeSpan: c.typeSpan,
      ...(typeof c.properties.image === 'string' ? { image: c.properties.image } : {}),
      dependsOn: c.deps.map((d) => d.name),
      params: c.properties,
      traits,
    });
  }

  if (diags.some((d) => d.severity === 'error') || name === undefined) return { diagnostics: sortDiagnostics(diags) };
  const app: ParsedApp = {
    file,
    dir: opts.dir,
    name,
    ...(namespace !== undefined ? { namespace, ...(namespaceSpan ? { namespaceSpan } : {}) } : {}),
    services,
    locate: origins.locate,
  };
  return { app, diagnostics: sortDiagnostics(diags) };

  function readComponent(it: LNode, i: number, reg: Registry, ds: Diagnostic[]): Component | undefined {
    const path = `spec.components[${i}]`;
    if (it.kind !== 'map') {
      bad(`a component must be a map with name and type (got ${describe(it)})`, it.span, path);
      return undefined;
    }
    const g = (k: string) => get(it, k);
    for (const e of it.entries) {
      if (!(componentKeys as readonly string[]).includes(e.key)) bad(`unknown key "${e.key}" in a component`, e.keySpan, path, didYouMean(e.key, componentKeys) ?? `allowed: ${componentKeys.slice(0, 5).join(', ')}`, 'application/unknown-key');
      else if (['externalRevision', 'scopes', 'inputs', 'outputs'].includes(e.key)) ds.push(warning(`${e.key} has no meaning without the KubeVela controller; ignored`, e.keySpan, { path, code: 'application/ignored' }));
    }
    const n = g('name');
    const cname = n?.value.kind === 'scalar' && typeof n.value.value === 'string' ? n.value.value : undefined;
    if (!n || cname === undefined) {
      bad('a component needs a name', n?.value.span ?? it.span, path);
      return undefined;
    }
    const problem = dns1123LabelProblem(cname);
    if (problem) bad(`invalid component name "${cname}": ${problem}`, n.value.span, `${path}.name`, suggestLabel(cname) ? `try "${suggestLabel(cname)}"` : undefined, 'application/invalid-name');
    const t = g('type');
    const type = t?.value.kind === 'scalar' && typeof t.value.value === 'string' ? t.value.value : undefined;
    if (!t || type === undefined) {
      bad(`component "${cname}" needs a type`, t?.value.span ?? n.keySpan, path, 'for example `type: webservice`');
      return undefined;
    }
    const def = reg.component(type);
    if (!def) {
      const all = reg.components().map((d) => d.name);
      const list = all.length <= 12 ? `available: ${all.join(', ')}` : 'see `vela components`';
      const near = didYouMean(type, all);
      bad(`unknown component type "${type}"`, t.value.span, `${path}.type`, near ? `${near} (${list})` : list, 'application/unknown-type');
    }
    const p = g('properties');
    let properties: JsonObject = {};
    if (p) {
      if (p.value.kind === 'map') properties = toJson(p.value) as JsonObject;
      else if (!(p.value.kind === 'scalar' && p.value.value === null)) bad(`properties must be a map (got ${describe(p.value)})`, p.value.span, `${path}.properties`);
    }
    const traits: Component['traits'] = [];
    const tr = g('traits');
    if (tr && tr.value.kind === 'seq') {
      const seenT = new Map<string, Span>();
      tr.value.items.forEach((ti, j) => {
        const tp = `${path}.traits[${j}]`;
        if (ti.kind !== 'map') return bad(`a trait must be a map with type and properties (got ${describe(ti)})`, ti.span, tp);
        for (const e of ti.entries) if (e.key !== 'type' && e.key !== 'properties') bad(`unknown key "${e.key}" in a trait`, e.keySpan, tp, didYouMean(e.key, ['type', 'properties']) ?? 'a trait has type and properties', 'application/unknown-key');
        const tt = get(ti, 'type');
        const ttype = tt?.value.kind === 'scalar' && typeof tt.value.value === 'string' ? tt.value.value : undefined;
        if (!tt || ttype === undefined) return bad('a trait needs a type', tt?.value.span ?? ti.span, tp, 'for example `type: scaler`');
        const td = reg.trait(ttype);
        if (!td) {
          const all = reg.traits().map((d) => d.name);
          return bad(`unknown trait "${ttype}"`, tt.value.span, `${tp}.type`, didYouMean(ttype, all) ?? (all.length <= 12 ? `available: ${all.join(', ')}` : 'see `vela traits`'), 'application/unknown-trait');
        }
        if (def && !applies(td, def)) return bad(`trait "${ttype}" does not apply to component type "${type}"`, tt.value.span, `${tp}.type`, `${ttype} applies to ${td.appliesTo.join(', ')}`, 'application/trait-not-applicable');
        const prev = seenT.get(ttype);
        if (prev) return bad(`trait "${ttype}" is given twice`, tt.value.span, `${tp}.type`, 'merge the two into one', 'application/duplicate');
        seenT.set(ttype, tt.value.span);
        const tprops = get(ti, 'properties');
        let props: JsonObject = {};
        if (tprops?.value.kind === 'map') props = toJson(tprops.value) as JsonObject;
        else if (tprops && !(tprops.value.kind === 'scalar' && tprops.value.value === null)) {
          // Some traits take a list or a scalar in KubeVela; vela's trait sections are maps.
          return bad(`trait properties must be a map (got ${describe(tprops.value)})`, tprops.value.span, `${tp}.properties`);
        }
        traits.push({ type: ttype, properties: props, span: tt.value.span, index: j });
      });
    } else if (tr && !(tr.value.kind === 'scalar' && tr.value.value === null)) bad(`traits must be a list (got ${describe(tr.value)})`, tr.value.span, `${path}.traits`, 'for example `traits: [{type: scaler, properties: {replicas: 2}}]`');
    const deps: { name: string; span: Span }[] = [];
    const d = g('dependsOn');
    if (d && d.value.kind === 'seq') {
      for (const x of d.value.items) {
        if (x.kind === 'scalar' && typeof x.value === 'string') deps.push({ name: x.value, span: x.span });
        else bad(`dependsOn items must be component names (got ${describe(x)})`, x.span, `${path}.dependsOn`);
      }
    } else if (d && !(d.value.kind === 'scalar' && d.value.value === null)) bad(`dependsOn must be a list of component names (got ${describe(d.value)})`, d.value.span, `${path}.dependsOn`);
    if (!def) return undefined;
    return { name: cname, nameSpan: n.value.span, index: i, type, typeSpan: t.value.span, properties, traits, deps };
  }
}

/** Applies override policies (in order) and reads the namespace of a single-cluster topology. */
function applyPolicies(e: LEntry, components: Component[], diags: Diagnostic[]): string | undefined {
  const bad = (msg: string, span: Span, hint?: string) => diags.push(error(msg, span, { path: 'spec.policies', code: 'application/policy', ...(hint ? { hint } : {}) }));
  if (e.value.kind !== 'seq') {
    bad(`policies must be a list (got ${describe(e.value)})`, e.value.span);
    return undefined;
  }
  let namespace: string | undefined;
  let topologies = 0;
  for (const p of e.value.items) {
    if (p.kind !== 'map') {
      bad(`a policy must be a map with name, type and properties (got ${describe(p)})`, p.span);
      continue;
    }
    const g = (k: string) => p.entries.find((x) => x.key === k);
    const t = g('type');
    const type = t?.value.kind === 'scalar' ? String(t.value.value) : undefined;
    if (!g('name')) bad('a policy needs a name', p.span);
    if (!t || !type) {
      bad('a policy needs a type', p.span);
      continue;
    }
    const props = g('properties');
    const pm = props?.value.kind === 'map' ? props.value : undefined;
    if (type === 'topology') {
      topologies++;
      if (topologies > 1) {
        diags.push(warning('only the first topology policy is used: vela deploys to one cluster and namespace; ignored', t.value.span, { path: 'spec.policies', code: 'application/ignored' }));
        continue;
      }
      for (const x of pm?.entries ?? []) {
        if (x.key === 'namespace' && x.value.kind === 'scalar' && typeof x.value.value === 'string') {
          const problem = dns1123LabelProblem(x.value.value);
          if (problem) bad(`invalid namespace "${x.value.value}": ${problem}`, x.value.span);
          else namespace = x.value.value;
        } else if (x.key === 'clusters' && x.value.kind === 'seq' && x.value.items.every((c) => c.kind === 'scalar' && c.value === 'local')) {
          continue;
        } else {
          diags.push(
            warning(`topology ${x.key} has no meaning for vela, which deploys to the cluster of the current kubeconfig context; ignored`, x.keySpan, {
              path: 'spec.policies',
              code: 'application/ignored',
              hint: 'choose the cluster with the kubeconfig context',
            }),
          );
        }
      }
      continue;
    }
    if (type !== 'override') {
      diags.push(warning(`policy type "${type}" is not supported by vela; ignored`, t.value.span, { path: 'spec.policies', code: 'application/ignored' }));
      continue;
    }
    if (!pm) {
      bad('an override policy needs properties.components', t.value.span);
      continue;
    }
    const selector = pm.entries.find((x) => x.key === 'selector');
    const selected = selector?.value.kind === 'seq' ? new Set(selector.value.items.map((x) => (x.kind === 'scalar' ? String(x.value) : ''))) : undefined;
    const oc = pm.entries.find((x) => x.key === 'components');
    if (!oc || oc.value.kind !== 'seq') {
      bad('an override policy needs properties.components (a list)', oc?.value.span ?? t.value.span);
      continue;
    }
    for (const o of oc.value.items) {
      if (o.kind !== 'map') continue;
      const og = (k: string) => o.entries.find((x) => x.key === k)?.value;
      const oname = og('name');
      const otype = og('type');
      const nameMatch = oname?.kind === 'scalar' ? String(oname.value) : undefined;
      const typeMatch = otype?.kind === 'scalar' ? String(otype.value) : undefined;
      const targets = components.filter((c) => (!selected || selected.has(c.name)) && (nameMatch === undefined || nameMatch === c.name) && (typeMatch === undefined || typeMatch === c.type));
      if (targets.length === 0) {
        diags.push(warning('this override matches no component', o.span, { path: 'spec.policies', code: 'application/override' }));
        continue;
      }
      const oprops = og('properties');
      const otraits = og('traits');
      for (const c of targets) {
        if (oprops?.kind === 'map') c.properties = mergePatch(c.properties, toJson(oprops) as JsonObject) as JsonObject;
        if (otraits?.kind === 'seq') {
          for (const ot of otraits.items) {
            if (ot.kind !== 'map') continue;
            const tt = ot.entries.find((x) => x.key === 'type')?.value;
            const ttype = tt?.kind === 'scalar' ? String(tt.value) : undefined;
            if (!ttype) continue;
            const disable = ot.entries.find((x) => x.key === 'disable')?.value;
            const tp = ot.entries.find((x) => x.key === 'properties')?.value;
            const existing = c.traits.find((x) => x.type === ttype);
            if (disable?.kind === 'scalar' && disable.value === true) c.traits = c.traits.filter((x) => x.type !== ttype);
            else if (existing) existing.properties = mergePatch(existing.properties, tp?.kind === 'map' ? (toJson(tp) as JsonObject) : {}) as JsonObject;
            else c.traits.push({ type: ttype, properties: tp?.kind === 'map' ? (toJson(tp) as JsonObject) : {}, span: tt!.span, index: -1 });
          }
        }
      }
    }
  }
  return namespace;
}

/** RFC 7396 JSON merge patch: maps merge, null deletes, everything else replaces (KubeVela merges override properties this way). */
function mergePatch(target: JsonValue, patch: JsonValue): JsonValue {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: JsonObject = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}
