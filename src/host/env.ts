/**
 * Environment variables, the working directory, the clock and terminal facts,
 * read through one injected value instead of `process` so pipelines stay testable.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
export interface Environment {
  get(name: string): string | undefined;
  readonly cwd: string;
  readonly homeDir: string;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export function nodeEnvironment(): Environment {
  return {
    get: (name) => process.env[name],
    cwd: process.cwd(),
    // $HOME first (as os.homedir does), then the user database: never the working folder.
    homeDir: homedir(),
  };
}

export function memoryEnvironment(vars: Record<string, string> = {}, cwd = '/', homeDir = '/home/user'): Environment {
  return { get: (name) => vars[name], cwd, homeDir };
}

/** vela's own folder (definitions, environments, addons): `$VELA_HOME`, else `~/.vela`. */
export function velaHome(env: Pick<Environment, 'get' | 'homeDir'>): string {
  return env.get('VELA_HOME') || join(env.homeDir, '.vela');
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
};

/** A clock that only moves when told to; `sleep` advances it instantly. */
export function manualClock(start = 0): Clock & { advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    async sleep(ms) {
      t += ms;
    },
  };
}

/** Whether ANSI colour may be written to a stream: a TTY, no NO_COLOR, not TERM=dumb (https://no-color.org). */
export function colorAllowed(stream: { isTTY?: boolean }, env: Pick<Environment, 'get'>): boolean {
  if (env.get('NO_COLOR')) return false;
  if (env.get('TERM') === 'dumb') return false;
  return stream.isTTY === true;
}
