/**
 * Shell completion scripts for bash, zsh and fish (`vela completion SHELL`),
 * generated from the commands oclif knows: command and topic names, flags
 * (with their fixed values), and, through the hidden `vela __complete KIND`,
 * names that only exist at run time: services of ./vela.yaml, component types
 * and traits. oclif's own plugin (`vela autocomplete`) writes static scripts
 * for bash and zsh only, without those names; this adds them, and fish.
 *
 * The scripts call `vela __complete` by the name the user typed (`${words[0]}`),
 * so a checkout's `bin/dev.js` completes as well as an installed `vela`.
 */
import type { Config } from '@oclif/core/config';
import type { Command } from '@oclif/core';
import type { CompletionKind } from '../pipeline/complete-kinds.js';

export const shells = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof shells)[number];

/** What completes a flag's value or a positional argument. */
export type ValueKind =
  | { readonly kind: 'files' }
  | { readonly kind: 'dirs' }
  | { readonly kind: 'words'; readonly words: readonly string[] }
  /** Candidates from `vela __complete WHAT`. */
  | { readonly kind: 'dynamic'; readonly what: CompletionKind }
  | { readonly kind: 'none' };

export interface FlagSpec {
  readonly name: string;
  readonly char?: string;
  readonly summary: string;
  /** Undefined for a boolean flag. */
  readonly value?: ValueKind;
  /** A boolean flag that also has `--no-NAME`. */
  readonly negatable?: boolean;
}

export interface CommandSpec {
  /** `['cue', 'export']`. */
  readonly words: readonly string[];
  readonly summary: string;
  readonly flags: readonly FlagSpec[];
  /** What the positional arguments complete to. */
  readonly args: ValueKind;
}

export interface CompletionSpec {
  readonly bin: string;
  readonly commands: readonly CommandSpec[];
  /** Topics (a word before subcommands, e.g. `cue`) with their descriptions. */
  readonly topics: readonly { readonly words: readonly string[]; readonly summary: string }[];
}

/** Positional arguments whose values vela knows at run time, by command and argument name. */
const ARG_KINDS: Record<string, ValueKind> = {
  'show name': { kind: 'dynamic', what: 'definitions' },
};
/** Flags whose values are files, folders or names vela knows, by flag name. */
const FLAG_KINDS: Record<string, ValueKind> = {
  file: { kind: 'files' },
  output: { kind: 'files' },
  out: { kind: 'files' },
  kubeconfig: { kind: 'files' },
  definitions: { kind: 'dirs' },
  type: { kind: 'dynamic', what: 'components' },
  svc: { kind: 'dynamic', what: 'services' },
  app: { kind: 'dynamic', what: 'apps' },
};

type LoadableFlag = Command.Loadable['flags'][string];
type LoadableArg = Command.Loadable['args'][string];

const firstLine = (s: string | undefined) => (s ?? '').split('\n')[0]!.trim();

function argKind(id: string, args: Record<string, LoadableArg>): ValueKind {
  const list = Object.values(args);
  if (list.length === 0) return { kind: 'none' };
  const a = list[0]!;
  const known = ARG_KINDS[`${id} ${a.name}`];
  if (known) return known;
  if (a.options?.length) return { kind: 'words', words: a.options };
  if (a.name === 'service' || a.name === 'services') return { kind: 'dynamic', what: 'services' };
  if (a.name === 'app') return { kind: 'dynamic', what: 'apps' };
  return { kind: 'files' };
}

function flagSpec(name: string, f: LoadableFlag): FlagSpec {
  const summary = firstLine(f.summary ?? f.description);
  const base = { name, ...(f.char && { char: f.char }), summary };
  if (f.type === 'boolean') return { ...base, ...(f.allowNo && { negatable: true }) };
  const value: ValueKind = f.options?.length ? { kind: 'words', words: f.options } : (FLAG_KINDS[name] ?? { kind: 'none' });
  return { ...base, value };
}

