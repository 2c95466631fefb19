/**
 * The CLI's progress reporters, all writing to stderr (stdout is data):
 * - spinner: one `ora` spinner on a TTY, showing the task that spoke last;
 *   finished tasks stay as a line with a mark;
 * - plain: one prefixed line per event (`[web] step 2/5 : RUN npm ci`), for CI and pipes;
 * - silent: nothing (with --json, where stdout is a JSON document and stderr is not watched).
 * Warnings are not progress: every mode prints them on stderr, --json included.
 */
import type { Reporter, TaskReporter } from '../host/index.js';
import { formatDiagnostic } from '../source/index.js';

export type ReporterMode = 'spinner' | 'plain' | 'silent';

export interface Writable {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** Spinners only for a person at a terminal: a TTY, not CI, not --json. */
export function reporterMode(opts: { json: boolean; ci: boolean; tty: boolean }): ReporterMode {
  if (opts.json) return 'silent';
  if (opts.ci || !opts.tty) return 'plain';
  return 'spinner';
}

export interface ReporterOptions {
  mode: ReporterMode;
  color: boolean;
  stream?: Writable;
}

export async function createReporter(opts: ReporterOptions): Promise<Reporter> {
  const stream = opts.stream ?? process.stderr;
  const warn: Reporter['warn'] = (d) => void stream.write(formatDiagnostic(d, { color: opts.color }) + '\n');
  switch (opts.mode) {
    case 'silent':
      return { task: () => ({ step() {}, update() {}, succeed() {}, fail() {} }), info() {}, warn };
    case 'plain':
      return plainReporter(stream, warn);
    case 'spinner':
      return spinnerReporter(stream as NodeJS.WritableStream, opts.color, warn);
    default: {
      const never: never = opts.mode;
      throw new Error(`unknown reporter mode ${String(never)}`);
    }
  }
}

function plainReporter(stream: Writable, warn: Reporter['warn']): Reporter {
  const line = (s: string) => void stream.write(s + '\n');
  return {
    task(name, title) {
      const p = `[${name}]`;
      line(`${p} ${title}`);
      return {
        step: (current, total, text) => line(`${p} step ${current}/${total} : ${text}`),
        update: (text) => line(`${p} ${text}`),
        succeed: (text) => line(`${p} done${text ? `: ${text}` : ''}`),
        fail: (text) => line(`${p} failed${text ? `: ${text}` : ''}`),
      };
    },
    info: line,
    warn,
  };
}

async function spinnerReporter(stream: NodeJS.WritableStream, color: boolean, warn: Reporter['warn']): Promise<Reporter> {
  // Loaded here, not at the top: only a person at a terminal pays for it.
  const { default: ora } = await import('ora');
  const spinner = ora({ stream, color: 'cyan', isEnabled: true, isSilent: false, discardStdin: false });
  const running = new Map<string, string>();
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);

  const show = (name: string, text: string) => {
    running.set(name, text);
    spinner.text = `[${name}] ${text}`;
    if (!spinner.isSpinning) spinner.start();
  };
  const finish = (name: string, symbol: string, text: string) => {
    running.delete(name);
    spinner.stopAndPersist({ symbol, text: `[${name}] ${text}` });
    // Another task is still working: keep spinning on it.
    const next = [...running].at(-1);
    if (next) show(next[0], next[1]);
  };
  // Print a line above the spinner without tearing it.
  const above = (s: string) => {
    const spinning = spinner.isSpinning;
    if (spinning) spinner.clear();
    stream.write(s + '\n');
    if (spinning) spinner.render();
  };

  return {
    task(name, title): TaskReporter {
      show(name, title);
      return {
        step: (current, total, text) => show(name, `step ${current}/${total} : ${text}`),
        update: (text) => show(name, text),
        succeed: (text) => finish(name, paint('32', '✔'), text ?? title),
        fail: (text) => finish(name, paint('31', '✖'), text ?? title),
      };
    },
    info: above,
    warn: (d) => {
      const spinning = spinner.isSpinning;
      if (spinning) spinner.clear();
      warn(d);
      if (spinning) spinner.render();
    },
  };
}

/**
 * The reporter without repeats: waits re-check every second and report the
 * same state again; in CI a line per check says nothing new.
 */
export function withoutRepeats(reporter: Reporter): Reporter {
  return {
    ...reporter,
    task(name, title) {
      const task = reporter.task(name, title);
      let last = title;
      return {
        ...task,
        step: (current, total, text) => task.step(current, total, text),
        update(text) {
          if (text === last) return;
          last = text;
          task.update(text);
        },
        succeed: (text) => task.succeed(text),
        fail: (text) => task.fail(text),
      };
    },
  };
}
