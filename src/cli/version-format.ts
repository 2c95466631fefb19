/** `vela version` as text: one `name: value` line each. */
import type { VersionInfo } from '../pipeline/version-info.js';

export function formatVersion(info: VersionInfo): string {
  return [
    `vela:        ${info.version}`,
    `node:        ${info.node}`,
    `cue engine:  ${info.cue.engine} (CUE language ${info.cue.language})`,
    `definitions: ${info.definitions.digest} (${info.definitions.files} built-in files)`,
    '',
  ].join('\n');
}
