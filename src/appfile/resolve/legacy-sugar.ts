/**
 * The shorthands of KubeVela's 2020 Appfile, rewritten into the plain form
 * before an Appfile service's keys are sorted, so that nothing after this
 * step knows they exist:
 * - `build.image` is the service's `image`. Either place works; both may be
 *   given when they name the same image, and when they differ it is an error at
 *   `build.image` (neither can be picked silently: one of them would be pushed
 *   and the other deployed).
 */
import { error, type Diagnostic } from '../../source/index.js';
import { formatDocPath } from '../doc-path.js';
import type { Origins } from '../origins.js';
import type { RawAppfileService, RawServiceKey } from '../raw-app.js';
import { describeValue } from '../yaml-tree.js';

/** The service with `build.image` as its `image` key; positions of `image` then point at `build.image`. */
export function applyBuildImage(service: RawAppfileService, origins: Origins, diags: Diagnostic[]): RawAppfileService {
  const fromBuild = service.buildImage;
  if (!fromBuild) return service;
  const own = service.keys.find((k) => k.as === 'key' && k.key === 'image');
  if (own) {
    if (own.value !== fromBuild.value) {
      const line = own.valueSpan.file.lineCol(own.valueSpan.start).line;
      diags.push(
        error(`build.image ${describeValue(fromBuild.value)} differs from image ${describeValue(own.value)}`, fromBuild.valueSpan, {
          path: formatDocPath(fromBuild.path),
          code: 'appfile/build-image',
          hint: `both name the image of the service; keep one of them (image is set at line ${line})`,
          related: [own.valueSpan],
        }),
      );
    }
    return service;
  }
  const path = ['services', service.name, 'image'];
  origins.addTree(path, fromBuild.path);
  const image: RawServiceKey = { ...fromBuild, path, as: 'key' };
  return { ...service, keys: [image, ...service.keys] };
}
