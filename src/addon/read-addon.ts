/**
 * An addon's files → an AddonPackage: each file sorted into its role, as
 * KubeVela's reader does, and checked as far as can be without parameters:
 * metadata, the YAML template's shape, CUE syntax, and the definitions
 * (parsed as vela parses any definition). Folders vela has no use for are
 * read and set aside: `schemas/` (UI schemas for VelaUX) silently, `views/`,
 * `config-templates/` and `godef/` with a note, since the user may expect
 * them to do something.
 */
import { parseDefinitionFile } from '../capability/index.js';
import { parseFile } from '../cue/index.js';
import { error, warning, type Diagnostic, type SourceFile } from '../source/index.js';
import { readMetadata } from './metadata.js';
import type { AddonFiles, AddonPackage } from './types.js';

const isCue = (p: string) => p.endsWith('.cue');
const isYaml = (p: string) => /\.ya?ml$/.test(p);

/** Folders vela reads past, with what the user is told (undefined: nothing). */
const SET_ASIDE: Record<string, string | undefined> = {
  schemas: undefined,
  views: 'views/ (VelaQL views for KubeVela\'s API server) are not used by vela; ignored',
  'config-templates': 'config-templates/ (KubeVela config templates) are not used by vela; ignored',
  godef: 'godef/ (Go definitions) is not read by vela; write the definitions in CUE or YAML under definitions/',
};

export interface ReadAddonResult {
  readonly addon?: AddonPackage;
  /** Errors (then there is no addon) and notes. */
  readonly diagnostics: Diagnostic[];
}

/** `folderName` is the folder the addon was found in (a mismatch with its name is a warning). */
export function readAddon(files: AddonFiles, folderName?: string): ReadAddonResult {
  const diagnostics: Diagnostic[] = [];
  const metadataFile = files.get('metadata.yaml');
  if (!metadataFile) {
    const where = [...files.values()][0]?.name.replace(/\/[^/]*$/, '');
    return { diagnostics: [error(`not an addon${where ? ` (${where})` : ''}: it has no metadata.yaml`, undefined, { code: 'addon/not-an-addon', hint: 'an addon is a folder with metadata.yaml, template.cue or template.yaml, and optionally parameter.cue, resources/ and definitions/' })] };
  }
  const { meta, diagnostics: metaDiags } = readMetadata(metadataFile, folderName);
  diagnostics.push(...metaDiags);

  const paths = [...files.keys()].sort();
  const under = (folder: string) => paths.filter((p) => p.startsWith(`${folder}/`));
  const templateCue = files.get('template.cue');
  const templateYaml = files.get('template.yaml') ?? files.get('template.yml');
  if (templateCue && templateYaml) diagnostics.push(error('an addon has either template.cue or template.yaml, not both', { file: templateYaml, start: 0, end: 0 }, { code: 'addon/template' }));
  const parameterCue = files.get('parameter.cue') ?? files.get('resources/parameter.cue');

  const cueResources = under('resources').filter((p) => isCue(p) && p !== 'resources/parameter.cue').map((p) => files.get(p)!);
  const yamlResources = under('resources').filter(isYaml).map((p) => files.get(p)!);
  const definitions = under('definitions').filter((p) => isCue(p) || isYaml(p)).map((p) => files.get(p)!);
  const notes = files.get('NOTES.cue');

  // CUE syntax now, so a typo is reported before anything is evaluated or fetched.
  for (const f of [templateCue, parameterCue, notes, ...cueResources]) {
    if (f) diagnostics.push(...parseFile(f).diagnostics);
  }
  // Definitions as vela reads them anywhere: installing a broken one would break every later command.
  const names = new Map<string, string>();
  for (const f of definitions) {
    const r = parseDefinitionFile(f, 'addon');
    diagnostics.push(...r.diagnostics);
    for (const d of r.definitions) {
      const key = `${d.kind} ${d.name}`;
      const prev = names.get(key);
      if (prev) diagnostics.push(error(`${key} is defined twice in the addon (also in ${prev})`, d.span, { code: 'addon/definitions' }));
      else names.set(key, f.name);
    }
  }
  // Installed flat into one folder: two files of one name would overwrite each other.
  const base = new Map<string, string>();
  for (const f of definitions) {
    const b = f.name.slice(f.name.lastIndexOf('/') + 1);
    const prev = base.get(b);
    if (prev) diagnostics.push(error(`two definition files are named ${b} (${prev} and ${f.name})`, { file: f, start: 0, end: 0 }, { code: 'addon/definitions', hint: 'rename one: definitions are installed into one folder' }));
    else base.set(b, f.name);
  }
  for (const [folder, note] of Object.entries(SET_ASIDE)) {
    if (note && under(folder).length) diagnostics.push(warning(note, { file: files.get(under(folder)[0]!)!, start: 0, end: 0 }, { code: 'addon/ignored' }));
  }

  if (!meta || diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const addon: AddonPackage = {
    meta,
    files,
    metadataFile,
    ...(templateCue && { templateCue }),
    ...(templateYaml && { templateYaml }),
    ...(parameterCue && { parameterCue }),
    cueResources,
    yamlResources,
    definitions,
    ...(notes && { notes }),
  };
  return { addon, diagnostics };
}

/** The files of `definitions/` by the name they are installed under. */
export function definitionFileNames(addon: AddonPackage): Map<string, SourceFile> {
  return new Map(addon.definitions.map((f) => [f.name.slice(f.name.lastIndexOf('/') + 1), f]));
}
