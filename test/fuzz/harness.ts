import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { Argument, Command, Option } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { Context } from '../../src/cli/context.js';
import type { IOStreams } from '../../src/cli/io.js';
import { fullProgram, run } from '../../src/cli/main.js';
import type { Prompter } from '../../src/cli/prompter.js';
import { ExitCode } from '../../src/errors.js';
import { tempDir } from '../helpers.js';

/**
 * Issue 7 §3: every command of the commander tree, every option and argument, run in-process
 * with hostile values against a small seeded store. Whatever the input, crmctl answers with a
 * clear error or does the work: never exit 70 (a bug), never a stack trace, never exit 1 outside
 * the `check` commands.
 *
 * The cases come from a seeded PRNG: a systematic part (each slot of each command gets hostile
 * values while the others stay plausible) and a random part (random commands, random options,
 * hostile and plausible values mixed, now and then hostile global options and environment).
 * CRMCTL_FUZZ_RUNS sets the number of random cases (default 3000), CRMCTL_FUZZ_SEED the seed.
 */

/** One command of the tree, as the fuzzer sees it. */
export interface Leaf {
  path: string[];
  args: { name: string; required: boolean; variadic: boolean; choices?: readonly string[] }[];
  options: Slot[];
}

/** One option: its flag, whether it takes a value, its choices. */
export interface Slot {
  flag: string;
  name: string;
  takesValue: boolean;
  mandatory: boolean;
  choices?: readonly string[];
}

export interface FuzzCase {
  argv: string[];
  env: Record<string, string>;
  stdin: string;
  /** Run as on a terminal: tables, colours, progress bars, and prompts (answered by declining). */
  tty: boolean;
  leaf: Leaf;
}

export interface Failure {
  signature: string;
  command: string;
  tty: boolean;
  argv: string[];
  env: Record<string, string>;
  exitCode: number;
  stderr: string;
}

const megabyte = 'a'.repeat(1 << 20);

/** Values no command should choke on, by kind; every slot gets some of each kind. */
export const hostile = {
  /** Object.prototype's names: lookups in plain objects find them. */
  builtin: ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'],
  /** Long enough to find limits: SQLite's LIKE patterns, file names, regular expressions. */
  long: [
    megabyte,
    '7'.repeat(60_000),
    'é'.repeat(60_000),
    '%_'.repeat(30_000),
    '😀'.repeat(30_000),
  ],
  structure: [
    '',
    ' ',
    '\t',
    '\n',
    '\0',
    'a\0b',
    '\x1b[2J\x1b[H',
    '\x1b]0;pwned\x07',
    '\x1b[31mred\x1b[0m',
    '\u202eevil',
    '\u2066isolate\u2069',
    '\u200b',
    '\u200b\u200c\u200d',
    '\ufeff',
    '\ud800',
    '😀',
    '%',
    '_',
    '\\',
    "'; DROP TABLE items; --",
    '-',
    '--',
    '-x',
    '--nosuch',
    ',',
    ',,,',
    'a,,b',
    '__proto__=x',
    'toString=x',
    'constructor=',
    '=x',
    'New:success',
    ':failure',
  ],
  number: [
    '-0',
    '0',
    '-1',
    '1',
    '00',
    '2147483648',
    '2147484',
    '5000000',
    '86401',
    '9007199254740993',
    '99999999999999999999',
    '-99999999999999999999',
    '1e400',
    '-1e400',
    '1e-400',
    '0.00001',
    'NaN',
    'Infinity',
    '0x10',
  ],
  time: [
    '0000-01-01',
    '0000-01-01T00:00:00Z',
    '10000-01-01',
    '9999-12-31T23:59:59-23:59',
    '1969-12-31T23:59:59Z',
    '2026-02-30',
    '2026-13-01T25:61:61Z',
    '99999999999999999d',
    '-99999999999999999d',
    '99999999999999999w',
    '36501d',
    '0s',
  ],
  identity: ['none', 'all', 'system', 'SYSTEM', 'root', 'ghost', 'admin'],
  // The fuzz runs in a directory of its own (as root, perhaps): no device files.
  path: ['/nonexistent/dir/file', '.', '..', 'a/b', 'crm.db'],
} as const;

export const hostileValues: readonly string[] = Object.values(hostile).flat();

