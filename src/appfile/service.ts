/**
 * One service of the Appfile: its reserved keys, and every other key sorted
 * into a component parameter or a trait section (APPFILE.md section 1):
 *   1. `type`, `build`, `dependsOn`, `traits` are reserved;
 *   2. a key declared in the component's parameter schema is a parameter;
 *   3. else a key naming a trait that applies to the component is a trait section
 *      (a trait that exists but does not apply is its own error);
 *   4. else, when the component's schema is open (no declared properties, or
 *      `additionalProperties` allowed), the key is a parameter;
 *   5. else an error at the key, with a suggestion.
 * Step 3 comes before 4 so that an open component (`parameter: {...}`) still gets
 * its traits; `traits:` forces trait interpretation where a name is both.
 */
import type { Definition, JsonSchema, Registry } from '../capability/types.js';
import { closest, didYouMean, error, type Diagnostic, type Span } from '../source/index.js';
import { readBuild } from './build-section.js';
import { readDependsOn, type DependencyRef } from './depends-on.js';
import { formatDocPath, type Locator } from './doc-path.js';
import type { BuildSpec, DocPath, JsonObject, ServiceModel, TraitSection } from './model.js';
import { validateAgainstSchema } from './validate-schema.js';
import { describe, toJson, type LEntry, type LMap, type LNode } from './yaml-tree.js';

export const reservedServiceKeys = ['type', 'build', 'dependsOn', 'traits'] as const;
export const defaultComponentType = 'webservice';

export interface ServiceRead {
  readonly model: ServiceModel;
  readonly deps: readonly DependencyRef[];
}

