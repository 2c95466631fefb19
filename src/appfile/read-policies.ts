/**
 * `policies:` (an Appfile's top level, an Application's `spec`) → typed
 * policies (delivery-model.ts), each value with its position. The shape of
 * every policy type vela knows is checked here, with KubeVela's field names:
 * a wrong type, an unknown key or a missing required key is an error at its
 * line. A policy of a type vela does not know is kept as `other` (whoever uses
 * it says so). References between parts (a deploy step naming a policy, an
 * override naming a component) are checked by the planner, not here.
 */
import { error, type Diagnostic, type Span } from '../source/index.js';
import { type ApplyOncePolicy, type ApplyOnceRule, type ComponentOverride, type GarbageCollectPolicy, type GarbageCollectRule, type Located, type OverridePolicy, type Policy, type ResourceRule, type ResourceRulesPolicy, type ResourceSelector, type TopologyPolicy, type TraitOverride, policyProperties } from './delivery-model.js';
import { formatDocPath } from './doc-path.js';
import { MapReader, readMap } from './map-reader.js';
import type { DocPath } from './model.js';
import { dns1123LabelProblem } from './names.js';
import { describe, type LEntry } from './yaml-tree.js';

const CODE = 'policy';

/** Reads the list under `policies:`; `base` is its document path (['policies'] or ['spec', 'policies']). */
export function readPolicies(entry: LEntry, base: DocPath, diags: Diagnostic[]): Policy[] {
  const v = entry.value;
  if (v.kind === 'scalar' && v.value === null) return [];
  if (v.kind !== 'seq') {
    diags.push(error(`policies must be a list (got ${describe(v)})`, v.span, { path: formatDocPath(base), code: `${CODE}/shape`, hint: 'for example `policies: [{name: prod, type: topology, properties: {clusters: [prod]}}]`' }));
    return [];
  }
  const policies: Policy[] = [];
  const seen = new Map<string, Span>();
  v.items.forEach((item, index) => {
    const path = [...base, index];
    const reader = readMap(item, path, diags, CODE, 'a policy must be a map with name, type and properties');
    if (!reader) return;
    reader.rejectUnknown(['name', 'type', 'properties'], 'a policy');
    const name = reader.string('name', { required: true, hint: 'every policy needs a name, for deploy steps to refer to it' });
    const type = reader.string('type', { required: true, hint: 'for example `type: topology`' });
    if (name) {
      const prev = seen.get(name.value);
      if (prev) diags.push(error(`duplicate policy name "${name.value}"`, name.span, { path: formatDocPath([...path, 'name']), code: `${CODE}/duplicate`, related: [prev], hint: 'policy names must be unique' }));
      else seen.set(name.value, name.span);
    }
    if (!type) return;
    const head = { name: name?.value ?? '', nameSpan: name?.span ?? reader.map.span, type: type.value, typeSpan: type.span, span: reader.map.span, path };
    const props = reader.mapOf('properties');
    const policy = readTyped(head, props, reader, diags);
    if (policy) policies.push(policy);
  });
  return policies;
}

type Head = Pick<Policy, 'name' | 'nameSpan' | 'type' | 'typeSpan' | 'span' | 'path'>;

function readTyped(head: Head, props: MapReader | undefined, policy: MapReader, diags: Diagnostic[]): Policy | undefined {
  // An absent `properties` reads as an empty map, except where a required key makes that an error.
  const empty = (): MapReader => new MapReader({ kind: 'map', entries: [], span: policy.entry('properties')?.keySpan ?? head.typeSpan, size: 1 }, [...head.path, 'properties'], diags, CODE);
  const p = props ?? empty();
  switch (head.type) {
    case 'topology':
      return readTopology(head, p, diags);
    case 'override':
      return readOverride(head, p);
    case 'garbage-collect':
      return readGarbageCollect(head, p);
    case 'apply-once':
      return readApplyOnce(head, p);
    case 'shared-resource':
    case 'read-only':
    case 'take-over':
      p.rejectUnknown(policyProperties[head.type], `a ${head.type} policy`);
      return { ...head, kind: head.type, rules: rules(p, true).map(({ selector, span }) => ({ selector: selector!, span })) } satisfies ResourceRulesPolicy;
    default:
      return { ...head, kind: 'other', properties: policy.value('properties') ?? null };
  }
}

function readTopology(head: Head, p: MapReader, diags: Diagnostic[]): TopologyPolicy {
  const deprecated = p.entry('clusterSelector');
  p.rejectUnknown(policyProperties.topology, 'a topology policy');
  let selector = p.stringMap('clusterLabelSelector');
  if (deprecated) {
    const old = p.stringMap('clusterSelector');
    diags.push({ ...error('clusterSelector is deprecated', deprecated.keySpan, { path: formatDocPath([...p.path, 'clusterSelector']), code: `${CODE}/deprecated`, hint: 'write clusterLabelSelector' }), severity: 'warning' });
    selector ??= old;
  }
  const namespace = p.string('namespace');
  const problem = namespace && dns1123LabelProblem(namespace.value);
  if (namespace && problem) p.fail(`invalid namespace "${namespace.value}": ${problem}`, namespace.span, { path: [...p.path, 'namespace'] });
  const clusters = p.stringList('clusters');
  return {
    ...head,
    kind: 'topology',
    ...(clusters ? { clusters } : {}),
    ...(selector ? { clusterLabelSelector: selector } : {}),
    ...(namespace && !problem ? { namespace } : {}),
    allowEmpty: p.bool('allowEmpty')?.value ?? false,
  };
}