/** The kind of hostile values that matter most to a slot, by what it is called. */
function kindOf(name: string): keyof typeof hostile {
  const n = name.toLowerCase();
  if (/since|until|time|now/.test(n)) return 'time';
  if (/^(id|ids|item|contact|company|batch|op|limit|offset|n|amount|wait|seconds)$/.test(n))
    return 'number';
  if (/login|^as$|responsible|actor|supervisor|added-by|role/.test(n)) return 'identity';
  if (/file|rejects|path/.test(n)) return 'path';
  return 'structure';
}

const osLogin = userInfo().username;

/** Values that get a command past its first checks, by what the slot is called. */
function plausibleValues(name: string, choices?: readonly string[]): readonly string[] {
  if (choices) return choices;
  const n = name.toLowerCase();
  if (/^(id|ids|item|contact|company|batch|op)$/.test(n)) return ['1', '2', '3', '4', '999'];
  if (/login|^as$|responsible|actor|supervisor|added-by/.test(n))
    return [osLogin, 'emma', 'dora', 'ghost', 'toString'];
  if (/from-pipeline|^pipeline$|move-items-to/.test(n))
    return ['Default', 'Shop', '5', 'New', '__proto__'];
  if (/stage|after/.test(n)) return ['New', 'Won', 'Lost', 'Measure', 'Spam', '10', 'toString'];
  if (n === 'type') return ['deal', 'lead', 'delivery', 'phone', 'email', 'constructor'];
  if (n === 'role') return ['employee', 'admin', 'desk', 'constructor'];
  if (n === 'key') return ['currency', 'default-country'];
  if (n === 'value') return ['EUR', 'GB', 'anna@example.com', '+44 20 7946 0958', ''];
  if (n === 'values') return ['offers@spam.example', '+44 20 7946 0958;caller', 'x@y.example'];
  if (/phone/.test(n)) return ['+44 20 7946 0958', '020 7946 0958', '+1 202 555 0143'];
  if (/email|address|from/.test(n)) return ['anna@example.com', 'offers@spam.example'];
  if (/country/.test(n)) return ['GB', 'US', 'ZZ'];
  if (/currency|code/.test(n)) return ['EUR', 'USD', 'GB'];
  if (/file|rejects/.test(n)) return ['out.txt', 'out.csv', '-', 'backup.db'];
  if (/since|until|time|now/.test(n)) return ['2026-05-01', '7d', '2026-06-01T08:00:00Z'];
  if (/wait/.test(n)) return ['0', '1', '0.5'];
  if (/amount/.test(n)) return ['1200.50', '0', '12'];
  if (/field/.test(n)) return ['deadline=2026-12-01', 'note=x', 'deadline='];
  if (/stages/.test(n)) return ['New,Measure,Won:success,Lost:failure', 'A,B'];
  if (/permissions/.test(n)) return ['items.view', 'items.view,exceptions.view', 'nosuch'];
  if (/fields|names/.test(n)) return ['id,title', 'id', 'nosuch'];
  if (/limit|offset|^n$/.test(n)) return ['1', '10', '0'];
  if (/shell/.test(n)) return ['bash', 'zsh', 'fish'];
  if (/words/.test(n)) return ['item', 'move', 'exit-codes', 'environment'];
  if (/format|output/.test(n)) return ['json', 'csv', 'table'];
  return ['Sofa', 'Anna Smith', 'Hello there', 'Measure'];
}

/** Every command of the program as run() builds it, with all command modules loaded. */
export async function commandLeaves(): Promise<{ leaves: Leaf[]; globals: Slot[] }> {
  const io: IOStreams = {
    stdin: Readable.from([]),
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    stdinIsTTY: false,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    columns: 80,
  };
  const program = (await fullProgram(new Context(io, {}))) as unknown as Command;
  const leaves: Leaf[] = [];
  const walk = (command: Command, path: string[]) => {
    for (const sub of command.commands as Command[]) {
      const subPath = [...path, sub.name()];
      leaves.push({
        path: subPath,
        args: (sub.registeredArguments as readonly Argument[]).map((a) => ({
          name: a.name(),
          required: a.required,
          variadic: a.variadic,
          choices: a.argChoices,
        })),
        options: (sub.options as readonly Option[]).map(slotOf),
      });
      walk(sub, subPath);
    }
  };
  walk(program, []);
  const globals = (program.options as readonly Option[])
    .map(slotOf)
    .filter((s) => s.flag !== '--version' && s.flag !== '--db');
  return { leaves, globals };
}

function slotOf(option: Option): Slot {
  const flag = option.long ?? option.short ?? option.name();
  return {
    flag,
    name: option.name(),
    takesValue: option.required || option.optional,
    mandatory: option.mandatory,
    choices: option.argChoices,
  };
}

