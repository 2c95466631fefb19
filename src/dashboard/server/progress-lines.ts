/**
 * A Reporter that keeps what `vela up` would print as lines, for an answer
 * to the page: each task's title and its steps and updates (`[web] step 2/5
 * : COPY …`), how it ended, and notes. Push progress per layer is left out
 * (a terminal redraws it in place; as lines it would be hundreds), and the
 * lines are bounded.
 */
import type { Reporter, TaskReporter } from '../../host/index.js';
import type { Diagnostic } from '../../source/index.js';

const MAX_LINES = 500;

export class ProgressLines implements Reporter {
  readonly lines: string[] = [];

  private add(line: string): void {
    if (this.lines.length < MAX_LINES) this.lines.push(line);
    else if (this.lines.length === MAX_LINES) this.lines.push('… (more lines left out)');
  }

  task(name: string, title: string): TaskReporter {
    this.add(`[${name}] ${title}`);
    return {
      step: (current, total, text) => this.add(`[${name}] step ${current}/${total} : ${text}`),
      update: (text) => {
        if (!text.startsWith('layer ')) this.add(`[${name}] ${text}`);
      },
      succeed: (text) => this.add(`[${name}] ${text ?? 'done'}`),
      fail: (text) => this.add(`[${name}] failed${text ? `: ${text}` : ''}`),
    };
  }

  info(message: string): void {
    this.add(message);
  }

  warn(diagnostic: Diagnostic): void {
    this.add(`warning: ${diagnostic.message}`);
  }
}
