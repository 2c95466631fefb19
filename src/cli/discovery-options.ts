/** What the discovery commands (`components`, `traits`, `show`, `init`, `__complete`) need from the environment and flags. */
import { velaHome, type Environment } from '../host/index.js';
import type { DiscoveryOptions } from '../pipeline/discovery.js';

/** The definition lookup path: --definitions folders, the project's, $VELA_HOME's (default ~/.vela), the built-in ones. */
export function discoveryOptions(env: Environment, dirs: readonly string[] | undefined): DiscoveryOptions {
  return { cwd: env.cwd, definitionDirs: dirs ?? [], velaHome: velaHome(env) };
}

/** The width to fit tables to: only on a terminal; pipes and files get the full text. */
export function terminalWidth(stdout: { isTTY?: boolean; columns?: number } = process.stdout): number | undefined {
  return stdout.isTTY ? stdout.columns : undefined;
}