/** A small fast PRNG (mulberry32): the same seed gives the same cases. */
export function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  return { next, pick, chance: (p: number) => next() < p };
}

type Random = ReturnType<typeof prng>;

const stdinPool = [
  '',
  'offers@spam.example;newsletter\n+44 20 7946 0958\n',
  'value,comment\n"a@b.example","x"y\n',
  '\0\0\0\x01\x02',
  '\ufeff\ud800\n',
];

const hostileEnv: Record<string, readonly string[]> = {
  CRMCTL_WAIT: ['5000000', '-0', '', 'soon', '1e400'],
  CRMCTL_NOW: ['0000-01-01', '10000-01-01', '', 'tomorrow', '1969-12-31T23:59:59Z'],
  CRMCTL_USER: ['system', '', ' ', 'ghost', '\x1b[2J'],
  CRMCTL_NO_INPUT: ['1', '0', ''],
  NO_COLOR: ['1', ''],
  FORCE_COLOR: ['1', '0'],
};

function value(
  random: Random,
  name: string,
  choices: readonly string[] | undefined,
  hostileShare: number,
) {
  return random.chance(hostileShare)
    ? random.pick(hostileValues)
    : random.pick(plausibleValues(name, choices));
}

function optionArgs(random: Random, slot: Slot, hostileShare: number): string[] {
  if (!slot.takesValue) return [slot.flag];
  const v = value(random, slot.name, slot.choices, hostileShare);
  // Both spellings: `--flag value` and `--flag=value` (a value starting with - needs the latter).
  return random.chance(0.3) && slot.flag.startsWith('--') ? [`${slot.flag}=${v}`] : [slot.flag, v];
}

/** Where a systematic case aims its hostile value. */
interface Aim {
  kind: 'arg' | 'option';
  index: number;
  value: string;
}

function caseFor(random: Random, leaf: Leaf, globals: Slot[], aim: Aim | undefined): FuzzCase {
  const hostileShare = aim ? 0 : 0.4;
  const argv: string[] = [];
  const env: Record<string, string> = {};
  if (!aim) {
    for (const slot of globals)
      if (random.chance(0.06)) argv.push(...optionArgs(random, slot, 0.7));
    for (const [name, values] of Object.entries(hostileEnv))
      if (random.chance(0.02)) env[name] = random.pick(values);
  }
  argv.push(...leaf.path);
  leaf.args.forEach((arg, i) => {
    const aimed = aim?.kind === 'arg' && aim.index === i;
    if (aimed) {
      argv.push(aim.value);
      return;
    }
    if (!arg.required && random.chance(0.4)) return;
    const count = arg.variadic ? 1 + Math.floor(random.next() * 2) : 1;
    for (let k = 0; k < count; k++) argv.push(value(random, arg.name, arg.choices, hostileShare));
  });
  leaf.options.forEach((slot, i) => {
    const aimed = aim?.kind === 'option' && aim.index === i;
    if (aimed) {
      // --flag=value: a value that starts with - is still the value.
      argv.push(slot.takesValue ? `${slot.flag}=${aim.value}` : slot.flag);
    } else if (slot.mandatory ? random.chance(0.95) : random.chance(aim ? 0.15 : 0.3)) {
      argv.push(...optionArgs(random, slot, hostileShare));
    }
  });
  return { argv, env, stdin: random.pick(stdinPool), tty: !aim && random.chance(0.15), leaf };
}

/**
 * The hostile values one slot gets in the systematic part: Object.prototype's commonest names,
 * two of the kind that matters to it (times for --since …), two of its structure.
 */
function aimsAt(random: Random, name: string): string[] {
  const kind = kindOf(name);
  const ofKind =
    kind === 'structure' ? [] : [random.pick(hostile[kind]), random.pick(hostile[kind])];
  return [
    'constructor',
    '__proto__',
    'toString',
    ...ofKind,
    random.pick(hostile.long),
    random.pick(hostile.structure),
  ];
}

