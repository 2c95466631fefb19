/**
 * An addon in KubeVela's format, as vela reads it: a folder with
 * `metadata.yaml`, `template.cue` or `template.yaml`, `parameter.cue`,
 * `resources/`, `definitions/`, and folders vela reads but has no use for
 * (`schemas/`, `views/`, `config-templates/`).
 */
import type { SourceFile } from '../source/index.js';

export interface AddonDependency {
  readonly name: string;
  /** A version constraint (`>=1.0.0`), when given. */
  readonly version?: string;
}

/** `metadata.yaml`, with KubeVela's field names (templates see it as `context.metadata`). */
export interface AddonMeta {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly icon?: string;
  readonly url?: string;
  readonly tags: readonly string[];
  readonly dependencies: readonly AddonDependency[];
  /** Version constraints: `vela` (of KubeVela) and `kubernetes` (of the cluster). */
  readonly system?: { readonly vela?: string; readonly kubernetes?: string };
  /** Where KubeVela deploys it (control plane, runtime clusters); kept as written. */
  readonly deployTo?: Readonly<Record<string, unknown>>;
  /** Namespaces the addon needs; each becomes a Namespace object (vela-system excepted). */
  readonly needNamespace: readonly string[];
  /** Hidden from `vela addon list`. */
  readonly invisible: boolean;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The files of one addon: its path relative to the addon folder (with `/`) → the file, named for messages. */
export type AddonFiles = ReadonlyMap<string, SourceFile>;

/** An addon read and checked: every file sorted into its role. */
export interface AddonPackage {
  readonly meta: AddonMeta;
  readonly files: AddonFiles;
  readonly metadataFile: SourceFile;
  readonly templateCue?: SourceFile;
  readonly templateYaml?: SourceFile;
  /** `parameter.cue` (or the legacy `resources/parameter.cue`). */
  readonly parameterCue?: SourceFile;
  /** `resources/**.cue`, by path. */
  readonly cueResources: readonly SourceFile[];
  /** `resources/**.yaml`, by path. */
  readonly yamlResources: readonly SourceFile[];
  /** `definitions/**.cue` and `.yaml`, by path. */
  readonly definitions: readonly SourceFile[];
  /** `NOTES.cue`: a `notes` string shown after enabling. */
  readonly notes?: SourceFile;
}

/** A version an addon source offers, as listed (no files read). */
export interface AddonSummary {
  readonly name: string;
  /** Newest first. */
  readonly versions: readonly string[];
  readonly description: string;
  readonly tags: readonly string[];
  readonly invisible: boolean;
}

/** Where an addon came from: enough to find it again (`vela addon upgrade`). */
export interface AddonOrigin {
  /** A configured registry's name, or `local` for a folder given on the command line. */
  readonly registry: string;
  /** The registry's source (folder, git URL, HTTP URL) or the addon's folder. */
  readonly source: string;
  /** The git commit it was read at, for git registries. */
  readonly commit?: string;
}

/** A loaded addon: its files and where they came from. */
export interface LoadedAddon {
  readonly files: AddonFiles;
  readonly origin: AddonOrigin;
}

/** Something that lists and loads addons: a folder, a git repository, an HTTP catalog or a package. */
export interface AddonSource {
  /** How messages name it, e.g. `registry catalog (https://…)`. */
  readonly label: string;
  /** The registry's name (`local` for a source given on the command line). */
  readonly registry: string;
  list(): Promise<AddonSummary[]>;
  /** The addon's files; a DiagnosticError when the source has no such addon (or version). */
  load(name: string, version?: string): Promise<LoadedAddon>;
}
