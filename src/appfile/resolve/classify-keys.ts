/**
 * An Appfile service's keys, sorted into component parameters and trait
 * sections (APPFILE.md section 1):
 *   1. `type`, `build`, `dependsOn`, `traits` are reserved (read by the parser);
 *   2. a key declared in the component's parameter schema is a parameter;
 *   3. else a key naming a trait that applies to the component is a trait section
 *      (a trait that exists but does not apply is its own error);
 *   4. else, when the component's schema is open (no declared properties, or
 *      `additionalProperties` allowed), the key is a parameter;
 *   5. else an error at the key, with a suggestion.
 * Step 3 comes before 4 so that an open component (`parameter: {...}`) still gets
 * its traits; `traits:` forces trait interpretation where a name is both.
 * Trait sections are validated against their trait's schema here; parameters,
 * as a whole, by the caller.
 */
import type { Definition, JsonSchema, Registry } from '../../capability/index.js';
import { closest, error, type Diagnostic, type Span } from '../../source/index.js';
import { formatDocPath, type Locator } from '../doc-path.js';
import type { DocPath, JsonObject, JsonValue, TraitSection } from '../model.js';
import type { RawEntry, RawServiceKey } from '../raw-app.js';
import { reservedServiceKeys } from '../read-service.js';
import { validateAgainstSchema } from '../validate-schema.js';
import { describeValue } from '../yaml-tree.js';
import { applies, traitHint } from './definitions.js';

export interface ClassifiedKeys {
  /** In file order. */
  readonly params: JsonObject;
  readonly traits: readonly TraitSection[];
}

export interface ClassifyTarget {
  readonly service: string;
  /** The component, unless its type is unknown: then keys cannot be told apart, and only `traits:` is checked. */
  readonly component?: Definition;
  readonly registry: Registry;
  readonly locator: Locator;
  readonly diags: Diagnostic[];
}

export function classifyKeys(keys: readonly RawServiceKey[], target: ClassifyTarget): ClassifiedKeys {
  const { component, registry, diags } = target;
  const base: DocPath = ['services', target.service];
  const push = (message: string, span: Span, code: string, extra: { path?: DocPath; hint?: string; related?: Span[] } = {}) =>
    diags.push(
      error(message, span, {
        path: formatDocPath(extra.path ?? base),
        code,
        ...(extra.hint ? { hint: extra.hint } : {}),
        ...(extra.related ? { related: extra.related } : {}),
      }),
    );

  const params: JsonObject = {};
  const traits: TraitSection[] = [];
  const traitSeen = new Map<string, Span>();

  const addTrait = (t: Definition, e: RawEntry) => {
    const prev = traitSeen.get(t.name);
    if (prev) {
      push(`trait "${t.name}" is given twice`, e.keySpan, 'appfile/duplicate-trait', { related: [prev], hint: 'merge the two sections into one' });
      return;
    }
    traitSeen.set(t.name, e.keySpan);
    let properties: JsonObject = {};
    if (isMap(e.value)) properties = e.value;
    else if (e.value !== null) {
      push(`a trait section must be a map of the trait's properties (got ${describeValue(e.value)})`, e.valueSpan, 'appfile/trait-not-map', {
        path: e.path,
        hint: `for example \`${traitExample(t, e.value)}\``,
      });
      return;
    }
    traits.push({ name: t.name, properties, span: e.keySpan, path: e.path });
    diags.push(...validateAgainstSchema(properties, t.schema, { locate: target.locator.locate, locateKey: target.locator.locateKey, basePath: e.path }));
  };

  const notApplicable = (t: Definition, comp: Definition, e: RawEntry) => {
    const to = registry.components().filter((c) => applies(t, c)).map((c) => c.name);
    const list = to.length > 0 ? to : t.appliesTo;
    push(`trait "${t.name}" does not apply to component type "${comp.name}"`, e.keySpan, 'appfile/trait-not-applicable', { hint: `${t.name} applies to ${list.join(', ')}` });
  };

  for (const e of keys) {
    const t = registry.trait(e.key);
    if (e.as === 'trait') {
      // Under `traits:` a name is a trait, whatever the component declares.
      if (!t) push(`unknown trait "${e.key}"`, e.keySpan, 'appfile/unknown-trait', { path: e.path.slice(0, -1), hint: traitHint(registry, e.key) });
      else if (component && !applies(t, component)) notApplicable(t, component, e);
      else if (component) addTrait(t, e);
      continue;
    }
    if (!component) continue; // cannot tell parameters from traits; the type error says why
    const schema = component.schema;
    if (declaredProperties(schema).has(e.key)) {
      params[e.key] = e.value;
      continue;
    }
    if (t && applies(t, component)) {
      addTrait(t, e);
      continue;
    }
    if (t) {
      notApplicable(t, component, e);
      continue;
    }
    if (isOpen(schema, e.key)) {
      params[e.key] = e.value;
      continue;
    }
    const paramNames = visibleProperties(schema);
    const traitNames = registry.traits().filter((d) => applies(d, component)).map((d) => d.name);
    const near = closest(e.key, [...paramNames, ...traitNames, ...reservedServiceKeys]);
    const hint = near
      ? `did you mean \`${near}\`?`
      : `parameters of ${component.name}: ${short(paramNames)}; traits: ${short(traitNames)} (see \`vela show ${component.name}\`)`;
    push(`unknown key: not a parameter of component "${component.name}", nor a trait that applies to it`, e.keySpan, 'appfile/unknown-key', { path: e.path, hint });
  }
  return { params, traits };
}

const isMap = (v: JsonValue): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Property names a schema declares, including those of its `allOf`/`anyOf`/`oneOf`
 * branches (a CUE disjunction of structs at the top of `parameter`).
 */
const declaredCache = new WeakMap<object, Set<string>>();
function declaredProperties(schema: JsonSchema): Set<string> {
  let names = declaredCache.get(schema);
  if (!names) {
    const found = new Set<string>();
    const add = (s: JsonSchema | undefined, depth: number) => {
      if (!s || depth > 3) return;
      for (const k of Object.keys(s.properties ?? {})) found.add(k);
      for (const b of [...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? [])]) add(b, depth + 1);
    };
    add(schema, 0);
    declaredCache.set(schema, found);
    names = found;
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
  const additional = schema.additionalProperties;
  if (additional === false) return false;
  if (additional !== undefined) return true; // true or a schema
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
function traitExample(t: Definition, value: JsonValue): string {
  const props = t.schema.properties ?? {};
  const names = Object.keys(props);
  const scalar = value === null || typeof value !== 'object';
  const given = scalar ? JSON.stringify(value) : '...';
  const jsonType = Array.isArray(value) ? 'array' : !scalar ? 'object' : typeof value === 'number' ? (Number.isInteger(value) ? 'integer' : 'number') : typeof value;
  const fits = (n: string) => {
    const declared = props[n]?.type;
    const types = Array.isArray(declared) ? declared : declared === undefined ? [] : [declared];
    return types.includes(jsonType as never) || (jsonType === 'integer' && types.includes('number'));
  };
  const required = (t.schema.required ?? []).filter((n) => n in props);
  const pick = required.find(fits) ?? (names.length === 1 ? names[0] : undefined) ?? names.find(fits);
  return pick ? `${t.name}: {${pick}: ${given}}` : `${t.name}: {...}`;
}