/** The cases of one shard: the systematic ones of its commands, and its share of random ones. */
export function fuzzCases(
  leaves: Leaf[],
  globals: Slot[],
  options: { seed: number; randomRuns: number; shard: number; shards: number },
): FuzzCase[] {
  const random = prng(options.seed + options.shard);
  const mine = leaves.filter((_, i) => i % options.shards === options.shard);
  const cases: FuzzCase[] = [];
  for (const leaf of mine) {
    cases.push(caseFor(random, leaf, globals, undefined));
    leaf.args.forEach((arg, index) => {
      for (const v of aimsAt(random, arg.name))
        cases.push(caseFor(random, leaf, globals, { kind: 'arg', index, value: v }));
    });
    leaf.options.forEach((slot, index) => {
      const values = slot.takesValue ? aimsAt(random, slot.name) : [''];
      for (const v of values)
        cases.push(caseFor(random, leaf, globals, { kind: 'option', index, value: v }));
    });
  }
  // The global options, aimed at through one command each.
  globals.forEach((slot) => {
    if (!slot.takesValue) return;
    for (const v of aimsAt(random, slot.name)) {
      const leaf = random.pick(mine);
      const base = caseFor(random, leaf, globals, undefined);
      cases.push({ ...base, argv: [`${slot.flag}=${v}`, ...base.argv], tty: false });
    }
  });
  const share = Math.ceil(options.randomRuns / options.shards);
  for (let i = 0; i < share; i++)
    cases.push(caseFor(random, random.pick(mine), globals, undefined));
  return cases;
}

/** What is wrong with one run, if anything. */
function problemOf(leaf: Leaf, exitCode: number, stderr: string): string | undefined {
  if (exitCode === ExitCode.internal) return 'exit 70';
  if (stderr.includes('    at ')) return 'a stack trace';
  if (exitCode === ExitCode.notListed && !leaf.path.includes('check'))
    return 'exit 1 outside check';
  return undefined;
}

