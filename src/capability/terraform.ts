/**
 * Terraform components (`spec.schematic.terraform` of a ComponentDefinition):
 * the schematic as KubeVela reads it, and the parameter schema vela derives
 * from the configuration's `variable` blocks when the HCL is inline (a remote
 * module is not fetched: its variables are unknown, so any key is accepted).
 *
 * The properties KubeVela takes out of the variables and puts on the
 * Configuration itself are parameters too: `writeConnectionSecretToRef`,
 * `providerRef`, `customRegion`, `forceDelete`, `gitCredentialsSecretReference`.
 */
import type { JsonSchema } from './json-schema.js';
import type { TerraformSchematic } from './types.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const TYPES = new Set(['hcl', 'json', 'remote']);

function reference(x: Json | undefined, field: string): { value?: { name: string; namespace?: string } } | { problem: string } {
  if (x === undefined || x === null) return {};
  if (typeof x !== 'object' || Array.isArray(x) || typeof x.name !== 'string' || x.name === '') return { problem: `${field} needs a name ({name: ..., namespace: ...})` };
  return { value: { name: x.name, ...(typeof x.namespace === 'string' && x.namespace !== '' && { namespace: x.namespace }) } };
}

/** The schematic of a definition, or what is wrong with it. */
export function terraformSchematic(raw: Record<string, Json>): { schematic: TerraformSchematic } | { problem: string } {
  const configuration = raw.configuration;
  if (typeof configuration !== 'string' || configuration.trim() === '') return { problem: 'configuration must be the HCL text or, with type: remote, a git URL' };
  const type = raw.type === undefined || raw.type === null || raw.type === '' ? 'hcl' : raw.type;
  if (typeof type !== 'string' || !TYPES.has(type)) return { problem: `type must be hcl, json or remote (got ${JSON.stringify(type)})` };
  const refs: Record<string, { name: string; namespace?: string }> = {};
  for (const field of ['writeConnectionSecretToRef', 'providerRef', 'gitCredentialsSecretReference'] as const) {
    const r = reference(raw[field], field);
    if ('problem' in r) return r;
    if (r.value) refs[field] = r.value;
  }
  return {
    schematic: {
      configuration,
      type: type as TerraformSchematic['type'],
      ...(typeof raw.path === 'string' && raw.path !== '' && { path: raw.path }),
      ...refs,
      ...(typeof raw.deleteResource === 'boolean' && { deleteResource: raw.deleteResource }),
      ...(typeof raw.customRegion === 'string' && raw.customRegion !== '' && { customRegion: raw.customRegion }),
    },
  };
}

/** Properties that configure the Configuration, not variables of the module (KubeVela removes them from `variable`). */
export const TERRAFORM_SPEC_KEYS = ['writeConnectionSecretToRef', 'providerRef', 'customRegion', 'forceDelete', 'gitCredentialsSecretReference'] as const;

const REF_SCHEMA = (description: string): JsonSchema => ({
  type: 'object',
  description,
  properties: { name: { type: 'string', description: 'Name' }, namespace: { type: 'string', description: 'Namespace (default: the app namespace)' } },
  required: ['name'],
  additionalProperties: false,
});

const SPEC_PROPERTIES: Record<(typeof TERRAFORM_SPEC_KEYS)[number], JsonSchema> = {
  writeConnectionSecretToRef: REF_SCHEMA('The Secret the outputs of the module (connection details) are written to'),
  providerRef: REF_SCHEMA('The terraform-controller Provider with the cloud credentials'),
  customRegion: { type: 'string', description: "The cloud region; overrides the Provider's" },
  forceDelete: { type: 'boolean', description: 'Delete the Configuration even when its resources cannot be destroyed' },
  gitCredentialsSecretReference: REF_SCHEMA('The Secret with credentials for a private git repository'),
};

/** The parameter schema of a Terraform component. */
export function terraformSchema(schematic: TerraformSchematic): JsonSchema {
  if (schematic.type !== 'hcl') return { type: 'object', properties: { ...SPEC_PROPERTIES }, additionalProperties: true };
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const v of hclVariables(schematic.configuration)) {
    properties[v.name] = { ...typeSchema(v.type), ...(v.description !== undefined && { description: v.description }) };
    if (!v.hasDefault) required.push(v.name);
  }
  return { type: 'object', properties: { ...properties, ...SPEC_PROPERTIES }, ...(required.length && { required }), additionalProperties: false };
}

