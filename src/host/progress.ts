/**
 * How pipelines tell the user what they are doing. The pipeline only knows this
 * interface; the CLI picks the implementation (spinners on a TTY, plain lines
 * in CI, nothing with --json) and tests use the recording one.
 */
import type { Diagnostic } from '../source/index.js';

export interface Reporter {
  /** Start a unit of work shown on its own, e.g. one service's build: `[web] ...`. */
  task(name: string, title: string): TaskReporter;
  /** A line of talk that belongs to no task. */
  info(message: string): void;
  /** A warning; printed with the diagnostic printer. */
  warn(diagnostic: Diagnostic): void;
}

export interface TaskReporter {
  /** Numbered progress, e.g. a Dockerfile step: `[web] step 2/5 : RUN npm ci`. */
  step(current: number, total: number, text: string): void;
  /** Free-form progress of the task. */
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
}

export type ReporterEvent =
  | { readonly kind: 'start'; readonly task: string; readonly text: string }
  | { readonly kind: 'step'; readonly task: string; readonly current: number; readonly total: number; readonly text: string }
  | { readonly kind: 'update'; readonly task: string; readonly text: string }
  | { readonly kind: 'succeed' | 'fail'; readonly task: string; readonly text?: string }
  | { readonly kind: 'info'; readonly text: string }
  | { readonly kind: 'warn'; readonly diagnostic: Diagnostic };

/** A reporter that remembers what it was told, for tests. */
export function recordingReporter(): Reporter & { readonly events: ReporterEvent[] } {
  const events: ReporterEvent[] = [];
  return {
    events,
    task(task, text) {
      events.push({ kind: 'start', task, text });
      return {
        step: (current, total, text) => events.push({ kind: 'step', task, current, total, text }),
        update: (text) => events.push({ kind: 'update', task, text }),
        succeed: (text) => events.push({ kind: 'succeed', task, text }),
        fail: (text) => events.push({ kind: 'fail', task, text }),
      };
    },
    info: (text) => events.push({ kind: 'info', text }),
    warn: (diagnostic) => events.push({ kind: 'warn', diagnostic }),
  };
}

/** A reporter that says nothing (the pipeline's default when none is injected). */
export const silentReporter: Reporter = {
  task: () => ({ step() {}, update() {}, succeed() {}, fail() {} }),
  info() {},
  warn() {},
};
