/**
 * The entry point behind bin/vela.js: load the oclif configuration, answer
 * --version and --help, reject unknown commands with a suggestion, run the
 * command. Returns the exit code instead of calling process.exit, so stdout
 * drains and tests can call it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core/config';
import { normalizeArgv } from '@oclif/core/help';
import { helpAddition, versionAddition } from '@oclif/core/run';
import { settings } from '@oclif/core/settings';
import { ExitCode, colorAllowed, nodeEnvironment } from '../host/index.js';
import { DiagnosticError, didYouMean, error } from '../source/index.js';
import { issuesUrl } from './base-command.js';
import { reportError } from './errors.js';
import { VelaHelp } from './help.js';

export interface MainOptions {
  /** The package root (folder of package.json), or a file URL inside it (`import.meta.url` of bin/). */
  readonly root: string;
  /**
   * Run the commands from src/ (TypeScript, through the tsx loader) instead of dist/.
   * Used by bin/dev.js so tests and development need no build.
   */
  readonly development?: boolean;
}

async function loadConfig(opts: MainOptions): Promise<Config> {
  const root = opts.root.startsWith('file:') ? fileURLToPath(new URL('..', opts.root)) : opts.root;
  if (!opts.development) return Config.load(root);
  const pjson = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  pjson.oclif.commands = { ...pjson.oclif.commands, target: './src/commands/index.ts' };
  // The tsx loader is already in place; oclif's own tsconfig-based path mapping would look in the wrong folder.
  settings.enableAutoTranspile = false;
  return Config.load({ root, pjson });
}

const displayId = (id: string, config: Config) => id.replaceAll(':', config.topicSeparator);

export async function main(argv: readonly string[], opts: MainOptions): Promise<number> {
  const env = nodeEnvironment();
  const report = (err: unknown) =>
    reportError(err, { color: colorAllowed(process.stderr, env), debug: Boolean(env.get('VELA_DEBUG')) });
  let config: Config;
  try {
    config = await loadConfig(opts);
  } catch (err) {
    return report(err);
  }
  const args = [...argv];
  try {
    if (versionAddition(args, config)) {
      process.stdout.write(`${config.userAgent}\n`);
      return ExitCode.ok;
    }
    // `vela help [COMMAND]` reads like `vela [COMMAND] --help`, as in git and kubectl.
    if (args[0] === 'help') args.splice(0, 1, '--help');
    if (helpAddition(args, config)) {
      await new VelaHelp(config, config.pjson.oclif.helpOptions).showHelp(args);
      return ExitCode.ok;
    }
    const [id = '', ...rest] = normalizeArgv(config, args);
    const command = config.findCommand(id);
    if (!command) {
      if (config.findTopic(id)) {
        await new VelaHelp(config, config.pjson.oclif.helpOptions).showHelp([id]);
        return ExitCode.ok;
      }
      return report(unknownCommand(args, config));
    }
    await config.runCommand(id, rest, command);
    return ExitCode.ok;
  } catch (err) {
    // Commands report their own errors (BaseCommand.catch) and end with an ExitError carrying the code.
    return reportError(err, {
      color: colorAllowed(process.stderr, env),
      debug: Boolean(env.get('VELA_DEBUG')),
      issuesUrl: issuesUrl(config.pjson),
    });
  }
}

/** The first word that is neither a command nor a topic, with the topic words before it: `cue exprt` of `cue exprt x.cue`. */
function unknownCommand(args: readonly string[], config: Config) {
  const words: string[] = [];
  for (const arg of args) {
    words.push(arg);
    if (arg.startsWith('-') || !config.findTopic(words.join(':'))) break;
  }
  const shown = words.join(' ');
  const ids = config.commandIDs.map((c) => displayId(c, config));
  const suggestion = shown.startsWith('-') ? undefined : didYouMean(shown, ids);
  const hint = `${suggestion ? `${suggestion} ` : ''}run \`${config.bin} --help\` for the list of commands`;
  const what = shown.startsWith('-') ? `unknown flag \`${shown}\`` : `unknown command \`${shown}\``;
  return new DiagnosticError([error(what, undefined, { hint, code: 'cli/unknown-command' })], ExitCode.userError);
}
