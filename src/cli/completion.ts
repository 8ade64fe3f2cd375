import { Argument, type Command, type Option } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';
import { examples } from './parse.js';
import type { CommandModule } from './registry.js';

/**
 * Shell completion (DESIGN §8): `crmctl completion bash|zsh|fish` prints a small script that asks
 * the hidden `crmctl __complete SHELL -- WORD…` what may come next. The answer is read from the
 * commander tree, so every command, option and `.choices()` list completes without being listed
 * here, and an argument or option value named like a path (`<file>`, `<path>`, `[file]`,
 * `<rejects-file>`) completes file names through the shell's own file completion. The callback
 * never opens the store.
 *
 * The reply, on stdout: a first line `words`, or `files<TAB>PREFIX` (complete a path after PREFIX,
 * the part of the current word before it, e.g. `--rejects=`); then, for `words`, one candidate a
 * line: for bash only the words that start with the current one, for zsh and fish `word<TAB>
 * description` (the shells match and show the description beside the word, never as one).
 */

export const shells = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof shells)[number];

export interface Candidate {
  word: string;
  description: string;
}

export type Reply = { kind: 'words'; candidates: Candidate[] } | { kind: 'files'; prefix: string };

export const commands: CommandModule['commands'] = {
  completion(program, ctx) {
    program
      .command('completion')
      .description(
        'Print a shell completion script for bash, zsh or fish: commands, options, their choices, ' +
          'and file names where a command takes a file. Plain bash is enough (no bash-completion package).',
      )
      .addArgument(new Argument('<shell>', 'the shell').choices(shells))
      .addHelpText(
        'after',
        `
Install (crmctl must be on the PATH: npm link, see the README):
  bash  crmctl completion bash > ~/.crmctl.bash
        and add the line ". ~/.crmctl.bash" to ~/.bashrc
  zsh   crmctl completion zsh > ~/.zfunc/_crmctl
        and put "fpath=(~/.zfunc $fpath)" before compinit in ~/.zshrc
  fish  crmctl completion fish > ~/.config/fish/completions/crmctl.fish
${examples(
  'source <(crmctl completion bash)',
  'crmctl completion zsh > ~/.zfunc/_crmctl',
  'crmctl completion fish > ~/.config/fish/completions/crmctl.fish',
)}`,
      )
      .action((shell) => {
        ctx.io.stdout.write(scripts[shell as Shell]);
      });

    program
      .command('__complete', { hidden: true })
      .description('What may come next on a crmctl command line (called by the completion scripts)')
      .argument('<shell>', 'bash, zsh or fish')
      .argument('[words...]', 'the words after crmctl, the one being completed last')
      .action((shell, words) => {
        if (!(shells as readonly string[]).includes(shell)) {
          throw new UsageError(`__complete takes bash, zsh or fish, not "${shell}"`);
        }
        ctx.io.stdout.write(formatReply(complete(program, words, shell as Shell)));
      });
  },
};

/** What may stand in place of the last word of `words` (the words after `crmctl`). */
export function complete(program: Command, words: readonly string[], shell: Shell): Reply {
  // bash splits `--output=json` into `--output`, `=`, `json`: put such options back together.
  const line = shell === 'bash' ? joinAtEquals(words) : [...words];
  const current = line.pop() ?? '';
  const shellWord = words.at(-1) ?? '';
  const state = walk(program, line);
  if (state === undefined) return noWords;
  const { command } = state;

  /** The reply for a value of `option`, typed so far as `value` at the end of the current word. */
  const valueReply = (option: Option, value: string): Reply => {
    // bash replaces only the text after a `=`, the other shells the whole word.
    const prefix =
      shell === 'bash' && shellWord === '='
        ? ''
        : shellWord.slice(0, shellWord.length - value.length);
    if (isPathName(valueName(option))) return { kind: 'files', prefix };
    const choices = option.argChoices ?? [];
    return matching(
      shell,
      prefix,
      value,
      choices.map((choice) => ({ word: choice, description: '' })),
    );
  };

  if (state.pendingOption) return valueReply(state.pendingOption, current);
  if (state.helpPath) {
    return matching(shell, '', current, subcommandCandidates(state.helpPath));
  }
  if (!state.afterDashDash && current.startsWith('-') && current !== '-') {
    const attached = attachedValue(command, current);
    if (attached) return valueReply(attached.option, attached.value);
  }
  if (!state.afterDashDash && current.startsWith('-')) {
    return matching(shell, '', current, optionCandidates(command, current));
  }
  const subcommands = subcommandCandidates(command);
  if (subcommands.length > 0 && state.operands === 0) {
    return matching(shell, '', current, subcommands);
  }
  const argument = argumentAt(command, state.operands);
  if (argument === undefined) {
    // Nothing more to give but options.
    return state.afterDashDash
      ? noWords
      : matching(shell, '', current, optionCandidates(command, ''));
  }
  if (isPathName(argument.name())) return { kind: 'files', prefix: '' };
  const choices = argument.argChoices ?? [];
  return matching(
    shell,
    '',
    current,
    choices.map((choice) => ({ word: choice, description: '' })),
  );
}

