import { createRequire } from 'node:module';
import { Command, CommanderError } from '@commander-js/extra-typings';
import { CrmError, ExitCode } from '../errors.js';
import { Context, type Env, type GlobalOptions } from './context.js';
import { type IOStreams, processStreams } from './io.js';
import type { Prompter } from './prompter.js';
import { registerCommands } from './registry.js';

export interface RunOptions {
  io?: Partial<IOStreams>;
  env?: Env;
  prompter?: Prompter;
}

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** Runs crmctl with `argv` (without node and script) and returns the exit code. Never exits the process. */
export async function run(argv: string[], options: RunOptions = {}): Promise<number> {
  const io: IOStreams = { ...processStreams(), ...options.io };
  const env = options.env ?? process.env;
  const ctx = new Context(io, env, options.prompter);
  const json = wantsJsonErrors(argv);
  try {
    const program = buildProgram(ctx, json);
    await registerCommands(program, ctx, argv);
    await program.parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    return await reportError(ctx, error, json);
  } finally {
    ctx.close();
  }
}

/** The entry point of bin/crmctl.js. */
export async function main(): Promise<void> {
  for (const stream of [process.stdout, process.stderr]) {
    // `crmctl … | head` closes the pipe early: that is the reader's choice, not an error.
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
  process.exitCode = await run(process.argv.slice(2));
}

function buildProgram(ctx: Context, json: boolean): Command {
  const program = new Command('crmctl')
    .description(
      // One paragraph: commander wraps it to the terminal, so no hard line breaks.
      'Admin tool for CRM automation over a local SQLite store: pipelines and stages, items, ' +
        'contacts, users and roles, history. Run `crmctl demo` for a tour.',
    )
    .version(version, '-V, --version')
    .option('--db <path>', 'store file (env CRMCTL_DB; default $XDG_DATA_HOME/crmctl/crm.db)')
    .option('--as <login>', 'act as this user (env CRMCTL_USER; default the OS login)')
    .option('--now <time>', 'read the clock as this ISO-8601 time (env CRMCTL_NOW)')
    .option(
      '--wait <seconds>',
      'wait this long for another writer, then exit 75 (env CRMCTL_WAIT; default 60)',
    )
    .option('--no-color', 'no colours (also NO_COLOR)')
    .option('--no-input', 'never prompt (also CRMCTL_NO_INPUT)')
    .option('-q, --quiet', 'no progress bars or notes on stderr')
    .helpCommand(false)
    // Under -o json stderr holds only the JSON error: no hint line before it.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
      // Errors are one line (DESIGN §8); under -o json reportError writes them once, as JSON.
      outputError: (text, write) => {
        if (!json) write(`${text.trim().replace(/\s*\n\s*/g, ' ')} (add --help for usage)\n`);
      },
    })
    .hook('preAction', (_program, actionCommand) => {
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
  const { code, message, exitCode } = describe(error);
  if (json) {
    writeJsonError(ctx, code, message, exitCode);
  } else {
    const paint = await ctx.paint('stderr');
    ctx.io.stderr.write(`${paint.red('error:')} ${message}\n`);
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
  if ((error as { name?: string }).name === 'ExitPromptError') {
    return { code: 'interrupted', message: 'interrupted', exitCode: ExitCode.interrupted };
  }
  return { code: 'internal', message, exitCode: ExitCode.internal };
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
