import { createRequire } from 'node:module';
import { Command, CommanderError } from '@commander-js/extra-typings';
import { CrmError, ExitCode, UsageError } from '../errors.js';
import type { EventSubscriber } from '../session.js';
import type { UndoHandler } from '../undo/handler.js';
import { Context, type Env, type GlobalOptions } from './context.js';
import { escapeControls } from './escape.js';
import { describeFileError } from './files.js';
import { type IOStreams, processStreams } from './io.js';
import { removePartialFiles } from './partial-files.js';
import type { Prompter } from './prompter.js';
import { type Registrar, registerCommands } from './registry.js';
import { handleSignals } from './signals.js';

export interface RunOptions {
  io?: Partial<IOStreams>;
  env?: Env;
  prompter?: Prompter;
  /** Handle SIGINT and SIGTERM: only for the real process, which they end. */
  signals?: boolean;
  /** Item-event subscribers for this run, after the registered ones (tests). */
  subscribers?: EventSubscriber[];
  /** Undo handlers for this run, after the registered ones (tests). */
  undoHandlers?: UndoHandler[];
  /** Top-level commands added for this run (tests: a list of their own). */
  commands?: Record<string, Registrar>;
}

/** Read only for --version: finding and parsing package.json costs every other command ~0.7 ms. */
function packageVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}

/** Runs crmctl with `argv` (without node and script) and returns the exit code. Never exits the process. */
export async function run(argv: string[], options: RunOptions = {}): Promise<number> {
  const io = processStreams(options.io);
  const env = options.env ?? process.env;
  const ctx = new Context(io, env, options.prompter);
  ctx.commandLine = commandLineOf(argv);
  ctx.extraSubscribers = options.subscribers ?? [];
  ctx.extraUndoHandlers = options.undoHandlers ?? [];
  const json = wantsJsonErrors(argv);
  const stopHandlingSignals = options.signals
    ? handleSignals((_signal, exitCode) => {
        ctx.abandon();
        removePartialFiles();
        // A progress bar may own the line and have hidden the cursor.
        if (io.stderrIsTTY) io.stderr.write('\r\x1b[2K\x1b[?25h');
        if (json) writeJsonError(ctx, 'interrupted', 'interrupted', exitCode);
        else io.stderr.write('interrupted\n');
        process.exit(exitCode);
      })
    : () => {};
  let exitCode: number;
  try {
    const program = buildProgram(ctx, json);
    await registerCommands(program, ctx, argv);
    for (const register of Object.values(options.commands ?? {})) register(program, ctx);
    await program.parseAsync(argv, { from: 'user' });
    await ctx.settle();
    exitCode = ctx.exitCode;
  } catch (error) {
    exitCode = await reportError(ctx, error, json);
  } finally {
    ctx.close();
    removePartialFiles();
  }
  await ctx.outputs.settle();
  exitCode = reportOutputFailure(ctx, exitCode, json);
  ctx.outputs.stop();
  stopHandlingSignals();
  return exitCode;
}

/** The entry point of bin/crmctl.js. */
export async function main(): Promise<void> {
  // run() watches the streams while a command runs; later errors have nobody left to tell.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  process.exitCode = await run(process.argv.slice(2), { signals: true });
}

/**
 * A closed pipe (EPIPE) is the reader's choice: the command's own exit code stands. Any other
 * failure to write output is exit 74, saying whether the change was kept.
 */
function reportOutputFailure(ctx: Context, exitCode: number, json: boolean): number {
  const failure = ctx.outputs.failure();
  if (!failure || exitCode === ExitCode.outputFailed) return exitCode;
  if (
    exitCode !== ExitCode.ok &&
    exitCode !== ExitCode.notListed &&
    exitCode !== ExitCode.someRejected
  )
    return exitCode;
  const kept = ctx.committed
    ? 'the change was committed'
    : ctx.storeCreated
      ? 'nothing was changed but the new store'
      : 'nothing was changed';
  const message = `could not write output to ${failure.stream}: ${failure.error.message}; ${kept}`;
  if (json) writeJsonError(ctx, 'output-failed', message, ExitCode.outputFailed);
  else ctx.io.stderr.write(`error: ${message}\n`);
  return ExitCode.outputFailed;
}