/** The reply as the completion scripts read it. */
export function formatReply(reply: Reply): string {
  if (reply.kind === 'files') return `files\t${reply.prefix}\n`;
  const lines = reply.candidates.map((c) =>
    c.description === '' ? c.word : `${c.word}\t${c.description}`,
  );
  return `${['words', ...lines].join('\n')}\n`;
}

const noWords: Reply = { kind: 'words', candidates: [] };

interface WalkState {
  command: Command;
  /** Positional arguments given to `command` so far. */
  operands: number;
  /** An option still waiting for its value: the current word is that value. */
  pendingOption: Option | undefined;
  afterDashDash: boolean;
  /** Under `crmctl help …` the words name a command: the one named so far. */
  helpPath: Command | undefined;
}

/** Follows the words before the current one down the command tree; undefined when lost. */
function walk(program: Command, words: readonly string[]): WalkState | undefined {
  const state: WalkState = {
    command: program,
    operands: 0,
    pendingOption: undefined,
    afterDashDash: false,
    helpPath: undefined,
  };
  let optionalValueOf: Option | undefined;
  for (const word of words) {
    if (state.pendingOption) {
      state.pendingOption = undefined;
      continue;
    }
    if (optionalValueOf) {
      optionalValueOf = undefined;
      if (!word.startsWith('-')) continue;
    }
    if (!state.afterDashDash && word === '--') {
      state.afterDashDash = true;
      continue;
    }
    if (!state.afterDashDash && word.startsWith('-') && word !== '-') {
      const option = optionNamed(state.command, word);
      if (option?.required) state.pendingOption = option;
      else if (option?.optional) optionalValueOf = option;
      continue;
    }
    if (state.helpPath) {
      const next = subcommandsOf(state.helpPath).find((c) => isNamed(c, word));
      if (!next) return undefined;
      state.helpPath = next;
      continue;
    }
    const subcommands = subcommandsOf(state.command);
    if (!state.afterDashDash && subcommands.length > 0 && state.operands === 0) {
      const next = subcommands.find((c) => isNamed(c, word));
      if (!next) return undefined;
      state.command = next;
      // `crmctl help item move` names a command: complete command names after it.
      if (next.name() === 'help' && next.parent === program) state.helpPath = program;
      continue;
    }
    state.operands++;
  }
  if (optionalValueOf) {
    // `--opt [value]`: its choices, if it has any, else whatever would come anyway.
    if ((optionalValueOf.argChoices ?? []).length > 0) state.pendingOption = optionalValueOf;
  }
  return state;
}

/** The subcommands a person may type (not hidden ones, nor commander's implicit `help`). */
function subcommandsOf(command: Command): Command[] {
  const visible = new Set(command.createHelp().visibleCommands(command));
  return (command.commands as Command[]).filter((c) => visible.has(c));
}

function isNamed(command: Command, word: string): boolean {
  return command.name() === word || command.aliases().includes(word);
}

function subcommandCandidates(command: Command): Candidate[] {
  return subcommandsOf(command).map((c) => ({
    word: c.name(),
    description: oneLine(c.summary() || c.description()),
  }));
}

/** The options in force at `command`: its own (with --help) and those of the commands above it. */
function optionsOf(command: Command): Option[] {
  const options = command.createHelp().visibleOptions(command) as Option[];
  for (let above = command.parent; above; above = above.parent) {
    options.push(...(above.options as Option[]).filter((o) => !o.hidden && o.long !== '--version'));
  }
  return options;
}

function optionNamed(command: Command, word: string): Option | undefined {
  return optionsOf(command).find((o) => o.long === word || o.short === word);
}

function optionCandidates(command: Command, current: string): Candidate[] {
  // Long names; short ones only once the word is a short option being typed (`-o`).
  const short = /^-[^-]/.test(current);
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const option of optionsOf(command)) {
    for (const flag of [option.long, short ? option.short : undefined]) {
      if (!flag || seen.has(flag)) continue;
      seen.add(flag);
      candidates.push({ word: flag, description: oneLine(option.description) });
    }
  }
  return candidates;
}

/** `--output=js` or `-ojs`: the option and the value typed so far. */
function attachedValue(
  command: Command,
  word: string,
): { option: Option; value: string } | undefined {
  const equals = word.indexOf('=');
  if (word.startsWith('--') && equals > 0) {
    const option = optionNamed(command, word.slice(0, equals));
    if (option && (option.required || option.optional)) {
      return { option, value: word.slice(equals + 1) };
    }
    return undefined;
  }
  if (!word.startsWith('--') && word.length > 2) {
    const option = optionNamed(command, word.slice(0, 2));
    if (option && (option.required || option.optional)) return { option, value: word.slice(2) };
  }
  return undefined;
}

function argumentAt(command: Command, index: number): Argument | undefined {
  const args = command.registeredArguments as Argument[];
  const last = args.at(-1);
  if (index >= args.length) return last?.variadic ? last : undefined;
  return args[index];
}

