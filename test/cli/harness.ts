/**
 * Runs a command class in-process, as oclif would, capturing stdout, stderr
 * and the exit code. The config is vela's package.json without command
 * discovery, so no build is needed: tests hand over the classes themselves.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core/config';
import { ExitError } from '@oclif/core/errors';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let config: Promise<Config> | undefined;

export function testConfig(): Promise<Config> {
  const pjson = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8'));
  delete pjson.oclif.commands;
  return (config ??= Config.load({ root: ROOT, pjson }));
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** What `run()` returned (the data behind --json). */
  result: unknown;
}

export interface RunOptions {
  /** Pretend stdout and stderr are terminals. */
  tty?: boolean;
}

/** A command class, as oclif's static `run` sees it. */
export interface Runnable {
  run(argv: string[], config: Config): Promise<unknown>;
}

export async function runCommand(cmd: Runnable, argv: string[], opts: RunOptions = {}): Promise<RunResult> {
  const cfg = await testConfig();
  const out: string[] = [];
  const err: string[] = [];
  const saved = {
    out: process.stdout.write,
    err: process.stderr.write,
    outTTY: process.stdout.isTTY,
    errTTY: process.stderr.isTTY,
  };
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  process.stdout.isTTY = opts.tty ?? false;
  process.stderr.isTTY = opts.tty ?? false;
  let exitCode = 0;
  let result: unknown;
  try {
    result = await cmd.run(argv, cfg);
  } catch (e) {
    if (!(e instanceof ExitError)) throw e;
    exitCode = e.oclif.exit ?? 1;
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.stdout.isTTY = saved.outTTY;
    process.stderr.isTTY = saved.errTTY;
  }
  return { stdout: out.join(''), stderr: err.join(''), exitCode, result };
}

/** ANSI escape sequences (colour, cursor). */
export const ANSI = /\u001b\[/;
