/**
 * The terminal side of the prompt layer (`Ask`, see src/pipeline/init.ts):
 * @inquirer/prompts, loaded on the first question so that commands that never
 * ask pay nothing for it. Validation runs while the user types, so a wrong
 * answer never leaves the prompt.
 */
import type { Ask, Choice } from '../pipeline/init.js';

type Inquirer = typeof import('@inquirer/prompts');

let loaded: Promise<Inquirer> | undefined;
const inquirer = () => (loaded ??= import('@inquirer/prompts'));

/** Answers for the wizard from the user at the terminal; notes go to stderr. */
export function terminalAsk(stderr: { write(s: string): unknown } = process.stderr): Ask {
  return {
    async text(q) {
      const { input } = await inquirer();
      return input({
        message: q.message,
        ...(q.default !== undefined && { default: q.default }),
        ...(q.validate && { validate: q.validate }),
      });
    },
    async number(q) {
      const { number } = await inquirer();
      return number({
        message: q.message,
        ...(q.default !== undefined && { default: q.default }),
        ...(q.integer && { step: 1 }),
        ...(q.validate && { validate: q.validate }),
      });
    },
    async select<T>(q: { message: string; choices: readonly Choice<T>[]; default?: T }) {
      const { select } = await inquirer();
      return select<T>({
        message: q.message,
        choices: q.choices.map((c) => ({ value: c.value, name: c.name, ...(c.description && { description: c.description }) })),
        ...(q.default !== undefined && { default: q.default }),
        pageSize: 12,
      });
    },
    async confirm(q) {
      const { confirm } = await inquirer();
      return confirm({ message: q.message, ...(q.default !== undefined && { default: q.default }) });
    },
    async checkbox<T>(q: { message: string; choices: readonly Choice<T>[] }) {
      const { checkbox } = await inquirer();
      return checkbox<T>({
        message: q.message,
        choices: q.choices.map((c) => ({
          value: c.value,
          name: c.name,
          ...(c.description && { description: c.description }),
          ...(c.checked && { checked: true }),
        })),
        pageSize: 12,
      });
    },
    note(message) {
      stderr.write(`${message}\n`);
    },
  };
}

/** A yes/no question at the terminal, asked on stderr (stdout may be a pipe); the default is no. */
export async function confirmAtTerminal(message: string): Promise<boolean> {
  const { confirm } = await inquirer();
  return confirm({ message, default: false }, { output: process.stderr });
}

/**
 * `vela up` at a terminal, when a workflow step waits for approval (`auto: false`) or at an untimed suspend:
 * approve it here, terminate the workflow, keep waiting for `vela workflow resume` from elsewhere, or stop and
 * leave it waiting. Ctrl-C at the prompt stops (the workflow stays waiting in the cluster).
 */
export async function approvalAtTerminal(gate: { step: string; gate: 'Suspend' | 'Approval'; message?: string }, signal: AbortSignal): Promise<'approve' | 'terminate' | 'wait' | 'stop'> {
  const { select } = await inquirer();
  const what = gate.gate === 'Approval' ? `Step ${gate.step} waits for approval` : `Step ${gate.step} is suspended`;
  try {
    return await select<'approve' | 'terminate' | 'wait' | 'stop'>(
      {
        message: `${what}${gate.gate === 'Suspend' && gate.message ? ` (${gate.message})` : ''}. Go on?`,
        choices: [
          { value: 'approve', name: gate.gate === 'Approval' ? 'approve: deliver it now' : 'resume: go on now' },
          { value: 'stop', name: 'not now: stop here; `vela workflow resume` or `vela up` goes on later' },
          { value: 'wait', name: 'wait here for `vela workflow resume` from elsewhere' },
          { value: 'terminate', name: 'terminate the workflow' },
        ],
        default: 'stop',
      },
      { output: process.stderr, signal },
    );
  } catch (err) {
    if (isPromptCancelled(err) && !signal.aborted) return 'stop';
    throw err;
  }
}

/** The user pressed Ctrl-C (or closed the terminal) during a prompt. */
export function isPromptCancelled(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}