export function readService(entry: LEntry, registry: Registry, loc: Locator, diags: Diagnostic[]): ServiceRead {
  const name = entry.key;
  const base: DocPath = ['services', name];
  const push = (message: string, span: Span | undefined, code: string, extra: { path?: DocPath; hint?: string; related?: Span[] } = {}) =>
    diags.push(
      error(message, span, {
        path: formatDocPath(extra.path ?? base),
        code,
        ...(extra.hint ? { hint: extra.hint } : {}),
        ...(extra.related ? { related: extra.related } : {}),
      }),
    );

  let body: LMap;
  let shapeOk = true;
  if (entry.value.kind === 'map') body = entry.value;
  else {
    if (!(entry.value.kind === 'scalar' && entry.value.value === null)) {
      shapeOk = false;
      push(`a service must be a map of its settings (got ${describe(entry.value)})`, entry.value.span, 'appfile/service', {
        hint: `for example \`${name}: {image: nginx:1.27}\``,
      });
    }
    body = { kind: 'map', entries: [], span: entry.value.span, size: 1 };
  }

  // The type first: every other key is read in its light.
  let type = defaultComponentType;
  let typeSpan: Span | undefined;
  const typeEntry = body.entries.find((e) => e.key === 'type');
  if (typeEntry) {
    const v = typeEntry.value;
    typeSpan = v.span;
    if (v.kind === 'scalar' && typeof v.value === 'string' && v.value !== '') type = v.value;
    else {
      push(`type must be the name of a component definition (got ${describe(v)})`, v.span, 'appfile/unknown-type', { path: [...base, 'type'] });
      type = '';
    }
  }
  const component = type === '' ? undefined : registry.component(type);
  if (type !== '' && !component) {
    const names = registry.components().map((d) => d.name);
    const near = didYouMean(type, names);
    const list = names.length > 0 && names.length <= 12 ? `available: ${names.join(', ')}` : 'see `vela components`';
    push(
      typeEntry ? `unknown component type "${type}"` : `the default component type "${type}" is not defined`,
      typeSpan ?? entry.keySpan,
      'appfile/unknown-type',
      { path: typeEntry ? [...base, 'type'] : base, hint: near ? `${near} (${list})` : list },
    );
  }

  let build: BuildSpec | undefined;
  let buildEntry: LEntry | undefined;
  let deps: DependencyRef[] = [];
  const params: JsonObject = {};
  const traits: TraitSection[] = [];
  const traitSeen = new Map<string, Span>();

  const addTrait = (t: Definition, e: LEntry, path: DocPath) => {
    const prev = traitSeen.get(t.name);
    if (prev) {
      push(`trait "${t.name}" is given twice`, e.keySpan, 'appfile/duplicate-trait', {
        related: [prev],
        hint: 'merge the two sections into one',
      });
      return;
    }
    traitSeen.set(t.name, e.keySpan);
    let properties: JsonObject = {};
    if (e.value.kind === 'map') properties = toJson(e.value) as JsonObject;
    else if (!(e.value.kind === 'scalar' && e.value.value === null)) {
      push(`a trait section must be a map of the trait's properties (got ${describe(e.value)})`, e.value.span, 'appfile/trait-not-map', {
        path,
        hint: `for example \`${traitExample(t, e.value)}\``,
      });
      return;
    }
    traits.push({ name: t.name, properties, span: e.keySpan, path });
    diags.push(...validateAgainstSchema(properties, t.schema, { ...loc, basePath: path }));
  };

  const notApplicable = (t: Definition, e: LEntry) => {
    const to = registry.components().filter((c) => applies(t, c)).map((c) => c.name);
    const list = to.length > 0 ? to : t.appliesTo;
    push(`trait "${t.name}" does not apply to component type "${component!.name}"`, e.keySpan, 'appfile/trait-not-applicable', {
      hint: `${t.name} applies to ${list.join(', ')}`,
    });
  };

  for (const e of body.entries) {
    const path = [...base, e.key];
    switch (e.key) {
      case 'type':
        continue;
      case 'build':
        buildEntry = e;
        build = readBuild(e, path, diags);
        continue;
      case 'dependsOn':
        deps = readDependsOn(e.value, path, diags);
        continue;
      case 'traits':
        readTraitsMap(e, path);
        continue;
    }
    if (!component) continue; // cannot tell parameters from traits; the type error says why
    const schema = component.schema;
    const declared = declaredProperties(schema).has(e.key);
    if (declared) {
      params[e.key] = toJson(e.value);
      continue;
    }
    const t = registry.trait(e.key);
    if (t && applies(t, component)) {
      addTrait(t, e, path);
      continue;
    }
    if (t) {
      notApplicable(t, e);
      continue;
    }
    if (isOpen(schema, e.key)) {
      params[e.key] = toJson(e.value);
      continue;
    }
    const paramNames = visibleProperties(schema);
    const traitNames = registry.traits().filter((d) => applies(d, component)).map((d) => d.name);
    const near = closest(e.key, [...paramNames, ...traitNames, ...reservedServiceKeys]);
    const hint = near
      ? `did you mean \`${near}\`?`
      : `parameters of ${component.name}: ${short(paramNames)}; traits: ${short(traitNames)} (see \`vela show ${component.name}\`)`;
    push(`unknown key: not a parameter of component "${component.name}", nor a trait that applies to it`, e.keySpan, 'appfile/unknown-key', {
      path,
      hint,
    });
  }

  function readTraitsMap(e: LEntry, path: DocPath): void {
    if (e.value.kind === 'scalar' && e.value.value === null) return;
    if (e.value.kind !== 'map') {
      push(`traits must be a map of trait name to properties (got ${describe(e.value)})`, e.value.span, 'appfile/traits', {
        path,
        hint: 'for example `traits: {scaler: {replicas: 2}}`',
      });
      return;
    }
    for (const te of e.value.entries) {
      const t = registry.trait(te.key);
      if (!t) {
        const all = registry.traits().map((d) => d.name);
        push(`unknown trait "${te.key}"`, te.keySpan, 'appfile/unknown-trait', {
          path,
          hint: didYouMean(te.key, all) ?? (all.length <= 12 ? `available: ${all.join(', ')}` : 'see `vela traits`'),
        });
      } else if (component && !applies(t, component)) notApplicable(t, te);
      else if (component) addTrait(t, te, [...path, te.key]);
    }
  }

  let image: string | undefined;
  if (typeof params.image === 'string') image = params.image;
  if (build && buildEntry && image === undefined) {
    push('`build` needs `image`: the name to give the built image', buildEntry.keySpan, 'appfile/build-needs-image', {
      hint: `add for example \`image: localhost:5000/${name}\``,
    });
  }

  if (component && shapeOk) {
    const found = validateAgainstSchema(params, component.schema, { ...loc, basePath: base });
    // With `build`, a missing image is reported once, above.
    diags.push(...(build ? found.filter((d) => d.message !== 'missing required parameter "image"') : found));
  }

  const model: ServiceModel = {
    name,
    span: entry.keySpan,
    type,
    ...(typeSpan ? { typeSpan } : {}),
    ...(image !== undefined ? { image } : {}),
    ...(build ? { build } : {}),
    dependsOn: deps.map((d) => d.name),
    params,
    traits,
  };
  return { model, deps };
}

