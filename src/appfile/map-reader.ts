/**
 * Reading the fields of one located YAML map with their shapes checked, for
 * the small closed structures of policies and workflow steps: each getter
 * reports a wrong shape at the value (with the document path), and
 * `rejectUnknown` reports keys the structure does not have, with a
 * did-you-mean. Nothing is thrown; a field of the wrong shape reads as absent.
 */
import { didYouMean, error, type Diagnostic, type Span } from '../source/index.js';
import type { Located } from './delivery-model.js';
import { formatDocPath } from './doc-path.js';
import type { DocPath, JsonObject, JsonValue } from './model.js';
import { describe, toJson, type LEntry, type LMap, type LNode } from './yaml-tree.js';

export class MapReader {
  constructor(
    readonly map: LMap,
    readonly path: DocPath,
    private readonly diags: Diagnostic[],
    /** The diagnostic code prefix, e.g. `policy` → `policy/shape`. */
    private readonly code: string,
  ) {}

  entry(key: string): LEntry | undefined {
    return this.map.entries.find((e) => e.key === key);
  }

  has(key: string): boolean {
    return this.entry(key) !== undefined;
  }

  /** An error at `span`, its path this map's (or `path`). */
  fail(message: string, span: Span, opts: { path?: DocPath; hint?: string; code?: string } = {}): void {
    this.diags.push(error(message, span, { path: formatDocPath(opts.path ?? this.path), code: opts.code ?? `${this.code}/shape`, ...(opts.hint ? { hint: opts.hint } : {}) }));
  }

  /** A map entry whose value is explicitly null counts as absent: `key:` with nothing after it. */
  private present(key: string): LEntry | undefined {
    const e = this.entry(key);
    return e && !(e.value.kind === 'scalar' && e.value.value === null) ? e : undefined;
  }

  private wrong(e: LEntry, want: string, hint?: string): undefined {
    this.fail(`${e.key} must be ${want} (got ${describe(e.value)})`, e.value.span, { path: [...this.path, e.key], ...(hint ? { hint } : {}) });
    return undefined;
  }

  string(key: string, opts: { required?: boolean; hint?: string } = {}): Located<string> | undefined {
    const e = this.present(key);
    if (!e) {
      if (opts.required) this.fail(`missing required key "${key}"`, this.entry(key)?.keySpan ?? this.map.span, { ...(opts.hint ? { hint: opts.hint } : {}) });
      return undefined;
    }
    if (e.value.kind === 'scalar' && typeof e.value.value === 'string' && e.value.value !== '') return { value: e.value.value, span: e.value.span };
    return this.wrong(e, 'a non-empty string', opts.hint);
  }

  /** One of `choices`; reported with the list when another value is given. */
  choice<T extends string>(key: string, choices: readonly T[]): Located<T> | undefined {
    const s = this.string(key);
    if (s && !(choices as readonly string[]).includes(s.value)) {
      this.fail(`${key} must be one of ${choices.join(', ')} (got "${s.value}")`, s.span, { path: [...this.path, key], hint: didYouMean(s.value, choices) });
      return undefined;
    }
    return s as Located<T> | undefined;
  }

  bool(key: string): Located<boolean> | undefined {
    const e = this.present(key);
    if (!e) return undefined;
    if (e.value.kind === 'scalar' && typeof e.value.value === 'boolean') return { value: e.value.value, span: e.value.span };
    return this.wrong(e, 'true or false');
  }

  /** An integer at least `min`. */
  int(key: string, min = 0): Located<number> | undefined {
    const e = this.present(key);
    if (!e) return undefined;
    const v = e.value;
    if (v.kind === 'scalar' && typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= min) return { value: v.value, span: v.span };
    return this.wrong(e, `an integer of at least ${min}`);
  }

