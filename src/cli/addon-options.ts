/** What the addon and def commands need from the environment: the working folder and $VELA_HOME. */
import { velaHome, type Environment } from '../host/index.js';
import type { AddonContext } from '../pipeline/addon-sources.js';

export function addonContext(env: Environment, signal?: AbortSignal): AddonContext {
  return { cwd: env.cwd, velaHome: velaHome(env), ...(signal && { signal }) };
}

/** The `vela def` commands' context: as the addon commands', with `--definitions DIR` searched first. */
export function defContext(env: Environment, dirs?: readonly string[], signal?: AbortSignal): AddonContext & { definitionDirs: readonly string[] } {
  return { ...addonContext(env, signal), definitionDirs: dirs ?? [] };
}