function readOverride(head: Head, p: MapReader): OverridePolicy {
  p.rejectUnknown(policyProperties.override, 'an override policy');
  const items = p.list('components');
  if (!items && !p.has('components')) p.fail('an override policy needs properties.components', p.map.span, { hint: 'for example `components: [{name: web, properties: {image: web:v2}}]`' });
  const components: ComponentOverride[] = [];
  for (const { node, path } of items ?? []) {
    const c = p.item(node, path, 'a component override must be a map with name, type, properties and traits');
    if (!c) continue;
    c.rejectUnknown(['name', 'type', 'properties', 'traits'], 'a component override');
    const traits: TraitOverride[] = [];
    for (const t of c.list('traits') ?? []) {
      const tm = c.item(t.node, t.path, 'a trait override must be a map with type, properties and disable');
      if (!tm) continue;
      tm.rejectUnknown(['type', 'properties', 'disable'], 'a trait override');
      const type = tm.string('type', { required: true, hint: 'for example `type: scaler`' });
      const properties = tm.json('properties');
      if (type) traits.push({ type, ...(properties ? { properties } : {}), disable: tm.bool('disable')?.value ?? false, path: t.path });
    }
    const name = c.string('name');
    const type = c.string('type');
    const properties = c.json('properties');
    components.push({ ...(name ? { name } : {}), ...(type ? { type } : {}), ...(properties ? { properties } : {}), traits, span: c.map.span, path });
  }
  const selector = p.stringList('selector');
  return { ...head, kind: 'override', components, ...(selector ? { selector } : {}) };
}

function readGarbageCollect(head: Head, p: MapReader): GarbageCollectPolicy {
  p.rejectUnknown(policyProperties['garbage-collect'], 'a garbage-collect policy');
  const limit = p.int('applicationRevisionLimit');
  const gcRules: GarbageCollectRule[] = rules(p, true, ['strategy', 'propagation']).map(({ selector, span, reader }) => {
    const propagation = reader.choice('propagation', ['orphan', 'cascading'] as const);
    return { selector: selector!, span, strategy: reader.choice('strategy', ['onAppUpdate', 'onAppDelete', 'never'] as const)?.value ?? 'onAppUpdate', ...(propagation ? { propagation: propagation.value } : {}) };
  });
  return {
    ...head,
    kind: 'garbage-collect',
    keepLegacyResource: p.bool('keepLegacyResource')?.value ?? false,
    continueOnFailure: p.bool('continueOnFailure')?.value ?? false,
    ...(limit ? { applicationRevisionLimit: limit.value } : {}),
    rules: gcRules,
  };
}

function readApplyOnce(head: Head, p: MapReader): ApplyOncePolicy {
  p.rejectUnknown(policyProperties['apply-once'], 'an apply-once policy');
  const onceRules: ApplyOnceRule[] = rules(p, false, ['strategy']).map(({ selector, span, reader }) => {
    const strategy = reader.mapOf('strategy', { required: true });
    strategy?.rejectUnknown(['affect', 'path'], 'an apply-once strategy');
    const affect = strategy?.string('affect');
    const paths = strategy?.stringList('path');
    if (strategy && !paths) strategy.fail('missing required key "path"', strategy.map.span, { hint: 'the fields left to drift, e.g. `path: ["spec.replicas"]` (or `["*"]`)' });
    return { ...(selector ? { selector } : {}), ...(affect ? { affect: affect.value } : {}), paths: (paths ?? []).map((x) => x.value), span };
  });
  return { ...head, kind: 'apply-once', enable: p.bool('enable')?.value ?? false, rules: onceRules };
}

interface RawRule {
  readonly selector?: ResourceSelector;
  readonly span: Span;
  readonly reader: MapReader;
}

/** `rules: [{selector: {...}, ...extra}]`; the selector is required when `selectorRequired`. */
function rules(p: MapReader, selectorRequired: boolean, extra: readonly string[] = []): RawRule[] {
  const out: RawRule[] = [];
  for (const { node, path } of p.list('rules') ?? []) {
    const r = p.item(node, path, 'a rule must be a map with a selector');
    if (!r) continue;
    r.rejectUnknown(['selector', ...extra], 'a rule');
    const s = r.mapOf('selector', { required: selectorRequired });
    out.push({ ...(s ? { selector: readSelector(s) } : {}), span: r.map.span, reader: r });
  }
  return out;
}

const selectorKeys = ['componentNames', 'componentTypes', 'oamTypes', 'traitTypes', 'resourceTypes', 'resourceNames'] as const;

function readSelector(s: MapReader): ResourceSelector {
  s.rejectUnknown(selectorKeys, 'a resource selector');
  const out: Record<string, string[]> = {};
  for (const key of selectorKeys) {
    const list = s.stringList(key);
    if (!list) continue;
    if (key === 'oamTypes') {
      for (const item of list) if (item.value !== 'COMPONENT' && item.value !== 'TRAIT') s.fail(`oamTypes items must be COMPONENT or TRAIT (got "${item.value}")`, item.span, { path: [...s.path, key] });
    }
    out[key] = list.map((x: Located<string>) => x.value);
  }
  // An empty list selects nothing, as an absent one does: a typo'd or emptied rule must not pass silently.
  if (!Object.values(out).some((values) => values.length > 0)) s.fail('a selector must select by at least one of ' + selectorKeys.join(', '), s.map.span);
  return out as ResourceSelector;
}