  /** A list of non-empty strings, each located. */
  stringList(key: string): Located<string>[] | undefined {
    const e = this.present(key);
    if (!e) return undefined;
    if (e.value.kind !== 'seq') return this.wrong(e, 'a list of strings');
    const out: Located<string>[] = [];
    e.value.items.forEach((item, i) => {
      if (item.kind === 'scalar' && typeof item.value === 'string' && item.value !== '') out.push({ value: item.value, span: item.span });
      else this.fail(`${key} items must be non-empty strings (got ${describe(item)})`, item.span, { path: [...this.path, key, i] });
    });
    return out;
  }

  /** A map of string to string (label selectors). */
  stringMap(key: string): Located<Record<string, string>> | undefined {
    const e = this.present(key);
    if (!e) return undefined;
    if (e.value.kind !== 'map') return this.wrong(e, 'a map of strings', `for example \`${key}: {region: eu}\``);
    const out: Record<string, string> = {};
    for (const x of e.value.entries) {
      const v = x.value;
      if (v.kind === 'scalar' && (typeof v.value === 'string' || typeof v.value === 'number' || typeof v.value === 'boolean')) out[x.key] = String(v.value);
      else this.fail(`${key}.${x.key} must be a string (got ${describe(v)})`, v.span, { path: [...this.path, key, x.key] });
    }
    return { value: out, span: e.value.span };
  }

  /** A nested map, as a reader of its own. */
  mapOf(key: string, opts: { required?: boolean } = {}): MapReader | undefined {
    const e = this.present(key);
    if (!e) {
      if (opts.required) this.fail(`missing required key "${key}"`, this.entry(key)?.keySpan ?? this.map.span);
      return undefined;
    }
    if (e.value.kind !== 'map') return this.wrong(e, 'a map');
    return new MapReader(e.value, [...this.path, key], this.diags, this.code);
  }

  /** A nested map as plain JSON. */
  json(key: string): JsonObject | undefined {
    const e = this.present(key);
    if (!e) return undefined;
    if (e.value.kind !== 'map') return this.wrong(e, 'a map');
    return toJson(e.value) as JsonObject;
  }

  /** Any value as plain JSON. */
  value(key: string): JsonValue | undefined {
    const e = this.present(key);
    return e ? toJson(e.value) : undefined;
  }

  /** The items of a list, each with its path. */
  list(key: string): { node: LNode; path: DocPath }[] | undefined {
    const e = this.present(key);
    if (!e) return undefined;
    if (e.value.kind !== 'seq') return this.wrong(e, 'a list');
    return e.value.items.map((node, i) => ({ node, path: [...this.path, key, i] }));
  }

  /** A reader for a list item (or any node under this map), with the same diagnostics; the error `notMap` when it is no map. */
  item(node: LNode, path: DocPath, notMap: string): MapReader | undefined {
    return readMap(node, path, this.diags, this.code, notMap);
  }

  /** Keys other than `allowed` are errors (with a did-you-mean), except those in `ignored`, which are warned about by the caller. */
  rejectUnknown(allowed: readonly string[], what: string, ignored: readonly string[] = []): LEntry[] {
    const skipped: LEntry[] = [];
    for (const e of this.map.entries) {
      if (allowed.includes(e.key)) continue;
      if (ignored.includes(e.key)) {
        skipped.push(e);
        continue;
      }
      this.fail(`unknown key "${e.key}" in ${what}`, e.keySpan, { path: [...this.path, e.key], code: `${this.code}/unknown-key`, hint: didYouMean(e.key, allowed) ?? `${what} has ${allowed.join(', ')}` });
    }
    return skipped;
  }
}

/** A reader for `node` when it is a map; otherwise the error `notMap` at the node. */
export function readMap(node: LNode, path: DocPath, diags: Diagnostic[], code: string, notMap: string): MapReader | undefined {
  if (node.kind === 'map') return new MapReader(node, path, diags, code);
  diags.push(error(`${notMap} (got ${describe(node)})`, node.span, { path: formatDocPath(path), code: `${code}/shape` }));
  return undefined;
}
