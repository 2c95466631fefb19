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

/** The user pressed Ctrl-C (or closed the terminal) during a prompt. */
export function isPromptCancelled(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}
