/** Output of `vela build`: one `SERVICE<TAB>IMAGE` line per built image. */
import type { BuildResult } from '../pipeline/build.js';
import type { CommandOutput } from './format.js';

export function formatBuild(r: BuildResult): CommandOutput<BuildResult> {
  if (r.images.length === 0) return { stderr: 'no service has a build section: nothing to build\n', json: r };
  return { stdout: r.images.map((i) => `${i.service}\t${i.ref}\n`).join(''), ...(r.artifacts !== undefined ? { stderr: `wrote the build artifacts to ${r.artifacts}\n` } : {}), json: r };
}