/** The whole program with every command module loaded, for tests that walk it (the fuzz test). */
export async function fullProgram(ctx: Context): Promise<Command> {
  const program = buildProgram(ctx, false);
  await registerCommands(program, ctx, []);
  return program;
}

function buildProgram(ctx: Context, json: boolean): Command {
  const program = new Command('crmctl')
    .description(
      // One paragraph: commander wraps it to the terminal, so no hard line breaks.
      'Admin tool for CRM automation over a local SQLite store: pipelines and stages, items, ' +
        'contacts, users and roles, history. Run `crmctl demo` for a tour.',
    )
    .option('-V, --version', 'output the version number')
    .on('option:version', () => {
      ctx.io.stdout.write(`${packageVersion()}\n`);
      throw new CommanderError(0, 'commander.version', packageVersion());
    })
    .option('--db <path>', 'store file (env CRMCTL_DB; default $XDG_DATA_HOME/crmctl/crm.db)')
    .option('--as <login>', 'act as this user (env CRMCTL_USER; default the OS login)')
    .option(
      '--now <time>',
      'read the clock as this ISO-8601 time, years 1970-9999 (env CRMCTL_NOW)',
    )
    .option(
      '--wait <seconds>',
      'wait up to this long (0-86400) for another writer, then exit 75 (env CRMCTL_WAIT; default 60)',
    )
    .option('--no-color', 'no colours (also NO_COLOR)')
    .option('--no-input', 'never prompt (also CRMCTL_NO_INPUT)')
    .option('-q, --quiet', 'no progress bars or notes on stderr')
    .helpCommand(false)
    // Wrap descriptions even in a narrow column (commander's default gives up below 40).
    .configureHelp({ minWidthToWrap: 20 })
    // Under -o json stderr holds only the JSON error: no hint line before it.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
      // Help is wrapped to the terminal, so the terminal never breaks a word.
      getOutHelpWidth: () => helpWidth(ctx),
      getErrHelpWidth: () => helpWidth(ctx),
      // Errors are one line (DESIGN §8); under -o json reportError writes them once, as JSON.
      outputError: (text, write) => {
        if (!json)
          write(
            `${escapeControls(text.trim().replace(/\s*\n\s*/g, ' '))} (add --help for usage)\n`,
          );
      },
    })
    .hook('preAction', (_program, actionCommand) => {
      refuseBlankOptions(actionCommand);
      ctx.configure(actionCommand.optsWithGlobals() as GlobalOptions, commandPath(actionCommand));
    });
  program.addHelpText(
    'after',
    `
Examples:
  $ crmctl init
  $ crmctl item add --type deal --title "Sofa for Anna" --amount 1200
  $ crmctl item list --stage Won --json
  $ crmctl help exit-codes`,
  );
  return program;
}

function helpWidth(ctx: Context): number {
  return ctx.io.stdoutIsTTY ? Math.max(40, ctx.io.columns) : 80;
}

