import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type * as Chalk from 'chalk';
import { type Clock, fixedClock, parseInstant, systemClock } from '../clock.js';
import { UsageError } from '../errors.js';
import type { Actor, Cause, Session } from '../session.js';
import { seedNewStore } from '../setup/service.js';
import { openStore, type Store } from '../store/store.js';
import type { Permission } from '../users/permissions.js';
import { authorize } from '../users/service.js';
import { colourEnabled, type IOStreams, type OutputStream, OutputWatch } from './io.js';
import { inquirerPrompter, type Prompter } from './prompter.js';
import { withDefaultSignals } from './signals.js';

export type Env = Record<string, string | undefined>;

/** Options every command accepts (DESIGN §8), parsed by the program. */
export interface GlobalOptions {
  db?: string;
  as?: string;
  now?: string;
  wait?: string;
  color?: boolean;
  input?: boolean;
  quiet?: boolean;
}

const defaultWaitSeconds = 60;

/**
 * Everything a command needs from the outside world, in one object: the store (opened on
 * first use), the clock, the acting user, the streams and whether a person can be asked.
 */
export class Context {
  exitCode = 0;
  /** True once this run has created (and seeded) a new store. */
  storeCreated = false;
  /** True once a write transaction of this run has committed (not a dry run). */
  committed = false;
  /** Write errors of stdout and stderr, recorded instead of crashing the command. */
  readonly outputs: OutputWatch;
  /** The command being run, e.g. `item move`; recorded in history. */
  commandPath = '';
  private globals: GlobalOptions = {};
  private openedStore: Store | undefined;
  private resolvedClock: Clock | undefined;
  private readonly customPrompter: Prompter | undefined;

  constructor(
    readonly io: IOStreams,
    readonly env: Env,
    prompter?: Prompter,
  ) {
    this.customPrompter = prompter;
    this.outputs = new OutputWatch(io);
  }

  configure(globals: GlobalOptions, commandPath: string): void {
    this.globals = globals;
    this.commandPath = commandPath;
  }

  get clock(): Clock {
    if (!this.resolvedClock) {
      const now = this.globals.now ?? this.env.CRMCTL_NOW;
      this.resolvedClock = now
        ? fixedClock(parseInstant(now, this.globals.now ? '--now' : 'CRMCTL_NOW'))
        : systemClock;
    }
    return this.resolvedClock;
  }

  globalOption<K extends keyof GlobalOptions>(name: K): GlobalOptions[K] {
    return this.globals[name];
  }

  /** Points this run at another store file (the demo's temporary one); before first use only. */
  useStorePath(path: string): void {
    this.globals = { ...this.globals, db: path };
  }

  get storePath(): string {
    if (this.globals.db?.trim() === '') {
      throw new UsageError('--db needs a file name (an empty --db would mean the default store)');
    }
    const explicit = this.globals.db ?? this.env.CRMCTL_DB;
    if (explicit) return explicit;
    const dataHome =
      this.env.XDG_DATA_HOME || join(this.env.HOME ?? userInfo().homedir, '.local', 'share');
    return join(dataHome, 'crmctl', 'crm.db');
  }

  /**
   * The store, opened on first use as the command's access allows (see `storeAccessOf`): a
   * command that writes creates a missing store (saying so on stderr) and migrates an old one;
   * one that only reads finds it or exits 4.
   */
  get store(): Store {
    if (!this.openedStore) {
      // A bad --now or --wait is refused before a new store file is created.
      const clock = this.clock;
      const access = storeAccessOf(this.commandPath);
      const path = this.storePath;
      const store = openStore(path, {
        busyTimeoutMs: this.waitMs,
        create: access === 'write',
        migrate: access !== 'inspect',
        onCreate: (created) => {
          seedNewStore(created, clock, osLogin(this.env));
          this.storeCreated = true;
        },
      });
      this.openedStore = watchCommits(store, () => {
        this.committed = true;
      });
      // Even under --quiet: it happens once, and is the only sign of a mistyped --db.
      // `init` says it in its own words.
      if (this.storeCreated && this.commandPath !== 'init') {
        this.io.stderr.write(`Created a new store at ${path}\n`);
      }
    }
    return this.openedStore;
  }

