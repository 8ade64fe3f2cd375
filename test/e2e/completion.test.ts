import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { Command, type Option } from '@commander-js/extra-typings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complete } from '../../src/cli/completion.js';
import { Context } from '../../src/cli/context.js';
import { registerCommands } from '../../src/cli/registry.js';
import { binPath } from '../helpers.js';

// DESIGN §8 / issue 7 §7.7: `crmctl completion bash|zsh|fish` completes commands, options and
// option choices, never description text as words, and file names where a command takes a file,
// with nothing but the shell itself (no bash-completion package). Each shell is the real one
// (Debian packages; .ci/run installs them), asking the built binary found on PATH through a
// `crmctl` shim, as a user's shell would.

/** The shell's path, or undefined when it is not installed here. */
function installed(shell: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${shell}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

const shellPaths = {
  bash: installed('bash'),
  zsh: installed('zsh'),
  fish: installed('fish'),
};
type Shell = keyof typeof shellPaths;
const shells = Object.keys(shellPaths) as Shell[];

let root: string;
let work: string;
let env: Record<string, string>;
let storePath: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'crmctl-completion-'));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  // What `npm link` gives a user: a `crmctl` on PATH running this checkout's built binary.
  writeFileSync(
    join(bin, 'crmctl'),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(binPath)} "$@"\n`,
  );
  chmodSync(join(bin, 'crmctl'), 0o755);
  work = join(root, 'work');
  mkdirSync(join(work, 'seeds'), { recursive: true });
  for (const file of ['spam.txt', 'spam list.txt', 'notes.md']) writeFileSync(join(work, file), '');
  const home = join(root, 'home');
  mkdirSync(home);
  storePath = join(root, 'store', 'crm.db');
  env = {
    PATH: `${bin}:/usr/bin:/bin`,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    CRMCTL_DB: storePath,
    TERM: 'xterm',
    LANG: 'C.UTF-8',
  };
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function run(command: string, args: string[]): { stdout: string; stderr: string } {
  const result = spawnSync(command, args, { cwd: work, env, encoding: 'utf8', timeout: 20_000 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} exited ${result.status}: ${result.stderr}\n${result.stdout}`);
  }
  return { stdout: result.stdout, stderr: result.stderr };
}

/** The script `crmctl completion SHELL` prints, saved for a shell to source. */
function scriptFor(shell: Shell): string {
  const file = join(root, `completion.${shell}`);
  if (!existsSync(file)) writeFileSync(file, run('crmctl', ['completion', shell]).stdout);
  return file;
}

/** bash splits words at `=` too (COMP_WORDBREAKS): `--output=js` is `--output`, `=`, `js`. */
function bashWords(line: string): string[] {
  return line.split(' ').flatMap((word) => {
    const equals = word.indexOf('=');
    if (!word.startsWith('--') || equals < 0) return [word];
    const value = word.slice(equals + 1);
    return value === '' ? [word.slice(0, equals), '='] : [word.slice(0, equals), '=', value];
  });
}

/**
 * Plain bash, no rc files (so no bash-completion): sources the script, sets COMP_WORDS and
 * COMP_CWORD as readline would, calls the function `complete -p crmctl` names, reads COMPREPLY.
 */