/** The command line as a shell would take it back, for the operation it makes (shortened). */
function commandLineOf(argv: string[]): string {
  const quoted = argv.map((arg) =>
    /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`,
  );
  const line = ['crmctl', ...quoted].join(' ');
  return line.length > 1000 ? `${line.slice(0, 999)}…` : line;
}

/** Free text that may really be empty; every other option needs a value (DESIGN §8). */
const mayBeEmpty = new Set(['--subject', '--text', '--description']);

/**
 * An option given an empty or blank value is a usage error that names it: an empty filter must
 * never mean "match everything", nor an empty --as "nobody in particular".
 */
function refuseBlankOptions(
  command: Command<unknown[], Record<string, unknown>, Record<string, unknown>>,
) {
  for (let c: typeof command | null = command; c; c = c.parent as typeof command | null) {
    for (const option of c.options) {
      const name = option.long ?? option.short ?? option.name();
      if (mayBeEmpty.has(name)) continue;
      const source = c.getOptionValueSource(option.attributeName());
      if (source !== 'cli' && source !== 'env') continue;
      const value: unknown = c.getOptionValue(option.attributeName());
      const values = Array.isArray(value) ? value : [value];
      if (values.some((v) => typeof v === 'string' && v.trim() === '')) {
        throw new UsageError(`${name} needs a value, not an empty one`);
      }
    }
  }
}

function commandPath(
  command: Command<unknown[], Record<string, unknown>, Record<string, unknown>>,
): string {
  const names: string[] = [];
  for (let c: typeof command | null = command; c?.parent; c = c.parent as typeof command | null) {
    names.unshift(c.name());
  }
  return names.join(' ');
}

/** The one place where errors become messages and exit codes (DESIGN §8). */
async function reportError(ctx: Context, error: unknown, json: boolean): Promise<number> {
  if (error instanceof CommanderError) {
    const done = ['commander.helpDisplayed', 'commander.version'].includes(error.code);
    if (done) return ExitCode.ok;
    if (json) writeJsonError(ctx, 'usage', error.message.replace(/^error: /, ''), ExitCode.usage);
    return ExitCode.usage;
  }
  const { code, exitCode, ...described } = describe(error);
  const message = withoutLongWords(described.message);
  if (json) {
    writeJsonError(ctx, code, message, exitCode);
  } else {
    const paint = await ctx.paint('stderr');
    ctx.io.stderr.write(`${paint.red('error:')} ${escapeControls(message)}\n`);
    if (exitCode === ExitCode.internal) {
      const debug = ctx.env.CRMCTL_DEBUG === '1';
      ctx.io.stderr.write(
        debug && error instanceof Error
          ? `${error.stack}\n`
          : 'this is a bug in crmctl: run again with CRMCTL_DEBUG=1 for details\n',
      );
    }
  }
  return exitCode;
}

function describe(error: unknown): { code: string; message: string; exitCode: number } {
  if (error instanceof CrmError)
    return { code: error.code, message: error.message, exitCode: error.exitCode };
  const sqliteCode = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof sqliteCode === 'string' && sqliteCode.startsWith('SQLITE_')) {
    if (/^SQLITE_(BUSY|LOCKED)/.test(sqliteCode)) {
      return {
        code: 'store-busy',
        message:
          'the store is busy: another crmctl is writing to it. Retry later, or wait longer with --wait SECONDS',
        exitCode: ExitCode.storeBusy,
      };
    }
    if (/^SQLITE_(CORRUPT|NOTADB|CANTOPEN|READONLY|PERM|IOERR|FULL)/.test(sqliteCode)) {
      return {
        code: 'unusable-store',
        message: `the store cannot be used: ${message} (${sqliteCode}). Check --db, and run crmctl db check`,
        exitCode: ExitCode.unusableInput,
      };
    }
  }
  const fileError = describeFileError(error);
  if (fileError) return fileError;
  if ((error as { name?: string }).name === 'ExitPromptError') {
    return { code: 'interrupted', message: 'interrupted', exitCode: ExitCode.interrupted };
  }
  return { code: 'internal', message, exitCode: ExitCode.internal };
}

/** A value quoted in a message (a 60,000-character file name) shortened: errors are one line. */
function withoutLongWords(message: string): string {
  return message.replace(/\S{121,}/g, (word) => `${word.slice(0, 60)}…${word.slice(-20)}`);
}

function writeJsonError(ctx: Context, code: string, message: string, exitCode: number): void {
  ctx.io.stderr.write(`${JSON.stringify({ error: { code, message, exitCode } })}\n`);
}

function wantsJsonErrors(argv: string[]): boolean {
  return argv.some(
    (arg, i) =>
      arg === '--json' ||
      arg === '-ojson' ||
      arg === '--output=json' ||
      ((arg === '-o' || arg === '--output') && argv[i + 1] === 'json'),
  );
}