  /** How long to wait for another writer: --wait / CRMCTL_WAIT seconds. */
  get waitMs(): number {
    const raw = this.globals.wait ?? this.env.CRMCTL_WAIT;
    if (raw === undefined || raw === '') return defaultWaitSeconds * 1000;
    const seconds = Number(raw);
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new UsageError(`--wait takes a number of seconds, not "${raw}"`);
    }
    return Math.round(seconds * 1000);
  }

  get login(): string {
    return this.globals.as ?? (this.env.CRMCTL_USER || osLogin(this.env));
  }

  /**
   * Checks that the acting user exists and holds `permission`, before anything is shown or
   * changed, and returns what services work with.
   */
  session(permission?: Permission, cause: Cause = { kind: 'user', id: null }): Session {
    const store = this.store;
    authorize(store.db, this.login, permission);
    const actor: Actor = { login: this.login, cause, command: this.commandPath };
    return { store, clock: this.clock, actor };
  }

  /** A person can be asked: stdin and stderr are terminals and --no-input is not given. */
  get canPrompt(): boolean {
    if (this.globals.input === false) return false;
    if (this.env.CRMCTL_NO_INPUT && this.env.CRMCTL_NO_INPUT !== '0') return false;
    return this.io.stdinIsTTY && this.io.stderrIsTTY;
  }

  get prompter(): Prompter {
    return this.customPrompter ?? inquirerPrompter(this.io);
  }

  get quiet(): boolean {
    return this.globals.quiet === true;
  }

  colour(stream: 'stdout' | 'stderr'): boolean {
    const isTTY = stream === 'stdout' ? this.io.stdoutIsTTY : this.io.stderrIsTTY;
    return colourEnabled(isTTY, this.env, this.globals.color === false);
  }

  /** A chalk instance for one stream, coloured only when that stream should be (loaded on demand). */
  async paint(stream: 'stdout' | 'stderr'): Promise<Chalk.ChalkInstance> {
    const chalk = createRequire(import.meta.url)('chalk') as typeof Chalk;
    return new chalk.Chalk({ level: this.colour(stream) ? 1 : 0 });
  }

  out(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A note for a person on stderr (summaries, warnings); silenced by --quiet. */
  note(text: string): void {
    if (!this.quiet) this.io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** True once `stream` cannot take more output: a command may stop producing it. */
  outputClosed(stream: OutputStream): boolean {
    return this.outputs.closed(stream);
  }

  close(): void {
    this.openedStore?.close();
    this.openedStore = undefined;
  }

  /** On a signal: rolls back the transaction in progress (if any) and closes the store. */
  abandon(): void {
    const db = this.openedStore?.db;
    try {
      if (db?.inTransaction) db.exec('ROLLBACK');
      this.close();
    } catch {
      // The process is about to exit: SQLite discards an unfinished transaction anyway.
    }
  }
}

/**
 * The store, telling when a write commits; synchronous writes run with the default signal
 * disposition (see withDefaultSignals).
 */
function watchCommits(store: Store, onCommit: () => void): Store {
  let depth = 0;
  return {
    ...store,
    write(work, options) {
      depth++;
      try {
        const result = withDefaultSignals(() => store.write(work, options));
        if (depth === 1 && !options?.dryRun) onCommit();
        return result;
      } finally {
        depth--;
      }
    },
    async writeAsync(work, options) {
      const result = await store.writeAsync(work, options);
      if (!options?.dryRun) onCommit();
      return result;
    },
  };
}

/**
 * How a command uses the store, by its command path: the one place that decides it (DESIGN §8).
 * - `read`: commands that only read (`… list`, `… show`, `… check`, `… export`, `… log`,
 *   `… batches`, `… get`, `… explain`, `… lint`, `history`): a missing or empty store is not
 *   found (exit 4), never created; an older store is still brought up to date.
 * - `inspect`: `db check` and `db backup` look at the store as it is: not found when missing,
 *   never migrated, nothing in it changed.
 * - `write`: everything else, `init` and `demo` included: a missing or empty file becomes a
 *   new store.
 * Commands that never open the store (`help`, `completion`, `--version`) need no entry.
 */
export type StoreAccess = 'read' | 'inspect' | 'write';

const readingVerbs = new Set([
  'list',
  'show',
  'check',
  'export',
  'log',
  'batches',
  'get',
  'explain',
  'lint',
]);
const readingCommands = new Set(['history']);
const inspectingCommands = new Set(['db check', 'db backup']);

export function storeAccessOf(commandPath: string): StoreAccess {
  if (inspectingCommands.has(commandPath)) return 'inspect';
  if (readingCommands.has(commandPath)) return 'read';
  const words = commandPath.split(' ');
  return words.length > 1 && readingVerbs.has(words.at(-1) ?? '') ? 'read' : 'write';
}

function osLogin(env: Env): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.LOGNAME ?? 'admin';
  }
}
