/**
 * `image` and `build` → the `image` parameter and the build section. A build
 * without an image builds `<app>-<service>` (with a warning: the cluster must
 * be able to pull it); a service with neither is an error.
 */
import { posix } from 'node:path';
import { didYouMean, warning, type Span } from '../../source/index.js';
import type { BuildSpec } from '../model.js';
import { describe, userMap, type LEntry, type LNode } from '../yaml-tree.js';
import type { ServiceConversion } from './conversion.js';
import { buildKeys } from './keys.js';

export function convertImageAndBuild(c: ServiceConversion): void {
  const imageEntry = c.get('image');
  const buildEntry = c.get('build');
  let image: string | undefined;
  if (imageEntry) {
    const v = imageEntry.value;
    if (v.kind === 'scalar' && (typeof v.value === 'string' || typeof v.value === 'number')) image = String(v.value);
    else c.error(`image must be a string (got ${describe(v)})`, v.span, 'compose/shape');
  }
  const build = buildEntry ? readBuild(buildEntry, c) : undefined;
  if (image === undefined && buildEntry && build) {
    image = `${c.ctx.app}-${c.name}`;
    c.ignored(`no image name for the build: the image is called "${image}"`, buildEntry.keySpan, 'add `image: REGISTRY/NAME` with a registry the cluster can pull from');
  }
  if (image === undefined && !buildEntry && !imageEntry) c.error(`service "${c.name}" has neither image nor build`, c.entry.keySpan, 'compose/no-image', 'add for example `image: nginx:1.27`');
  if (image !== undefined) {
    c.image = image;
    c.param('image', image, [...c.base, imageEntry ? 'image' : 'build'], (imageEntry ?? buildEntry)!.keySpan);
  }
  if (build) c.build = build;
}

function readBuild(e: LEntry, c: ServiceConversion): BuildSpec | undefined {
  const { diags } = c.ctx;
  const errorsBefore = diags.filter((d) => d.severity === 'error').length;
  const bad = (msg: string, span: Span, hint?: string) => c.error(msg, span, 'compose/build', hint, 'build');
  let context = '.';
  let dockerfile = 'Dockerfile';
  let target: string | undefined;
  const args: Record<string, string> = userMap();
  const v = e.value;
  const setContext = (n: LNode) => {
    if (n.kind === 'scalar' && typeof n.value === 'string' && n.value !== '') {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(n.value) || n.value.startsWith('git@')) bad('a remote build context is not supported', n.span, 'clone the repository and give a local folder');
      else context = n.value;
    } else bad(`context must be a folder (got ${describe(n)})`, n.span);
  };
  if (v.kind === 'scalar') setContext(v);
  else if (v.kind === 'map') {
    for (const b of v.entries) {
      switch (b.key) {
        case 'context':
          setContext(b.value);
          break;
        case 'dockerfile':
          if (b.value.kind === 'scalar' && typeof b.value.value === 'string' && b.value.value !== '') dockerfile = b.value.value;
          else bad(`dockerfile must be a file name (got ${describe(b.value)})`, b.value.span);
          break;
        case 'target':
          if (b.value.kind === 'scalar' && typeof b.value.value === 'string') target = b.value.value;
          else bad(`target must be a stage name (got ${describe(b.value)})`, b.value.span);
          break;
        case 'args':
          readArgs(b.value, args, c, bad);
          break;
        case 'dockerfile_inline':
          bad('dockerfile_inline is not supported', b.keySpan, 'write the Dockerfile to a file and give `dockerfile: NAME`');
          break;
        default:
          if (b.key.startsWith('x-')) break;
          if ((buildKeys as readonly string[]).includes(b.key)) c.ignored(`build.${b.key} is not supported by vela's builder; ignored`, b.keySpan, undefined, 'build');
          else bad(`unknown key "${b.key}" in build`, b.keySpan, didYouMean(b.key, buildKeys) ?? 'a build has context, dockerfile, args and target');
      }
    }
  } else bad(`build must be a folder or a map (got ${describe(v)})`, v.span);
  if (diags.filter((d) => d.severity === 'error').length > errorsBefore) return undefined;
  return { span: e.keySpan, context: posix.normalize(context.replaceAll('\\', '/')), dockerfile, args, ...(target ? { target } : {}) };
}

/** Build args: a map or a list of KEY=VALUE; a key without a value is taken from the environment, as compose does. */
function readArgs(n: LNode, args: Record<string, string>, c: ServiceConversion, bad: (msg: string, span: Span, hint?: string) => void): void {
  const fromEnv = (k: string, at: Span) => {
    const v = c.ctx.lookup(k);
    if (v === undefined) c.ctx.diags.push(warning(`build arg ${k} has no value and is not set in the environment; left out`, at, { code: 'compose/ignored' }));
    else args[k] = v;
  };
  if (n.kind === 'map') {
    for (const e of n.entries) {
      if (e.value.kind !== 'scalar') bad(`build arg ${e.key} must be a string (got ${describe(e.value)})`, e.value.span);
      else if (e.value.value === null) fromEnv(e.key, e.keySpan);
      else args[e.key] = String(e.value.value);
    }
  } else if (n.kind === 'seq') {
    for (const it of n.items) {
      if (it.kind !== 'scalar' || typeof it.value !== 'string') bad(`a build arg must be KEY=VALUE (got ${describe(it)})`, it.span);
      else {
        const eq = it.value.indexOf('=');
        if (eq < 0) fromEnv(it.value, it.span);
        else args[it.value.slice(0, eq)] = it.value.slice(eq + 1);
      }
    }
  } else if (n.value !== null) bad(`args must be a map or a list (got ${describe(n)})`, n.span);
}