/** A Terraform type expression as a schema: primitive types exactly, collections by their shape only. */
function typeSchema(type: string | undefined): JsonSchema {
  const t = (type ?? 'any').replace(/\s+/g, '');
  if (t === 'string') return { type: 'string' };
  if (t === 'number') return { type: 'number' };
  if (t === 'bool') return { type: 'boolean' };
  if (/^(list|set|tuple)\b/.test(t)) return { type: 'array' };
  if (/^(map|object)\b/.test(t)) return { type: 'object' };
  return {};
}

export interface HclVariable {
  readonly name: string;
  readonly type?: string;
  readonly description?: string;
  readonly hasDefault: boolean;
}

/**
 * The `variable "NAME" { ... }` blocks of an HCL text, in order. A small
 * reader, not a parser: it skips strings, heredocs and comments so braces in
 * them do not count, and reads the block's `type`, `description` and whether
 * it has a `default`.
 */
export function hclVariables(text: string): HclVariable[] {
  const out: HclVariable[] = [];
  const header = /(^|\n)[ \t]*variable[ \t]+"([^"\n]+)"[ \t]*\{/g;
  let m: RegExpExecArray | null;
  while ((m = header.exec(text))) {
    const bodyStart = m.index + m[0].length;
    const bodyEnd = blockEnd(text, bodyStart);
    const body = text.slice(bodyStart, bodyEnd);
    const top = topLevelLines(body);
    const attr = (name: string) => top.find((l) => new RegExp(`^${name}\\s*=`).test(l))?.replace(new RegExp(`^${name}\\s*=\\s*`), '');
    const description = attr('description');
    out.push({
      name: m[2]!,
      ...(attr('type') !== undefined && { type: attr('type')! }),
      ...(description !== undefined && /^"(?:[^"\\]|\\.)*"$/.test(description) && { description: JSON.parse(description) as string }),
      hasDefault: attr('default') !== undefined,
    });
    header.lastIndex = bodyEnd;
  }
  return out;
}

/** The index of the `}` closing a block whose body starts at `from` (or the text's end). */
function blockEnd(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') i = stringEnd(text, i);
    else if (c === '#' || (c === '/' && text[i + 1] === '/')) i = lineEnd(text, i);
    else if (c === '/' && text[i + 1] === '*') i = text.indexOf('*/', i + 2) < 0 ? text.length : text.indexOf('*/', i + 2) + 1;
    else if (c === '<' && text.startsWith('<<', i)) i = heredocEnd(text, i);
    else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return text.length;
}

function stringEnd(text: string, quote: number): number {
  for (let i = quote + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"' || text[i] === '\n') return i;
  }
  return text.length;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl - 1;
}

function heredocEnd(text: string, at: number): number {
  const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\n/.exec(text.slice(at));
  if (!m) return at + 1;
  const end = new RegExp(`\\n[ \\t]*${m[1]}[ \\t]*(\\n|$)`).exec(text.slice(at + m[0].length - 1));
  return end ? at + m[0].length - 1 + end.index + end[0].length - 1 : text.length;
}

/** The lines of a block body that are at its top level (nested blocks and their contents left out), trimmed. */
function topLevelLines(body: string): string[] {
  const lines: string[] = [];
  let depth = 0;
  let line = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"') {
      const end = stringEnd(body, i);
      if (depth === 0) line += body.slice(i, end + 1);
      i = end;
    } else if (c === '#' || (c === '/' && body[i + 1] === '/')) i = lineEnd(body, i);
    else if (c === '<' && body.startsWith('<<', i)) {
      const end = heredocEnd(body, i);
      if (depth === 0) line += '<<heredoc';
      i = end;
    } else if (c === '{' || c === '[' || c === '(') {
      if (depth === 0) line += c;
      depth++;
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) line += c;
    } else if (c === '\n') {
      if (depth === 0) {
        if (line.trim()) lines.push(line.trim());
        line = '';
      }
    } else if (depth === 0) line += c;
  }
  if (line.trim()) lines.push(line.trim());
  return lines;
}
