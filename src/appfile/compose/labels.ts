/**
 * `labels` and `annotations` → the `labels` and `annotations` traits. A label
 * that Kubernetes would refuse (compose allows any string) becomes an
 * annotation, with a warning, instead of failing at apply time.
 */
import { error, warning, type Span } from '../../source/index.js';
import type { JsonObject } from '../model.js';
import { describe, userMap, type LEntry } from '../yaml-tree.js';
import type { ServiceConversion } from './conversion.js';

const labelKey = /^(([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

export function convertLabels(c: ServiceConversion): void {
  const { ctx, name } = c;
  const labels = c.get('labels');
  const annotations = c.get('annotations');
  const read = (e: LEntry): [string, string, Span][] => {
    const v = e.value;
    if (v.kind === 'map') return v.entries.map((x): [string, string, Span] => [x.key, x.value.kind === 'scalar' ? String(x.value.value ?? '') : '', x.keySpan]);
    if (v.kind === 'seq') {
      return v.items.map((it): [string, string, Span] => {
        const s = it.kind === 'scalar' ? String(it.value) : '';
        const eq = s.indexOf('=');
        return eq < 0 ? [s, '', it.span] : [s.slice(0, eq), s.slice(eq + 1), it.span];
      });
    }
    ctx.diags.push(error(`${e.key} must be a map or a list of KEY=VALUE (got ${describe(v)})`, v.span, { path: `services.${name}`, code: 'compose/shape' }));
    return [];
  };
  const lab: JsonObject = userMap();
  const ann: JsonObject = userMap();
  if (labels) {
    for (const [k, v, at] of read(labels)) {
      if (labelKey.test(k) && k.length <= 317 && labelValue.test(v)) lab[k] = v;
      else {
        ann[k] = v;
        ctx.diags.push(warning(`label "${k}" is not a valid Kubernetes label${labelKey.test(k) ? ' value' : ''}; added as an annotation`, at, { path: `services.${name}.labels`, code: 'compose/label' }));
      }
    }
    if (Object.keys(lab).length) c.trait('labels', lab, [...c.base, 'labels'], labels.keySpan);
  }
  if (annotations) for (const [k, v] of read(annotations)) ann[k] = v;
  if (Object.keys(ann).length) c.trait('annotations', ann, [...c.base, annotations ? 'annotations' : 'labels'], (annotations ?? labels)!.keySpan);
}
