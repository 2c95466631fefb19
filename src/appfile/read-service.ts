/**
 * One Appfile service → its raw form: the reserved keys read (`type`, `build`,
 * `dependsOn`, `traits`), every other key kept as written, in file order, for
 * resolve/classify-keys.ts to sort into parameters and trait sections once the
 * definitions are known. The entries of `traits:` take the place of `traits:`
 * in that order, marked as traits.
 */
import { error, type Diagnostic, type Span } from '../source/index.js';
import { readBuild } from './build-section.js';
import { readDependsOn, type DependencyRef } from './depends-on.js';
import { formatDocPath } from './doc-path.js';
import type { DocPath } from './model.js';
import type { RawAppfileService, RawServiceKey } from './raw-app.js';
import { describe, toJson, type LEntry, type LMap } from './yaml-tree.js';

export const reservedServiceKeys = ['type', 'build', 'dependsOn', 'traits'] as const;

/** `previous`: the service above, to recognise a setting indented like a service name (see misplacedSetting). */
export function readService(entry: LEntry, diags: Diagnostic[], previous?: LEntry): RawAppfileService {
  const name = entry.key;
  const base: DocPath = ['services', name];
  const push = (message: string, span: Span, code: string, extra: { path?: DocPath; hint?: string } = {}) =>
    diags.push(error(message, span, { path: formatDocPath(extra.path ?? base), code, ...(extra.hint ? { hint: extra.hint } : {}) }));

  let body: LMap;
  let malformed = false;
  if (entry.value.kind === 'map') body = entry.value;
  else {
    if (!(entry.value.kind === 'scalar' && entry.value.value === null)) {
      malformed = true;
      const misplaced = misplacedSetting(entry, previous);
      if (misplaced) diags.push(misplaced);
      else {
        push(`a service must be a map of its settings (got ${describe(entry.value)})`, entry.value.span, 'appfile/service', {
          hint: `for example \`${name}: {image: nginx:1.27}\``,
        });
      }
    }
    body = { kind: 'map', entries: [], span: entry.value.span, size: 1 };
  }

  let type: RawAppfileService['type'];
  let build: ReturnType<typeof readBuild>;
  let dependsOn: DependencyRef[] = [];
  const keys: RawServiceKey[] = [];
  for (const e of body.entries) {
    const path: DocPath = ['services', name, e.key];
    switch (e.key) {
      case 'type': {
        const v = e.value;
        if (v.kind === 'scalar' && typeof v.value === 'string' && v.value !== '') type = { name: v.value, span: v.span };
        else {
          push(`type must be the name of a component definition (got ${describe(v)})`, v.span, 'appfile/unknown-type', { path });
          type = { span: v.span };
        }
        break;
      }
      case 'build':
        build = readBuild(e, path, diags);
        break;
      case 'dependsOn':
        dependsOn = readDependsOn(e.value, path, diags);
        break;
      case 'traits':
        if (e.value.kind === 'map') for (const te of e.value.entries) keys.push(entryOf(te, ['services', name, e.key, te.key], 'trait'));
        else if (!(e.value.kind === 'scalar' && e.value.value === null)) {
          push(`traits must be a map of trait name to properties (got ${describe(e.value)})`, e.value.span, 'appfile/traits', {
            path,
            hint: 'for example `traits: {scaler: {replicas: 2}}`',
          });
        }
        break;
      default:
        keys.push(entryOf(e, path, 'key'));
    }
  }

  return {
    name,
    span: entry.keySpan,
    ...(type ? { type } : {}),
    ...(build ? { build: build.spec, ...(build.image ? { buildImage: build.image } : {}) } : {}),
    dependsOn,
    keys,
    malformed,
  };
}

function entryOf(e: LEntry, path: DocPath, as: RawServiceKey['as']): RawServiceKey {
  return { key: e.key, keySpan: e.keySpan, value: toJson(e.value), valueSpan: e.value.span, path, as };
}

/**
 * `image: nginx` right under an empty `web:`, at the same column: YAML reads a
 * service named "image". The likely mistake is the indentation; say that, at
 * the key, instead of "a service must be a map".
 */
function misplacedSetting(entry: LEntry, previous: LEntry | undefined): Diagnostic | undefined {
  if (!previous || !(previous.value.kind === 'scalar' && previous.value.value === null)) return undefined;
  const text = entry.keySpan.file.text;
  const column = (offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  const indent = column(previous.keySpan.start) + 2;
  return error(`\`${entry.key}:\` is indented like a service name, so it reads as a service "${entry.key}"; it is probably a setting of \`${previous.key}\` above, which is empty`, entry.keySpan, {
    path: 'services',
    code: 'appfile/indentation',
    hint: `indent \`${entry.key}:\` (and the settings after it) by ${indent} spaces, under \`${previous.key}:\``,
  });
}
