/**
 * A Secret's `data` values must be base64, as the API server decodes them
 * (Go's standard encoding: padded, line breaks ignored). Kubernetes 1.20
 * answers a bad value with an HTTP 500 that looks like a server fault (and
 * would be retried); it is the user's input, so it is checked here, before
 * anything is sent, and reported at its Appfile line (exit 1). The value
 * itself is never printed.
 */
import type { Manifest } from '../../render/index.js';
import { error, type Diagnostic } from '../../source/index.js';
import { describeRef, refOf, type KubeObject } from '../api/index.js';
import { fieldSpan } from '../errors.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** True when the API server would decode `value` (line breaks are skipped, as Go's decoder skips them). */
export function isBase64(value: string): boolean {
  return BASE64.test(value.replace(/[\r\n]/g, ''));
}

/** Every Secret `data` value of these manifests that the API server would refuse. */
export function secretDataProblems(manifests: readonly Pick<Manifest, 'object' | 'origin'>[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { object, origin } of manifests) {
    if (object.kind !== 'Secret' || String(object.apiVersion ?? 'v1') !== 'v1') continue;
    const data = object.data;
    if (data === undefined || data === null) continue;
    const where = `${describeRef(refOf(object as KubeObject))}${origin.service ? ` (service ${origin.service}${origin.trait ? `, trait ${origin.trait}` : ''})` : ''}`;
    if (typeof data !== 'object' || Array.isArray(data)) {
      out.push(error(`${where}: data must be a map of base64 strings`, fieldSpan(origin, 'data') ?? origin.span, { code: 'deploy/secret-data' }));
      continue;
    }
    for (const [key, value] of Object.entries(data)) {
      if (typeof value === 'string' && isBase64(value)) continue;
      const span = fieldSpan(origin, `data.${key}`) ?? fieldSpan(origin, 'data') ?? origin.span;
      const what = typeof value === 'string' ? 'is not valid base64' : `must be a base64 string (got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value})`;
      out.push(
        error(`${where}: data.${key} ${what}`, span, {
          code: 'deploy/secret-data',
          hint: 'Secret data values are base64-encoded; put plain text under stringData instead, or encode it (base64 -w0)',
        }),
      );
    }
  }
  return out;
}
