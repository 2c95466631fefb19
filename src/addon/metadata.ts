/**
 * `metadata.yaml` of an addon: its name, version, description, tags,
 * dependencies, system constraints and where KubeVela deploys it. Every
 * mistake is an error at its line; fields vela has no use for (`uxPlugins`,
 * future ones) are kept out of the way, not refused.
 */
import { error, warning, type Diagnostic, type SourceFile } from '../source/index.js';
import { parseConstraint } from './semver.js';
import type { AddonDependency, AddonMeta } from './types.js';
import { isPlainObject, readYamlDocument } from './yaml-spans.js';

/** An addon name: a DNS-1123 label, as its Application `addon-NAME` must be one. */
export const ADDON_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function readMetadata(src: SourceFile, folderName?: string): { meta?: AddonMeta; diagnostics: Diagnostic[] } {
  const { yaml, diagnostics } = readYamlDocument(src);
  if (!yaml) return { diagnostics };
  if (!isPlainObject(yaml.data)) return { diagnostics: [error('metadata.yaml must be a map with name, version and description', yaml.at([]))] };
  const data = yaml.data;
  const bad = (path: (string | number)[], message: string, hint?: string) => diagnostics.push(error(message, yaml.at(path), { path: path.join('.'), code: 'addon/metadata', ...(hint ? { hint } : {}) }));
  const str = (key: string, required = false): string | undefined => {
    const v = data[key];
    if (v === undefined || v === null) {
      if (required) bad([], `metadata.yaml needs \`${key}\``);
      return undefined;
    }
    if (typeof v !== 'string') {
      bad([key], `${key} must be a string (got ${JSON.stringify(v)})`, typeof v === 'number' ? `quote it: ${key}: "${String(v)}"` : undefined);
      return undefined;
    }
    return v;
  };
  const strings = (key: string): string[] => {
    const v = data[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      bad([key], `${key} must be a list of strings`);
      return [];
    }
    return v as string[];
  };

  const name = str('name', true);
  if (name !== undefined && !ADDON_NAME.test(name)) bad(['name'], `invalid addon name "${name}": lower case letters, digits and '-', starting and ending with a letter or digit`);
  if (name !== undefined && folderName !== undefined && name !== folderName) {
    diagnostics.push(warning(`the addon is named "${name}" but its folder is "${folderName}"`, yaml.at(['name']), { code: 'addon/metadata', hint: 'KubeVela catalogs keep each addon in a folder of its name' }));
  }
  const version = str('version') ?? '';
  const dependencies: AddonDependency[] = [];
  const deps = data.dependencies;
  if (deps !== undefined && deps !== null) {
    if (!Array.isArray(deps)) bad(['dependencies'], 'dependencies must be a list of {name, version}');
    else
      deps.forEach((d, i) => {
        if (!isPlainObject(d) || typeof d.name !== 'string' || !d.name) return bad(['dependencies', i], 'a dependency needs a name', 'for example `- name: fluxcd`');
        if (d.version !== undefined && d.version !== null && (typeof d.version !== 'string' || !parseConstraint(d.version))) {
          return bad(['dependencies', i, 'version'], `dependency ${d.name}: version ${JSON.stringify(d.version)} is not a version constraint`, 'for example ">=1.0.0"');
        }
        dependencies.push({ name: d.name, ...(typeof d.version === 'string' && d.version ? { version: d.version } : {}) });
      });
  }
  let system: AddonMeta['system'];
  if (data.system !== undefined && data.system !== null) {
    if (!isPlainObject(data.system)) bad(['system'], 'system must be a map {vela, kubernetes} of version constraints');
    else {
      const out: { vela?: string; kubernetes?: string } = {};
      for (const key of ['vela', 'kubernetes'] as const) {
        const v = data.system[key];
        if (v === undefined || v === null || v === '') continue;
        if (typeof v !== 'string' || !parseConstraint(v)) bad(['system', key], `system.${key}: ${JSON.stringify(v)} is not a version constraint`, 'for example ">=1.20"');
        else out[key] = v;
      }
      system = out;
    }
  }
  const invisible = data.invisible === true;
  if (data.invisible !== undefined && data.invisible !== null && typeof data.invisible !== 'boolean') bad(['invisible'], 'invisible must be true or false');
  let annotations: Record<string, string> | undefined;
  if (isPlainObject(data.annotations)) annotations = Object.fromEntries(Object.entries(data.annotations).map(([k, v]) => [k, String(v)]));
  const icon = str('icon');
  const url = str('url');
  const meta: AddonMeta = {
    name: name ?? '',
    version,
    description: str('description') ?? '',
    ...(icon !== undefined && { icon }),
    ...(url !== undefined && { url }),
    tags: strings('tags'),
    dependencies,
    ...(system && { system }),
    ...(isPlainObject(data.deployTo) && { deployTo: data.deployTo }),
    needNamespace: strings('needNamespace'),
    invisible,
    ...(annotations && { annotations }),
  };
  return diagnostics.some((d) => d.severity === 'error') ? { diagnostics } : { meta, diagnostics };
}