/** The commands and flags of a loaded oclif configuration, hidden ones left out. */
export function completionSpec(config: Config): CompletionSpec {
  const commands: CommandSpec[] = [];
  for (const c of config.commands) {
    if (c.hidden) continue;
    const flags = Object.entries(c.flags ?? {})
      .filter(([, f]) => !f.hidden)
      .map(([n, f]) => flagSpec(n, f))
      .sort((a, b) => a.name.localeCompare(b.name));
    commands.push({ words: c.id.split(':'), summary: firstLine(c.summary ?? c.description), flags, args: argKind(c.id, c.args ?? {}) });
  }
  commands.sort((a, b) => a.words.join(' ').localeCompare(b.words.join(' ')));
  const ids = new Set(commands.map((c) => c.words.join(' ')));
  const topics = new Map<string, string>();
  for (const c of commands) {
    for (let i = 1; i < c.words.length; i++) {
      const words = c.words.slice(0, i).join(' ');
      if (!ids.has(words) && !topics.has(words)) topics.set(words, firstLine(config.findTopic(c.words.slice(0, i).join(':'))?.description));
    }
  }
  return { bin: config.bin, commands, topics: [...topics].map(([w, summary]) => ({ words: w.split(' '), summary })) };
}

export function completionScript(shell: Shell, spec: CompletionSpec): string {
  switch (shell) {
    case 'bash':
      return bashScript(spec);
    case 'zsh':
      return zshScript(spec);
    case 'fish':
      return fishScript(spec);
  }
}

/** Names (with summaries) that may follow a command path: subcommands and subtopics. */
function children(spec: CompletionSpec, path: readonly string[]): { name: string; summary: string }[] {
  const out = new Map<string, string>();
  const under = (words: readonly string[]) => words.length === path.length + 1 && path.every((w, i) => words[i] === w);
  for (const t of spec.topics) if (under(t.words)) out.set(t.words.at(-1)!, t.summary);
  for (const c of spec.commands) if (under(c.words)) out.set(c.words.at(-1)!, c.summary);
  return [...out].map(([name, summary]) => ({ name, summary })).sort((a, b) => a.name.localeCompare(b.name));
}

/** Every command path and topic path: the groups a completer walks through. */
function groups(spec: CompletionSpec): string[][] {
  return [[], ...spec.topics.map((t) => [...t.words]), ...spec.commands.map((c) => [...c.words])];
}

const fnName = (bin: string) => bin.replace(/[^A-Za-z0-9_]/g, '_');
/** A single-quoted shell word (bash, zsh and fish agree on `'\''`... except fish, see fishQuote). */
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const fishQuote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The flag naming the Appfile: `--file` when it takes files (not, say, `vela logs -f`, which follows). */
function appfileFlag(c: CommandSpec): FlagSpec | undefined {
  return c.flags.find((f) => f.name === 'file' && f.value?.kind === 'files');
}

function flagWords(f: FlagSpec): string[] {
  return [`--${f.name}`, ...(f.negatable ? [`--no-${f.name}`] : []), ...(f.char ? [`-${f.char}`] : [])];
}

/** `files`, `dirs`, `words:a b`, `dynamic:services` or `none`: how the scripts name a ValueKind. */
function kindWord(v: ValueKind): string {
  switch (v.kind) {
    case 'words':
      return `words:${v.words.join(' ')}`;
    case 'dynamic':
      return `dynamic:${v.what}`;
    default:
      return v.kind;
  }
}

