/**
 * The entry point behind bin/vela.js: load the oclif configuration, answer
 * --version and --help, reject unknown commands with a suggestion, run the
 * command. Returns the exit code instead of calling process.exit, so stdout
 * drains and tests can call it.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core/config';
import { normalizeArgv } from '@oclif/core/help';
import { helpAddition, versionAddition } from '@oclif/core/run';
import { settings } from '@oclif/core/settings';
import { ExitCode, colorAllowed, nodeEnvironment, nodeFileSystem } from '../host/index.js';
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
  const pjson = JSON.parse(await nodeFileSystem.readText(join(root, 'package.json')));
  pjson.oclif.commands = { ...pjson.oclif.commands, target: './src/commands/index.ts' };
  // The tsx loader is already in place; oclif's own tsconfig-based path mapping would look in the wrong folder.
  settings.enableAutoTranspile = false;
  return Config.load({ root, pjson });
}

const showHelp = (config: Config, argv: string[]) => new VelaHelp(config, config.pjson.oclif.helpOptions).showHelp(argv);

export async function main(argv: readonly string[], opts: MainOptions): Promise<number> {
  const env = nodeEnvironment();
  let issues: string | undefined;
  const report = (err: unknown) =>
    reportError(err, { color: colorAllowed(process.stderr, env), debug: Boolean(env.get('VELA_DEBUG')), issuesUrl: issues });
  try {
    const config = await loadConfig(opts);
    issues = issuesUrl(config.pjson);
    const args = [...argv];
    if (versionAddition(args, config)) {
      process.stdout.write(`${config.userAgent}\n`);
      return ExitCode.ok;
    }
    // `vela help [COMMAND]` reads like `vela [COMMAND] --help`, as in git and kubectl.
    if (args[0] === 'help') args.splice(0, 1, '--help');
    if (helpAddition(args, config)) {
      await showHelp(config, args);
      return ExitCode.ok;
    }
    const [id = '', ...rest] = normalizeArgv(config, args);
    const command = config.findCommand(id);
    if (!command) {
      if (!config.findTopic(id)) return report(unknownCommand(args, config));
      await showHelp(config, [id]);
      return ExitCode.ok;
    }
    await config.runCommand(id, rest, command);
    return ExitCode.ok;
  } catch (err) {
    // Commands report their own errors (BaseCommand.catch) and end with an ExitError carrying the code;
    // anything else failed outside a command (loading the config or a command module).
    return report(err);
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
  const ids = config.commandIDs.map((c) => c.replaceAll(':', config.topicSeparator));
  const suggestion = shown.startsWith('-') ? undefined : didYouMean(shown, ids);
  const hint = `${suggestion ? `${suggestion} ` : ''}\`${config.bin} --help\` lists every command`;
  const what = shown.startsWith('-') ? `unknown flag \`${shown}\`` : `unknown command \`${shown}\``;
  return new DiagnosticError([error(what, undefined, { hint, code: 'cli/unknown-command' })], ExitCode.userError);
}