/** A value as a failure report shows it: long ones abbreviated, controls escaped. */
export function shown(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 12)}…(${text.length} chars)` : text;
  return JSON.stringify(short);
}

/**
 * A seeded store (users with and without exceptions.view, a pipeline with items, contacts,
 * exceptions, a blocked email) in a directory of its own, copied back before every `resetEvery`
 * cases; commands run in another directory, emptied at each reset, for the files they write.
 */
export async function fuzzStore(): Promise<{ env: Record<string, string>; reset: () => void }> {
  const home = tempDir();
  const storeDir = join(home, 'store');
  const workDir = join(home, 'work');
  mkdirSync(storeDir);
  mkdirSync(workDir);
  const db = join(storeDir, 'crm.db');
  const env = { CRMCTL_DB: db, HOME: home, CRMCTL_NOW: '2026-06-01T09:00:00Z' };
  const setup = [
    ['init'],
    ['role', 'add', 'desk', '--permissions', 'items.view,items.edit'],
    ['user', 'add', 'emma', '--role', 'employee'],
    ['user', 'add', 'dora', '--role', 'desk'],
    ['type', 'add', 'delivery'],
    ['pipeline', 'add', 'Shop', '--stages', 'New,Measure,Won:success,Lost:failure,Spam:failure'],
    [
      'item',
      'add',
      '--title',
      'Sofa',
      '--pipeline',
      'Shop',
      '--amount',
      '1200',
      '--field',
      'deadline=2026-12-01',
    ],
    ['item', 'add', '--title', 'Lead', '--type', 'lead', '--phone', '+44 20 7946 0958'],
    ['item', 'add', '--title', 'Table', '--stage', 'Won'],
    ['contact', 'add', '--name', 'Anna', '--email', 'anna@example.com'],
    ['company', 'add', '--name', 'Acme', '--phone', '+1 202 555 0143', '--contact', '1'],
    ['exceptions', 'add', 'offers@spam.example;newsletter', '+44 20 7946 0000;caller'],
    ['email', 'incoming', '--from', 'offers@spam.example', '--subject', 'Deal'],
    ['settings', 'set', 'default-country', 'GB'],
    // Records named like Object.prototype's members, for the lookups by name.
    ['type', 'add', 'constructor'],
    ['pipeline', 'add', '__proto__', '--type', 'constructor', '--stages', 'toString,valueOf'],
    ['role', 'add', 'constructor', '--permissions', 'items.view'],
    ['user', 'add', 'toString', '--role', 'constructor'],
  ];
  for (const argv of setup) {
    const result = await runCase(argv, env, '');
    if (result.exitCode !== 0) throw new Error(`${argv.join(' ')}: ${result.stderr}`);
  }
  const pristine = join(home, 'pristine.db');
  copyFileSync(db, pristine);
  const reset = () => {
    for (const name of readdirSync(storeDir)) rmSync(join(storeDir, name), { force: true });
    copyFileSync(pristine, db);
    for (const name of readdirSync(workDir))
      rmSync(join(workDir, name), { recursive: true, force: true });
    process.chdir(workDir);
  };
  reset();
  return { env, reset };
}

/** A person at the terminal who declines, or takes the first choice and the default. */
const decliner: Prompter = {
  confirm: async () => false,
  input: async (_message, options) => options?.defaultValue ?? 'x',
  select: async (_message, choices) => {
    const [first] = choices;
    if (!first) throw new Error('a select prompt without choices');
    return first.value;
  },
};

async function runCase(argv: string[], env: Record<string, string>, stdin: string, tty = false) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const err: Buffer[] = [];
  stdout.resume();
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const exitCode = await run(argv, {
    io: {
      stdin: Readable.from(stdin === '' ? [] : [stdin]),
      stdout,
      stderr,
      stdinIsTTY: tty,
      stdoutIsTTY: tty,
      stderrIsTTY: tty,
      columns: 80,
    },
    env,
    prompter: decliner,
  });
  return { exitCode, stderr: Buffer.concat(err).toString('utf8') };
}

/** Runs the cases, resetting the store now and then; returns the failures, one per kind. */
export async function runFuzz(
  cases: FuzzCase[],
  store: { env: Record<string, string>; reset: () => void },
  resetEvery = 40,
): Promise<{ failures: Failure[]; runs: number; exits: Record<number, number> }> {
  const seen = new Map<string, Failure>();
  const exits: Record<number, number> = {};
  const cwd = process.cwd();
  try {
    for (const [i, fuzzCase] of cases.entries()) {
      if (i > 0 && i % resetEvery === 0) store.reset();
      const env = { ...store.env, ...fuzzCase.env };
      let exitCode: number;
      let stderr: string;
      try {
        ({ exitCode, stderr } = await runCase(fuzzCase.argv, env, fuzzCase.stdin, fuzzCase.tty));
      } catch (error) {
        exitCode = -1;
        stderr = `run() threw: ${(error as Error).stack}`;
      }
      exits[exitCode] = (exits[exitCode] ?? 0) + 1;
      const problem = exitCode === -1 ? 'run() threw' : problemOf(fuzzCase.leaf, exitCode, stderr);
      if (!problem) continue;
      const firstLine = messageOf(stderr);
      const gist = firstLine
        .replace(/'[^']*'|"[^"]*"/g, '…')
        .replace(/\d+/g, 'N')
        .slice(0, 60);
      const signature = `${fuzzCase.leaf.path.join(' ')}: ${problem}: ${gist}`;
      if (!seen.has(signature))
        seen.set(signature, {
          signature,
          command: fuzzCase.leaf.path.join(' '),
          tty: fuzzCase.tty,
          argv: fuzzCase.argv,
          env: fuzzCase.env,
          exitCode,
          stderr,
        });
    }
  } finally {
    process.chdir(cwd);
  }
  return { failures: [...seen.values()], runs: cases.length, exits };
}

/** The error's message: the first line of stderr, or the message of a JSON error. */
function messageOf(stderr: string): string {
  const first = stderr.split('\n')[0] ?? '';
  try {
    return (JSON.parse(first) as { error: { message: string } }).error.message;
  } catch {
    return first;
  }
}

/** One line per failure: what went wrong, and a command line that shows it. */
export function describeFailures(failures: Failure[]): string[] {
  return failures.map((f) => {
    const env = Object.entries(f.env)
      .map(([k, v]) => `${k}=${shown(v)} `)
      .join('');
    const tty = f.tty ? ' (on a terminal)' : '';
    return `${f.signature}\n    ${env}crmctl ${f.argv.map(shown).join(' ')}${tty}`;
  });
}

export const fuzzSettings = {
  seed: Number(process.env.CRMCTL_FUZZ_SEED ?? 20261201),
  randomRuns: Number(process.env.CRMCTL_FUZZ_RUNS ?? 3000),
};

/** One shard's test: vitest runs the shard files in parallel. */
export function describeShard(shard: number, shards: number): void {
  describe(`every command with hostile values (shard ${shard + 1} of ${shards})`, () => {
    it('never exits 70, never prints a stack trace, never exits 1 outside check', {
      timeout: 3_600_000,
    }, async () => {
      const { leaves, globals } = await commandLeaves();
      const cases = fuzzCases(leaves, globals, { ...fuzzSettings, shard, shards });
      const { failures, runs, exits } = await runFuzz(cases, await fuzzStore());
      if (process.env.CRMCTL_FUZZ_VERBOSE) console.log({ runs, exits });
      expect(describeFailures(failures)).toEqual([]);
    });
  });
}