/** Shared by bash and zsh: case statements mapping a command path (and flag) to what completes. */
function caseTables(spec: CompletionSpec, prefix: string): string {
  const groupCases = groups(spec)
    .filter((g) => g.length > 0)
    .map((g) => sq(g.join(' ')))
    .join('|');
  const sub = groups(spec)
    .filter((g) => !spec.commands.some((c) => c.words.join(' ') === g.join(' ')))
    .map((g) => `    ${sq(g.join(' '))}) echo ${sq(children(spec, g).map((c) => c.name).join(' '))} ;;`)
    .join('\n');
  const isCommand = spec.commands.map((c) => sq(c.words.join(' '))).join('|');
  const flagValue = spec.commands
    .flatMap((c) =>
      c.flags
        .filter((flag) => flag.value)
        .map((flag) => `    ${[`--${flag.name}`, ...(flag.char ? [`-${flag.char}`] : [])].map((w) => sq(`${c.words.join(' ')} ${w}`)).join('|')}) echo ${sq(kindWord(flag.value!))} ;;`),
    )
    .join('\n');
  const args = spec.commands.map((c) => `    ${sq(c.words.join(' '))}) echo ${sq(kindWord(c.args))} ;;`).join('\n');
  const fileFlags = spec.commands
    .filter((c) => appfileFlag(c))
    .map((c) => `    ${sq(c.words.join(' '))}) echo ${sq(flagWords(appfileFlag(c)!).join(' '))} ;;`)
    .join('\n');
  return `# Is "$1" a command or a topic?
__${prefix}_is_group() {
  case "$1" in
    ${groupCases}) return 0 ;;
  esac
  return 1
}

__${prefix}_is_command() {
  case "$1" in
    ${isCommand}) return 0 ;;
  esac
  return 1
}

# The subcommands of a topic ('' is the top level).
__${prefix}_subcommands() {
  case "$1" in
${sub}
  esac
}

# What completes the value of flag $2 of command $1 (nothing for a boolean flag).
__${prefix}_flag_value() {
  case "$1 $2" in
${flagValue}
  esac
}

# The flags that name the Appfile, for command $1 (services are read from it).
__${prefix}_file_flags() {
  case "$1" in
${fileFlags}
  esac
}

# What completes the positional arguments of command $1.
__${prefix}_args() {
  case "$1" in
${args}
  esac
}
`;
}

function bashScript(spec: CompletionSpec): string {
  const prefix = fnName(spec.bin);
  const flags = spec.commands.map((c) => `    ${sq(c.words.join(' '))}) echo ${sq(c.flags.flatMap(flagWords).join(' '))} ;;`).join('\n');
  return `# bash completion for ${spec.bin}, generated by \`${spec.bin} completion bash\`.
# Load it with:  source <(${spec.bin} completion bash)
${caseTables(spec, prefix)}
__${prefix}_flags() {
  case "$1" in
${flags}
  esac
}

# Candidates for a kind (files, dirs, words:..., dynamic:...) matching $cur.
__${prefix}_values() {
  local kind="$1" cur="$2"
  case "$kind" in
    files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
    dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
    words:*) COMPREPLY=($(compgen -W "\${kind#words:}" -- "$cur")) ;;
    dynamic:*)
      local -a extra=()
      [[ -n $__${prefix}_appfile ]] && extra=(--file "$__${prefix}_appfile")
      COMPREPLY=($(compgen -W "$("\${COMP_WORDS[0]}" __complete "\${kind#dynamic:}" "\${extra[@]}" 2>/dev/null)" -- "$cur")) ;;
  esac
}

_${prefix}_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" cmdpath="" w i
  (( COMP_CWORD > 1 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  # --flag=value: bash splits at "=" (COMP_WORDBREAKS), so the flag is two words back.
  if [[ $prev == "=" && COMP_CWORD -gt 2 ]]; then prev="\${COMP_WORDS[COMP_CWORD-2]}"; fi
  [[ $cur == "=" ]] && cur=""
  # The command: the longest run of words that names a topic or a command.
  for (( i = 1; i < COMP_CWORD; i++ )); do
    w="\${COMP_WORDS[i]}"
    [[ $w == -* ]] && break
    if __${prefix}_is_group "\${cmdpath:+$cmdpath }$w"; then cmdpath="\${cmdpath:+$cmdpath }$w"; else break; fi
  done
  # -f/--file on the line: services come from that Appfile.
  local __${prefix}_appfile="" fileflags
  fileflags=" $(__${prefix}_file_flags "$cmdpath") "
  for (( i = 1; i < COMP_CWORD - 1; i++ )); do
    [[ $fileflags == *" \${COMP_WORDS[i]} "* ]] && __${prefix}_appfile="\${COMP_WORDS[i+1]}"
  done
  COMPREPLY=()
  if __${prefix}_is_command "$cmdpath"; then
    local kind
    kind="$(__${prefix}_flag_value "$cmdpath" "$prev")"
    if [[ -n $kind ]]; then __${prefix}_values "$kind" "$cur"; return; fi
    if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$(__${prefix}_flags "$cmdpath")" -- "$cur")); return; fi
    __${prefix}_values "$(__${prefix}_args "$cmdpath")" "$cur"
    return
  fi
  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "--help --version" -- "$cur")); return; fi
  COMPREPLY=($(compgen -W "$(__${prefix}_subcommands "$cmdpath")" -- "$cur"))
}

complete -F _${prefix}_complete ${spec.bin}
`;
}

