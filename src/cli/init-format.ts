/** Output of `vela init`: what was written and what to run next, on stderr. */
import type { InitResult } from '../pipeline/init.js';
import type { CommandOutput } from './format.js';

/** `bin` is how the user calls vela, for the next commands to run. */
export function formatInit(r: InitResult, bin: string): CommandOutput<InitResult> {
  if (r.written) {
    return { stderr: `wrote ${r.path} (app ${r.name}: ${r.services.join(', ')})\nnext: \`${bin} dry-run\` to see the manifests, \`${bin} up\` to deploy\n`, json: r };
  }
  if (r.next) return { stderr: `nothing written; run \`${r.next}\`\n`, json: r };
  return { stderr: `${r.path} left as it was\n`, json: r };
}
