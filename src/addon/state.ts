/**
 * Enabled addons, as vela remembers them: one folder per addon,
 * `$VELA_HOME/addons/NAME/` (or the project's `.vela/addons/NAME/` with
 * `--local`), holding `addon.json` (version, where it came from, the
 * parameters it was enabled with, where its Application went) and
 * `definitions/` (the files every command then finds on its lookup path).
 *
 * A folder is replaced whole: written beside its place, then renamed into
 * it, so a failure leaves either the old addon or the new one, never a mix.
 * `addon.json` is readable by its owner only: parameters may hold secrets.
 */
import { join } from 'node:path';
import { makeDir, nodeFileSystem, removeTree, renamePath, writeFileInPlace } from '../host/index.js';
import { DiagnosticError, error } from '../source/index.js';
import type { Parameters } from './parameters.js';
import type { AddonDependency } from './types.js';

export type AddonScope = 'project' | 'user';

export interface AddonState {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly registry: string;
  readonly source: string;
  readonly commit?: string;
  readonly dependencies: readonly AddonDependency[];
  /** The parameters it was enabled with (the user's, without defaults). */
  readonly parameters: Parameters;
  /** `cluster`: its Application was applied; `definitions-only`: only its definitions are installed. */
  readonly mode: 'cluster' | 'definitions-only';
  /** Where its Application's inventory is (cluster mode). */
  readonly app?: string;
  readonly namespace?: string;
  readonly context?: string;
  readonly server?: string;
  /** The definition files installed, by name. */
  readonly definitions: readonly string[];
}

export interface EnabledAddon extends AddonState {
  readonly scope: AddonScope;
  /** Its folder. */
  readonly dir: string;
}

export const STATE_FILE = 'addon.json';

/** The folder holding the enabled addons of a scope. */
export function addonsRoot(scope: AddonScope, where: { velaHome: string; cwd: string }): string {
  return scope === 'project' ? join(where.cwd, '.vela', 'addons') : join(where.velaHome, 'addons');
}

async function readState(dir: string): Promise<AddonState | undefined> {
  let text: string;
  try {
    text = await nodeFileSystem.readText(join(dir, STATE_FILE));
  } catch {
    return undefined;
  }
  try {
    const s = JSON.parse(text) as AddonState;
    if (typeof s.name !== 'string' || !Array.isArray(s.definitions)) throw new Error('missing fields');
    return s;
  } catch (e) {
    throw new DiagnosticError([error(`${join(dir, STATE_FILE)} is damaged: ${(e as Error).message}`, undefined, { code: 'addon/state', hint: `disable the addon again, or remove ${dir}` })]);
  }
}

/** Enabled addons of both scopes, the project's first; hidden (`.`) folders are work in progress and skipped. */
export async function listEnabled(where: { velaHome: string; cwd: string }): Promise<EnabledAddon[]> {
  const out: EnabledAddon[] = [];
  for (const scope of ['project', 'user'] as const) {
    const root = addonsRoot(scope, where);
    let names: string[];
    try {
      names = (await nodeFileSystem.list(root)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const state = await readState(join(root, name));
      if (state) out.push({ ...state, scope, dir: join(root, name) });
    }
  }
  return out;
}

export async function findEnabled(name: string, where: { velaHome: string; cwd: string }): Promise<EnabledAddon | undefined> {
  return (await listEnabled(where)).find((a) => a.name === name);
}

/** Installs (or replaces) an addon's folder: its state and definition files (name → text), all at once. */
export async function writeAddon(root: string, state: AddonState, definitions: ReadonlyMap<string, string>): Promise<string> {
  const dir = join(root, state.name);
  const temp = join(root, `.${state.name}.${process.pid}.new`);
  const old = join(root, `.${state.name}.${process.pid}.old`);
  await removeTree(temp);
  await makeDir(join(temp, 'definitions'));
  try {
    for (const [name, text] of definitions) await writeFileInPlace(join(temp, 'definitions', name), text);
    await writeFileInPlace(join(temp, STATE_FILE), JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
    await removeTree(old);
    // Two renames on one file system: the addon's folder is the old one or the new one, never half of each.
    await renamePath(dir, old).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    await renamePath(temp, dir);
  } catch (e) {
    await removeTree(temp);
    throw e;
  }
  await removeTree(old);
  return dir;
}

export async function removeAddon(dir: string): Promise<void> {
  const gone = `${dir.replace(/\/[^/]*$/, '')}/.${dir.slice(dir.lastIndexOf('/') + 1)}.${process.pid}.gone`;
  await renamePath(dir, gone).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
  await removeTree(gone);
}