function zshScript(spec: CompletionSpec): string {
  const prefix = fnName(spec.bin);
  const esc = (s: string) => s.replace(/:/g, '\\:');
  const described = (items: { name: string; summary: string }[]) => items.map((i) => sq(`${esc(i.name)}:${i.summary}`)).join(' ');
  const flags = spec.commands
    .map((c) => {
      const items = c.flags.flatMap((flag) => flagWords(flag).map((w) => ({ name: w, summary: w.startsWith('--no-') ? `do not: ${flag.summary}` : flag.summary })));
      return `    ${sq(c.words.join(' '))}) reply=(${described(items)}) ;;`;
    })
    .join('\n');
  const sub = groups(spec)
    .filter((g) => !spec.commands.some((c) => c.words.join(' ') === g.join(' ')))
    .map((g) => `    ${sq(g.join(' '))}) reply=(${described(children(spec, g))}) ;;`)
    .join('\n');
  return `#compdef ${spec.bin}
# zsh completion for ${spec.bin}, generated by \`${spec.bin} completion zsh\`.
# Load it with:  source <(${spec.bin} completion zsh)   (after compinit)
# or save it as _${spec.bin} in a folder of your $fpath.
${caseTables(spec, prefix)}
# Flags of command $1, as name:description.
__${prefix}_described_flags() {
  case "$1" in
${flags}
  esac
}

# Subcommands of topic $1, as name:description.
__${prefix}_described_subcommands() {
  case "$1" in
${sub}
  esac
}

__${prefix}_values() {
  local kind="$1" appfile="$2"
  case "$kind" in
    files) _files ;;
    dirs) _files -/ ;;
    words:*) compadd -- \${=kind#words:} ;;
    dynamic:*)
      local -a cands extra
      local line
      [[ -n $appfile ]] && extra=(--file "$appfile")
      # NAME<TAB>DESCRIPTION → NAME:DESCRIPTION, with colons in NAME escaped for _describe.
      for line in \${(f)"$(\${words[1]} __complete \${kind#dynamic:} --descriptions $extra 2>/dev/null)"}; do
        cands+=("\${\${line%%$'\\t'*}//:/\\\\:}:\${line#*$'\\t'}")
      done
      _describe -t values "\${kind#dynamic:}" cands ;;
  esac
}

_${prefix}() {
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}" cmdpath="" w i appfile="" kind
  local -a reply
  for (( i = 2; i < CURRENT; i++ )); do
    w="\${words[i]}"
    [[ $w == -* ]] && break
    if __${prefix}_is_group "\${cmdpath:+$cmdpath }$w"; then cmdpath="\${cmdpath:+$cmdpath }$w"; else break; fi
  done
  local fileflags=" $(__${prefix}_file_flags "$cmdpath") "
  for (( i = 2; i < CURRENT - 1; i++ )); do
    [[ $fileflags == *" \${words[i]} "* ]] && appfile="\${words[i+1]}"
  done
  if __${prefix}_is_command "$cmdpath"; then
    kind="$(__${prefix}_flag_value "$cmdpath" "$prev")"
    if [[ -n $kind ]]; then __${prefix}_values "$kind" "$appfile"; return; fi
    if [[ $cur == -* ]]; then __${prefix}_described_flags "$cmdpath"; _describe -t flags 'flags' reply; return; fi
    __${prefix}_values "$(__${prefix}_args "$cmdpath")" "$appfile"
    return
  fi
  if [[ $cur == -* ]]; then compadd -- --help --version; return; fi
  __${prefix}_described_subcommands "$cmdpath"
  _describe -t commands 'commands' reply
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _${prefix} "$@"
else
  compdef _${prefix} ${spec.bin}
fi
`;
}