/** A trait applies when its appliesTo is empty or names `*`, the component, or the component's workload. */
export function applies(trait: Definition, component: Definition): boolean {
  const a = trait.appliesTo;
  return a.length === 0 || a.some((x) => x === '*' || x === component.name || (component.workloadType !== undefined && x === component.workloadType));
}

/**
 * Property names a schema declares, including those of its `allOf`/`anyOf`/`oneOf`
 * branches (a CUE disjunction of structs at the top of `parameter`).
 */
const declaredCache = new WeakMap<object, Set<string>>();
function declaredProperties(schema: JsonSchema): Set<string> {
  let names = declaredCache.get(schema);
  if (!names) {
    names = new Set<string>();
    const add = (s: JsonSchema | undefined, depth: number) => {
      if (!s || depth > 3) return;
      for (const k of Object.keys(s.properties ?? {})) names!.add(k);
      for (const b of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])]) add(b, depth + 1);
    };
    add(schema, 0);
    declaredCache.set(schema, names);
  }
  return names;
}

/** Whether the schema accepts `key` without declaring it. */
function isOpen(schema: JsonSchema, key: string): boolean {
  for (const pattern of Object.keys(schema.patternProperties ?? {})) {
    try {
      if (new RegExp(pattern, 'u').test(key)) return true;
    } catch {
      // An invalid pattern is the definition's problem; ajv reports it.
    }
  }
  const ap = schema.additionalProperties;
  if (ap === false) return false;
  if (ap !== undefined) return true; // true or a schema
  // Nothing said: open only when nothing is declared either (`parameter: {...}`).
  return declaredProperties(schema).size === 0;
}

function visibleProperties(schema: JsonSchema): string[] {
  return [...declaredProperties(schema)].filter((k) => !schema.properties?.[k]?.['x-ignore']);
}

function short(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')}, ...`;
}

/** `scaler: {replicas: 3}` for `scaler: 3`: put the scalar under the property it most likely meant. */
function traitExample(t: Definition, v: LNode): string {
  const props = t.schema.properties ?? {};
  const names = Object.keys(props);
  const given = v.kind === 'scalar' ? JSON.stringify(v.value) : '...';
  const jsonType = v.kind === 'scalar' ? (typeof v.value === 'number' ? (Number.isInteger(v.value) ? 'integer' : 'number') : typeof v.value) : v.kind === 'seq' ? 'array' : 'object';
  const fits = (n: string) => {
    const ty = props[n]?.type;
    const types = Array.isArray(ty) ? ty : ty === undefined ? [] : [ty];
    return types.includes(jsonType as never) || (jsonType === 'integer' && types.includes('number'));
  };
  const required = (t.schema.required ?? []).filter((n) => n in props);
  const pick = required.find(fits) ?? (names.length === 1 ? names[0] : undefined) ?? names.find(fits);
  return pick ? `${t.name}: {${pick}: ${given}}` : `${t.name}: {...}`;
}
