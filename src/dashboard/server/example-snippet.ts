/**
 * An Appfile snippet that uses a component type or trait: its required
 * parameters filled in (the default, the first allowed value, or a
 * placeholder of the right type), so the snippet passes validation once the
 * placeholders are replaced. Traits go under `traits:`, which forces trait
 * interpretation whatever the service's parameters are called (APPFILE.md §2).
 */

/** The part of a parameter JSON Schema the snippet needs. */
export interface SnippetSchema {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SnippetSchema>>;
  readonly required?: readonly string[];
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly SnippetSchema[];
  readonly oneOf?: readonly SnippetSchema[];
  readonly items?: SnippetSchema;
  readonly pattern?: string;
}

/** Strings that fit common patterns (quantities, paths, URLs, names), tried in order against a field's pattern. */
const PATTERN_CANDIDATES = ['example', '1Gi', '100m', '1', '/example', 'http://example.com', 'example.com', 'EXAMPLE'];

const PLACEHOLDER_BY_NAME: Record<string, unknown> = { image: 'nginx:1.25', port: 8080, name: 'example' };

/** A value a required field can start with. */
function placeholder(name: string, s: SnippetSchema): unknown {
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const first = (s.anyOf ?? s.oneOf)?.[0];
  if (first) return placeholder(name, first);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (s.properties || type === 'object') return requiredFields(s);
  if (type === 'array') return [];
  if (name in PLACEHOLDER_BY_NAME && (type === undefined || typeof PLACEHOLDER_BY_NAME[name] === (type === 'integer' ? 'number' : type))) return PLACEHOLDER_BY_NAME[name];
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return false;
  if (s.pattern !== undefined) return PATTERN_CANDIDATES.find((candidate) => matches(s.pattern!, candidate)) ?? 'example';
  return 'example';
}

function matches(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    // An RE2 pattern JavaScript cannot read: the placeholder stays, and validation says what it wants.
    return false;
  }
}

function requiredFields(s: SnippetSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of s.required ?? []) {
    const field = s.properties?.[key];
    if (field) out[key] = placeholder(key, field);
  }
  return out;
}

/** One YAML line per scalar, nested maps indented; JSON text is valid YAML for scalars and flow lists. */
function yamlLines(value: Record<string, unknown>, indent: string): string[] {
  const lines: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) {
      lines.push(`${indent}${key}:`, ...yamlLines(v as Record<string, unknown>, `${indent}  `));
    } else {
      lines.push(`${indent}${key}: ${JSON.stringify(v)}`);
    }
  }
  return lines;
}

export function exampleSnippet(kind: 'component' | 'trait' | 'policy' | 'workflow-step', name: string, schema: SnippetSchema): string {
  const params = requiredFields(schema);
  const lines = ['name: example', 'services:'];
  if (kind === 'policy' || kind === 'workflow-step') {
    // Policies and steps sit beside the services: a service to deliver, then the policy or the one step.
    lines.push('  web:', `    image: ${PLACEHOLDER_BY_NAME.image}`);
    const properties = (indent: string) => (Object.keys(params).length ? [`${indent}properties:`, ...yamlLines(params, `${indent}  `)] : []);
    if (kind === 'policy') lines.push('policies:', `- name: my-${name}`, `  type: ${name}`, ...properties('  '));
    else lines.push('workflow:', '  steps:', `  - name: my-${name}`, `    type: ${name}`, ...properties('    '));
  } else if (kind === 'component') {
    lines.push('  app:', `    type: ${name}`);
    if (!('image' in params) && schema.properties?.image) params.image = PLACEHOLDER_BY_NAME.image;
    lines.push(...yamlLines(params, '    '));
  } else {
    lines.push('  web:', `    image: ${PLACEHOLDER_BY_NAME.image}`, '    traits:');
    lines.push(Object.keys(params).length ? `      ${name}:` : `      ${name}: {}`, ...yamlLines(params, '        '));
  }
  return lines.join('\n') + '\n';
}
