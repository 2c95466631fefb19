/**
 * A KubeVela `take-over` policy (`properties.rules[].selector`): which
 * existing objects the app may adopt on purpose. Only read and checked here;
 * what a selector matches is decided where objects meet the cluster
 * (deploy/take-over.ts). Unknown selector fields are errors: a typo there
 * would otherwise adopt nothing, or too much.
 */
import { error, type Diagnostic, type Span } from '../../source/index.js';
import type { TakeOverSelector } from '../model.js';
import { describe, type LNode } from '../yaml-tree.js';

const SELECTOR_FIELDS = ['componentNames', 'componentTypes', 'oamTypes', 'traitTypes', 'resourceTypes', 'resourceNames'] as const;

/** The selectors of one take-over policy's `properties`, with diagnostics for what is malformed. */
export function readTakeOverRules(properties: LNode | undefined, diags: Diagnostic[]): TakeOverSelector[] {
  const bad = (message: string, at: LNode | Span, hint?: string) => diags.push(error(message, 'kind' in at ? at.span : at, { path: 'spec.policies', code: 'application/policy', ...(hint ? { hint } : {}) }));
  if (!properties) return [];
  if (properties.kind !== 'map') {
    bad(`take-over properties must be a map with rules (got ${describe(properties)})`, properties);
    return [];
  }
  const rules = properties.entries.find((entry) => entry.key === 'rules')?.value;
  if (!rules) return [];
  if (rules.kind !== 'seq') {
    bad(`take-over rules must be a list (got ${describe(rules)})`, rules);
    return [];
  }
  const out: TakeOverSelector[] = [];
  for (const rule of rules.items) {
    const selector = rule.kind === 'map' ? rule.entries.find((entry) => entry.key === 'selector')?.value : undefined;
    if (!selector || selector.kind !== 'map') {
      bad('a take-over rule needs a selector (a map)', rule, `selector fields: ${SELECTOR_FIELDS.join(', ')}`);
      continue;
    }
    const picked: Record<string, string[]> = {};
    for (const entry of selector.entries) {
      if (!(SELECTOR_FIELDS as readonly string[]).includes(entry.key)) {
        bad(`unknown take-over selector field "${entry.key}"`, entry.keySpan, `selector fields: ${SELECTOR_FIELDS.join(', ')}`);
        continue;
      }
      if (entry.value.kind !== 'seq' || !entry.value.items.every((item) => item.kind === 'scalar')) {
        bad(`take-over selector ${entry.key} must be a list of strings (got ${describe(entry.value)})`, entry.value);
        continue;
      }
      picked[entry.key] = entry.value.items.map((item) => (item.kind === 'scalar' ? String(item.value) : ''));
    }
    if (!Object.values(picked).some((values) => values.length > 0)) {
      bad('this take-over selector selects nothing: give at least one non-empty field', selector, `selector fields: ${SELECTOR_FIELDS.join(', ')}`);
      continue;
    }
    out.push(picked as TakeOverSelector);
  }
  return out;
}