function bashOffers(line: string): Offer[] {
  const script = `
source "$1" || exit 9
shift
spec=$(complete -p crmctl) || exit 8
function=\${spec#*-F }
function=\${function%% *}
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=\${#COMP_LINE}
"$function" || exit 7
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout, stderr } = run(shellPaths.bash ?? 'bash', [
    '--norc',
    '--noprofile',
    '-c',
    script,
    'bash',
    scriptFor('bash'),
    ...bashWords(line),
  ]);
  expect(stderr).toBe('');
  return stdout
    .split('\n')
    .filter((word) => word !== '')
    .map((word) => ({ word, shown: '' }));
}

// A real interactive zsh in a pseudo-terminal (zsh/zpty) with compinit: the line is typed, TAB
// pressed, and compadd, wrapped, prints every word the completion system adds with what it
// shows for it; the markers are printed from compprefuncs/comppostfuncs, so nothing waits on time.
const zshSetup = `
PROMPT='' RPROMPT=''
# $1: "source" (source <(crmctl completion zsh) after compinit) or "fpath" (saved as _crmctl in
# a folder of $fpath before compinit); $2: the script, or its folder.
[[ $1 == fpath ]] && fpath=("$2" $fpath)
autoload -Uz compinit && compinit -u -D
[[ $1 == source ]] && source "$2"
bindkey '^I' complete-word
bindkey '^M' undefined
zstyle ':completion:*' insert-tab false
__begin() { print -n -- "<<BEGIN-$((1))>>" }
__end() { print -n -- "<<END-$((1))>>"; exit }
compprefuncs=(__begin)
comppostfuncs=(__end)
compadd() {
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd "$@"; return; fi
  local -a __hits __shown
  local __i=\${@[(i)-d]}
  (( __i < $# )) && __shown=("\${(@P)\${@[__i+1]}}")
  builtin compadd -A __hits "$@"
  for __i in {1..$#__hits}; do
    print -rn -- "$IPREFIX\${__hits[__i]}"$'\\t'"\${__shown[__i]}"$'\\n'
  done
  builtin compadd "$@"
}
print -- "<<READY-$((1))>>"
`;
const zshCapture = `
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "source \${(q)1} \${(q)2} \${(q)3}"
local line out=''
while zpty -r z line; do [[ $line == *'<<READY-1>>'* ]] && break; done
zpty -w z "$4"$'\\t'
while zpty -r z line; do
  out+=$line
  [[ $out == *'<<END-1>>'* ]] && break
done
out=\${out#*'<<BEGIN-1>>'}
out=\${out%%'<<END-1>>'*}
print -r -- "\${out//$'\\r'/}"
`;

function zshOffers(line: string, install: 'source' | 'fpath' = 'source'): Offer[] {
  const setup = join(root, 'zsh-setup.zsh');
  const capture = join(root, 'zsh-capture.zsh');
  if (!existsSync(capture)) {
    writeFileSync(setup, zshSetup);
    writeFileSync(capture, zshCapture);
    mkdirSync(join(root, 'zfunc'));
    writeFileSync(join(root, 'zfunc', '_crmctl'), run('crmctl', ['completion', 'zsh']).stdout);
  }
  const where = install === 'source' ? scriptFor('zsh') : join(root, 'zfunc');
  const { stdout } = run(shellPaths.zsh ?? 'zsh', ['-f', capture, setup, install, where, line]);
  return stdout
    .split('\n')
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [word = '', shown = ''] = entry.split('\t');
      // zsh quotes the file names it inserts: `spam\ list.txt`.
      return { word: word.replace(/\\(.)/g, '$1'), shown };
    });
}

/** fish answers a completion request itself: `complete -C LINE` prints `word<TAB>description`. */
function fishOffers(line: string): Offer[] {
  const { stdout, stderr } = run(shellPaths.fish ?? 'fish', [
    '--no-config',
    '-c',
    'source $argv[1]; and complete -C $argv[2]',
    scriptFor('fish'),
    line,
  ]);
  expect(stderr).toBe('');
  return stdout
    .split('\n')
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [word = '', shown = ''] = entry.split('\t');
      return { word, shown };
    });
}

interface Offer {
  word: string;
  /** What the shell shows beside the word (its description), where it shows one. */
  shown: string;
}

const offersOf: Record<Shell, (line: string) => Offer[]> = {
  bash: bashOffers,
  zsh: zshOffers,
  fish: fishOffers,
};

/** The words offered, as a sorted set; a directory's trailing `/` dropped (fish adds one). */
function wordsOf(offers: Offer[]): string[] {
  return [...new Set(offers.map((o) => o.word.replace(/\/$/, '')))].sort();
}

const outputFormats = ['csv', 'json', 'jsonl', 'table', 'tsv'];
const filesHere = ['notes.md', 'seeds', 'spam list.txt', 'spam.txt'];

// The line typed before TAB, and exactly the words every shell must offer (fish and zsh match
// the words to what is typed themselves; bash is given only the matching ones).
const cases: { line: string; words: string[]; matching?: string[] }[] = [
  { line: 'crmctl exc', words: ['exceptions'] },
  { line: 'crmctl exceptions list -o ', words: outputFormats },
  { line: 'crmctl exceptions list --output ', words: outputFormats },
  {
    line: 'crmctl exceptions list --output=js',
    words: ['--output=json', '--output=jsonl'],
    // bash replaces only what follows the `=`.
    matching: ['json', 'jsonl'],
  },
  {
    line: 'crmctl exceptions list --source ',
    words: ['import', 'item', 'manual', 'rule', 'telephony'],
  },
  { line: 'crmctl exceptions list --com', words: ['--comment'] },
  { line: 'crmctl completion ', words: ['bash', 'fish', 'zsh'] },
  { line: 'crmctl help exceptions im', words: ['import'] },
  { line: 'crmctl exceptions import sp', words: ['spam list.txt', 'spam.txt'] },
  { line: 'crmctl exceptions import ', words: filesHere },
  { line: 'crmctl exceptions import --rejects ', words: filesHere },
  {
    line: 'crmctl exceptions import --rejects=sp',
    words: ['--rejects=spam list.txt', '--rejects=spam.txt'],
    matching: ['spam list.txt', 'spam.txt'],
  },
  { line: 'crmctl exceptions export no', words: ['notes.md'] },
  { line: 'crmctl exceptions remove --file se', words: ['seeds'] },
  { line: 'crmctl db backup ', words: filesHere },
  { line: 'crmctl --db sp', words: ['spam list.txt', 'spam.txt'] },
  // A value that is not a file: nothing at all, not the files of the folder.
  { line: 'crmctl item add --title ', words: [] },
  { line: 'crmctl exceptions check ', words: [] },
];

describe.each(shells)('completion in %s', (shell) => {
  const absent = shellPaths[shell] === undefined;
  const why = `${shell} is not installed here (.ci/run installs it: apt-get install -y ${shell})`;

  it.for(cases)('$line', ({ line, words, matching }, ctx) => {
    ctx.skip(absent, why);
    const expected = shell === 'bash' && matching ? matching : words;
    expect(wordsOf(offersOf[shell](line))).toEqual([...expected].sort());
  });

  it('offers the commands of a group as words only, never their descriptions', (ctx) => {
    ctx.skip(absent, why);
    const offers = offersOf[shell]('crmctl exceptions ');
    expect(wordsOf(offers)).toEqual(
      ['add', 'batches', 'check', 'export', 'import', 'list', 'remove', 'undo-import'].sort(),
    );
    // zsh and fish show each description beside its word.
    if (shell !== 'bash') {
      const list = offers.find((o) => o.word === 'list');
      expect(list?.shown).toMatch(/list/i);
      expect(list?.shown.length).toBeGreaterThan('list'.length + 5);
    }
  });

  it('offers every top-level command and, after a dash, the options with the global ones', (ctx) => {
    ctx.skip(absent, why);
    const commands = wordsOf(offersOf[shell]('crmctl '));
    expect(commands).toEqual(expect.arrayContaining(['completion', 'db', 'exceptions', 'item']));
    expect(commands).not.toContain('__complete');
    for (const word of commands) expect(word).toMatch(/^[a-z][a-z-]*$/);
    const options = wordsOf(offersOf[shell]('crmctl exceptions import --'));
    expect(options).toEqual(
      expect.arrayContaining(['--rejects', '--dry-run', '--format', '--db', '--help']),
    );
    for (const word of options) expect(word).toMatch(/^--[a-z][a-z-]*$/);
  });

  it('never opens or creates the store', (ctx) => {
    ctx.skip(absent, why);
    offersOf[shell]('crmctl exceptions list --');
    offersOf[shell]('crmctl db backup ');
    expect(existsSync(storePath)).toBe(false);
    expect(existsSync(join(env.HOME ?? '', 'data', 'crmctl'))).toBe(false);
    expect(readdirSync(work).sort()).toEqual(filesHere);
  });
});

describe('completion in zsh, installed as _crmctl in $fpath (autoloaded by compinit)', () => {
  it('completes from the first TAB', (ctx) => {
    ctx.skip(shellPaths.zsh === undefined, 'zsh is not installed here (.ci/run installs it)');
    expect(wordsOf(zshOffers('crmctl exc', 'fpath'))).toEqual(['exceptions']);
    expect(wordsOf(zshOffers('crmctl db backup sp', 'fpath'))).toEqual([
      'spam list.txt',
      'spam.txt',
    ]);
  });
});

// readline itself, for what a COMP_WORDS harness can only assume: where it breaks words (`=`),
// what it replaces, how it quotes file names. An interactive bash in a pseudo-terminal (driven
// by zsh's zpty) gets the line, TAB, then a key bound to print the line as it now stands.
const bashRc = `
PS1='$ '
source "$CRMCTL_COMPLETION_SCRIPT"
bind -x '"\\C-t": printf "<<%s>>\\n" "$READLINE_LINE"'
echo "READY-$((1))"
`;
const readlineDriver = `
zmodload zsh/zpty || exit 3
zpty b bash --rcfile "$1" --noprofile -i
local line out=''
while zpty -r b line; do [[ $line == *READY-1* ]] && break; done
zpty -w -n b "$2"$'\\t\\x14'
while zpty -r b line; do
  out+=$line
  [[ $out == *'<<'*'>>'* ]] && break
done
out=\${out##*'<<'}
print -r -- "\${out%%'>>'*}"
`;

function afterTab(line: string): string {
  const rc = join(root, 'bashrc');
  const driver = join(root, 'readline.zsh');
  if (!existsSync(driver)) {
    writeFileSync(rc, bashRc);
    writeFileSync(driver, readlineDriver);
  }
  const script = scriptFor('bash');
  const result = spawnSync(shellPaths.zsh ?? 'zsh', ['-f', driver, rc, line], {
    cwd: work,
    env: { ...env, CRMCTL_COMPLETION_SCRIPT: script },
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (result.error) throw result.error;
  return result.stdout.replace(/\r?\n$/, '');
}

describe('completion in bash, through readline', () => {
  it.for([
    ['crmctl exc', 'crmctl exceptions '],
    ['crmctl exceptions list -o c', 'crmctl exceptions list -o csv '],
    ['crmctl exceptions list --output=ts', 'crmctl exceptions list --output=tsv '],
    ['crmctl exceptions list --output=js', 'crmctl exceptions list --output=json'],
    ['crmctl db backup no', 'crmctl db backup notes.md '],
    ['crmctl exceptions import spam\\ l', 'crmctl exceptions import spam\\ list.txt '],
    ['crmctl exceptions import "spam l', 'crmctl exceptions import "spam list.txt" '],
    [
      'crmctl exceptions import --rejects=spam\\ l',
      'crmctl exceptions import --rejects=spam\\ list.txt ',
    ],
    ['crmctl exceptions import se', 'crmctl exceptions import seeds/'],
    ['crmctl item add --title ', 'crmctl item add --title '],
  ])('%s⇥ reads %s', ([typed, expected], ctx) => {
    ctx.skip(
      shellPaths.bash === undefined || shellPaths.zsh === undefined,
      'needs bash, and zsh to drive it (.ci/run installs both)',
    );
    expect(afterTab(typed ?? '')).toBe(expected);
  });
});

describe('the completion callback, over the whole command tree', () => {
  // Nothing is listed by hand: a command, option or choice added later is checked here too.
  async function programTree(): Promise<Command> {
    const program = new Command('crmctl');
    const io = {
      stdin: Readable.from([]),
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      stdinIsTTY: false,
      stdoutIsTTY: false,
      stderrIsTTY: false,
      columns: 100,
    };
    await registerCommands(program, new Context(io, {}), []);
    return program;
  }

  function commandsOf(command: Command, path: string[] = []): [string[], Command][] {
    return (command.commands as Command[])
      .filter((c) => c.name() !== '__complete')
      .flatMap((c) => [
        [[...path, c.name()], c] as [string[], Command],
        ...commandsOf(c, [...path, c.name()]),
      ]);
  }

  it('completes every option value from its choices, or as a file when named like one', async () => {
    const program = await programTree();
    const problems: string[] = [];
    let checked = 0;
    for (const [path, command] of commandsOf(program)) {
      for (const option of command.options as Option[]) {
        if (!option.long || !(option.required || option.optional)) continue;
        const placeholder = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? '';
        const reply = complete(program, [...path, option.long, ''], 'bash');
        const expected = /(^|-)(file|path)$/.test(placeholder)
          ? { kind: 'files', prefix: '' }
          : {
              kind: 'words',
              candidates: (option.argChoices ?? []).map((word) => ({ word, description: '' })),
            };
        checked++;
        if (JSON.stringify(reply) !== JSON.stringify(expected)) {
          problems.push(`${path.join(' ')} ${option.long}: ${JSON.stringify(reply)}`);
        }
      }
      const subcommands = (command.commands as Command[]).map((c) => c.name()).sort();
      if (subcommands.length > 0) {
        const reply = complete(program, [...path, ''], 'bash');
        const words = reply.kind === 'words' ? reply.candidates.map((c) => c.word).sort() : [];
        if (JSON.stringify(words) !== JSON.stringify(subcommands)) {
          problems.push(`${path.join(' ')}: ${JSON.stringify(words)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('never fails on words it does not know', async () => {
    const program = await programTree();
    for (const words of [
      ['nosuch', ''],
      ['item', 'nosuch', '--x', ''],
      ['--', '--', ''],
      ['exceptions', 'import', '--rejects'],
      ['=', '=', ''],
      ['constructor', '__proto__', ''],
      [''],
      [],
    ]) {
      for (const shell of ['bash', 'zsh', 'fish'] as const) {
        expect(() => complete(program, words, shell)).not.toThrow();
      }
    }
  });
});

describe('crmctl completion', () => {
  it('refuses a shell it has no script for, listing the ones it has', () => {
    const result = spawnSync(process.execPath, [binPath, 'completion', 'tcsh'], {
      env,
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/bash, zsh, fish|bash.*zsh.*fish/);
  });

  it('prints bash that needs no bash-completion package', () => {
    const script = run('crmctl', ['completion', 'bash']).stdout;
    expect(script).toMatch(/^complete -F \S+ crmctl$/m);
    expect(script).not.toMatch(/_init_completion|_get_comp_words_by_ref|__ltrim_colon/);
  });
});
