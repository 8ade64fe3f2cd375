import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type * as Chalk from 'chalk';
import { type Clock, fixedClock, parseNow, systemClock } from '../clock.js';
import { PermissionError, UsageError } from '../errors.js';
import { eventSubscribers } from '../registrations.js';
import { type EventSubscriber, Session, systemLogin } from '../session.js';
import { seedNewStore } from '../setup/service.js';
import { openStore, type Store } from '../store/store.js';
import type { UndoHandler } from '../undo/handler.js';
import type { Permission } from '../users/permissions.js';
import { authorize } from '../users/service.js';
import { colourEnabled, type IOStreams, type OutputStream, OutputWatch } from './io.js';
import type { Progress } from './progress.js';
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
const maxWaitSeconds = 86_400;

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
  /** The command line as typed (quoted where needed), kept with the command's operation. */
  commandLine: string | null = null;
  /**
   * Set by a command that shows or changes by its flags (`settings working-time`) when it only
   * shows: it then reads the store like a list does (a missing one is not found, never made).
   */
  onlyReads = false;
  /** Event subscribers added for this run (tests), after the registered ones. */
  extraSubscribers: EventSubscriber[] = [];
  /** Undo handlers added for this run (tests), after the registered ones. */
  extraUndoHandlers: UndoHandler[] = [];
  /** Write errors of stdout and stderr, recorded instead of crashing the command. */
  readonly outputs: OutputWatch;
  /** The command being run, e.g. `item move`; recorded in history. */
  commandPath = '';
  private globals: GlobalOptions = {};
  private openedStore: Store | undefined;
  private resolvedClock: Clock | undefined;
  private readonly customPrompter: Prompter | undefined;
  private progress: Progress | undefined;
  /** The sessions this run made: their after-commit work runs before the command ends. */
  private readonly sessions: Session[] = [];

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
        ? fixedClock(parseNow(now, this.globals.now ? '--now' : 'CRMCTL_NOW'))
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
      // A bad --now, --wait or --as is refused before a new store file is created.
      const clock = this.clock;
      this.checkActor();
      const access = this.onlyReads ? 'read' : storeAccessOf(this.commandPath);
      const path = this.storePath;
      const waitMs = this.waitMs;
      this.openedStore = openStore(path, {
        busyTimeoutMs: waitMs,
        create: access === 'write',
        migrate: access !== 'inspect',
        onCreate: (created) => {
          seedNewStore(created, clock, osLogin(this.env));
          this.storeCreated = true;
        },
        onWaiting:
          this.io.stderrIsTTY && !this.quiet
            ? () =>
                this.write(
                  'stderr',
                  `waiting for another crmctl to finish writing (up to ${waitMs / 1000} s; --wait to change)\n`,
                )
            : undefined,
        synchronously: withDefaultSignals,
      });
      // Even under --quiet: it happens once, and is the only sign of a mistyped --db.
      // `init` says it in its own words.
      if (this.storeCreated && this.commandPath !== 'init') {
        this.io.stderr.write(`Created a new store at ${path}\n`);
      }
    }
    return this.openedStore;
  }

  /** How long to wait for another writer: --wait / CRMCTL_WAIT seconds (empty: not set). */
  get waitMs(): number {
    const flag = this.globals.wait !== undefined ? '--wait' : 'CRMCTL_WAIT';
    const raw = this.globals.wait ?? this.env.CRMCTL_WAIT;
    if (raw === undefined || raw === '') return defaultWaitSeconds * 1000;
    const seconds = /^\d{1,6}(\.\d{1,3})?$/.test(raw.trim()) ? Number(raw) : Number.NaN;
    if (!(seconds <= maxWaitSeconds)) {
      throw new UsageError(
        `${flag} takes a number of seconds from 0 to ${maxWaitSeconds} (a day), not "${raw}"`,
      );
    }
    return Math.round(seconds * 1000);
  }

  /**
   * Who is acting: --as, else CRMCTL_USER (empty means not set), else the OS login. Never the
   * automation's own actor: code acts as it through a session it makes (actAsSystem).
   */
  get login(): string {
    return this.actingLogin();
  }

  private actingLogin(): string {
    const fromEnv = this.env.CRMCTL_USER === '' ? undefined : this.env.CRMCTL_USER;
    if (this.globals.as === undefined && fromEnv?.trim() === '') {
      throw new UsageError('CRMCTL_USER is blank: unset it, or set it to a login');
    }
    const login = this.globals.as ?? fromEnv ?? osLogin(this.env);
    if (login.trim().toLowerCase() === systemLogin) {
      throw new PermissionError(
        `"${systemLogin}" is the automation's own actor: no command line can act as it; act as a user (--as LOGIN, see crmctl user list)`,
        null,
      );
    }
    return login;
  }

  /** Refuses an acting user no command line may be (system, a blank CRMCTL_USER). */
  private checkActor(): void {
    this.actingLogin();
  }

  /**
   * The command's unit of work (src/session.ts), once the acting user is known to exist and to
   * hold `permission`; each write checks it again, inside its transaction.
   */
  session(permission?: Permission): Session {
    const login = this.login;
    const session = new Session({
      store: this.store,
      clock: this.clock,
      actor: { login, cause: { kind: 'user', id: null }, command: this.commandPath },
      commandLine: this.commandLine,
      checkAccess: (inside) => authorize(inside, permission),
      subscribers: [...eventSubscribers, ...this.extraSubscribers],
      onCommit: () => {
        this.committed = true;
      },
    });
    authorize(session, permission);
    this.sessions.push(session);
    return session;
  }

  /** Runs what the command's writes left for after their commit (webhooks), then returns. */
  async settle(): Promise<void> {
    for (const session of this.sessions) await session.settle();
  }

  /** A person can be asked: stdin and stderr are terminals and --no-input is not given. */
  get canPrompt(): boolean {
    if (this.globals.input === false) return false;
    if (this.env.CRMCTL_NO_INPUT && this.env.CRMCTL_NO_INPUT !== '0') return false;
    return this.io.stdinIsTTY && this.io.stderrIsTTY;
  }

  get prompter(): Prompter {
    return this.customPrompter ?? inquirerPrompter(this.io, this.colour('stderr'));
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
    this.write('stdout', text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A note for a person on stderr (summaries, warnings); silenced by --quiet. */
  note(text: string): void {
    if (!this.quiet) this.write('stderr', text.endsWith('\n') ? text : `${text}\n`);
  }

  /** The progress bar on the screen, if any: what is written meanwhile goes above it. */
  showProgress(progress: Progress | undefined): void {
    this.progress = progress;
  }

  private write(stream: OutputStream, text: string): void {
    if (this.progress) this.progress.log(stream, text);
    else this.io[stream].write(text);
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