function fishScript(spec: CompletionSpec): string {
  const prefix = fnName(spec.bin);
  const bin = spec.bin;
  const lines: string[] = [];
  const at = (words: readonly string[]) => `-n ${fishQuote(`__${prefix}_at ${fishQuote(words.join(' '))}`)}`;
  const values = (v: ValueKind): string => {
    switch (v.kind) {
      case 'files':
        return '-r -F';
      case 'dirs':
        return `-x -a ${fishQuote('(__fish_complete_directories)')}`;
      case 'words':
        return `-x -a ${fishQuote(v.words.join(' '))}`;
      case 'dynamic':
        return `-x -a ${fishQuote(`(__${prefix}_dynamic ${v.what})`)}`;
      case 'none':
        return '-x';
    }
  };
  for (const g of groups(spec).filter((g) => !spec.commands.some((c) => c.words.join(' ') === g.join(' ')))) {
    for (const c of children(spec, g)) lines.push(`complete -c ${bin} ${at(g)} -a ${fishQuote(c.name)} -d ${fishQuote(c.summary)}`);
  }
  for (const c of spec.commands) {
    for (const flag of c.flags) {
      const short = flag.char ? ` -s ${flag.char}` : '';
      const value = flag.value ? ` ${values(flag.value)}` : '';
      lines.push(`complete -c ${bin} ${at(c.words)}${short} -l ${flag.name}${value} -d ${fishQuote(flag.summary)}`);
      if (flag.negatable) lines.push(`complete -c ${bin} ${at(c.words)} -l no-${flag.name} -d ${fishQuote(`do not: ${flag.summary}`)}`);
    }
    if (c.args.kind === 'files') lines.push(`complete -c ${bin} ${at(c.words)} -F`);
    else if (c.args.kind !== 'none') lines.push(`complete -c ${bin} ${at(c.words)} ${values(c.args).replace(/^-x /, '')}`);
  }
  const groupCases = groups(spec)
    .filter((g) => g.length > 0)
    .map((g) => fishQuote(g.join(' ')))
    .join(' ');
  const fishFileFlags = spec.commands
    .filter((c) => appfileFlag(c))
    .map((c) => `        case ${fishQuote(c.words.join(' '))}\n            printf '%s\\n' ${flagWords(appfileFlag(c)!).join(' ')}`)
    .join('\n');
  return `# fish completion for ${bin}, generated by \`${bin} completion fish\`.
# Load it with:  ${bin} completion fish | source
# or save it as ~/.config/fish/completions/${bin}.fish

# Is $argv[1] a command or a topic?
function __${prefix}_is_group
    contains -- $argv[1] ${groupCases}
end

# The command path on the line so far (the longest run of words naming a topic or command).
function __${prefix}_path
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l path
    for w in $tokens
        string match -q -- '-*' $w; and break
        if __${prefix}_is_group (string join ' ' $path $w)
            set path $path $w
        else
            break
        end
    end
    string join ' ' $path
end

# True when the command path on the line is exactly $argv[1].
function __${prefix}_at
    set -l p (__${prefix}_path)
    test "$p" = "$argv[1]"
end

# The flags that name the Appfile, for command $argv[1].
function __${prefix}_file_flags
    switch $argv[1]
${fishFileFlags}
    end
end

# Names vela knows at run time (services, definitions), with descriptions.
function __${prefix}_dynamic
    set -l tokens (commandline -opc)
    set -l extra
    set -l flags (__${prefix}_file_flags (__${prefix}_path))
    for i in (seq 2 (math (count $tokens) - 1))
        contains -- $tokens[$i] $flags; and set extra --file $tokens[(math $i + 1)]
    end
    $tokens[1] __complete $argv[1] --descriptions $extra 2>/dev/null
end

# No file names unless a flag or argument takes them.
complete -c ${bin} -f
${lines.join('\n')}
`;
}

/** `vela __complete` output: one candidate per line, `NAME<TAB>DESCRIPTION` (its first line) with descriptions. */
export function formatCandidates(found: readonly { name: string; description: string }[], opts: { descriptions: boolean }): string {
  const lines = found.map((c) => (opts.descriptions ? `${c.name}\t${c.description.split('\n')[0]}` : c.name));
  return lines.length ? `${lines.join('\n')}\n` : '';
}