/** The value placeholder of an option: `file` of `--rejects <file>`. */
function valueName(option: Option): string {
  return /[<[]([^>\]]+?)(?:\.\.\.)?[>\]]/.exec(option.flags)?.[1] ?? '';
}

/** A value named `file`, `path`, `dir`, … (or ending so: `rejects-file`) is a path. */
function isPathName(name: string): boolean {
  return /(?:^|[-_])(?:file|path|dir|directory|folder)s?$/i.test(name);
}

/** Candidates for the current word: bash gets only the matching words, with `prefix` before. */
function matching(shell: Shell, prefix: string, typed: string, candidates: Candidate[]): Reply {
  if (shell !== 'bash') {
    return {
      kind: 'words',
      candidates: candidates.map((c) => ({ word: prefix + c.word, description: c.description })),
    };
  }
  return {
    kind: 'words',
    candidates: candidates
      .filter((c) => c.word.startsWith(typed))
      .map((c) => ({ word: prefix + c.word, description: '' })),
  };
}

/** bash's COMP_WORDS break at `=`: `--db`, `=`, `x.db` is the one word `--db=x.db`. */
function joinAtEquals(words: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const previous = joined.at(-1);
    if (word === '=' && previous?.startsWith('--') && !previous.includes('=')) {
      const next = i + 1 < words.length ? (words[++i] ?? '') : '';
      joined[joined.length - 1] = `${previous}=${next}`;
    } else {
      joined.push(word);
    }
  }
  return joined;
}

/** A description as one line of plain text: no tabs, line breaks or control characters. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
}

const bashScript = `# crmctl completion for bash. Plain bash (no bash-completion package):
#   crmctl completion bash > ~/.crmctl.bash, and add ". ~/.crmctl.bash" to ~/.bashrc
# It asks \`crmctl __complete\` (the crmctl on your PATH) what may come next.
_crmctl_complete() {
    local cur=\${COMP_WORDS[COMP_CWORD]} kind= prefix= line
    local -a words=()
    COMPREPLY=()
    {
        IFS=$'\\t' read -r kind prefix
        while IFS= read -r line; do words+=("$line"); done
    } < <(crmctl __complete bash -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
    case $kind in
    files)
        local path=\${cur#"$prefix"}
        [[ $cur == "=" ]] && path=
        compopt -o filenames 2>/dev/null
        while IFS= read -r line; do
            COMPREPLY+=("$prefix$line")
        done < <(compgen -f -- "$path")
        ;;
    words)
        COMPREPLY=("\${words[@]}")
        ;;
    esac
    return 0
}
complete -F _crmctl_complete crmctl
`;

const zshScript = `#compdef crmctl
# crmctl completion for zsh: save as _crmctl in a folder of $fpath (before compinit runs), or
# source <(crmctl completion zsh) after compinit. It asks \`crmctl __complete\` (the crmctl on
# your PATH) what may come next.
_crmctl() {
    local -a reply candidates
    local head line word description
    reply=("\${(@f)$(crmctl __complete zsh -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
    head=\${reply[1]}
    if [[ $head == files$'\\t'* ]]; then
        local prefix=\${head#files$'\\t'}
        [[ -n $prefix ]] && compset -P "\${(b)prefix}"
        _files
        return
    fi
    [[ $head == words ]] || return 1
    for line in "\${(@)reply[2,-1]}"; do
        [[ -n $line ]] || continue
        word=\${line%%$'\\t'*}
        description=\${line#*$'\\t'}
        if [[ $description == "$line" ]]; then
            candidates+=("\${word//:/\\\\:}")
        else
            candidates+=("\${word//:/\\\\:}:$description")
        fi
    done
    (( \${#candidates} )) && _describe -t crmctl crmctl candidates
}
if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
    _crmctl "$@"
else
    compdef _crmctl crmctl
fi
`;

const fishScript = `# crmctl completion for fish: crmctl completion fish > ~/.config/fish/completions/crmctl.fish
# It asks \`crmctl __complete\` (the crmctl on your PATH) what may come next.
function __crmctl_complete
    set -l words (commandline -opc)
    set -l current (commandline -ct)
    set -l reply (crmctl __complete fish -- $words[2..-1] "$current" 2>/dev/null)
    or return
    set -l head (string split -m 1 \\t -- "$reply[1]")
    switch "$head[1]"
        case files
            # fish's own file completion (quotes, escapes, ~) of the path after the prefix
            set -l prefix "$head[2]"
            set -l path (string sub -s (math (string length -- "$prefix") + 1) -- "$current")
            for line in (complete -C "__crmctl_no_such_command $path")
                printf '%s%s\\n' "$prefix" "$line"
            end
        case words
            printf '%s\\n' $reply[2..-1]
    end
end
complete -c crmctl -f -a '(__crmctl_complete)'
`;

const scripts: Record<Shell, string> = { bash: bashScript, zsh: zshScript, fish: fishScript };
