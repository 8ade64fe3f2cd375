import type { Clock } from './clock.js';
import { ConflictError } from './errors.js';
import type { ItemEvent } from './events.js';
import {
  deleteOperationRow,
  insertOperationRow,
  updateOperationSummary,
} from './operations/repo.js';
import { statement } from './store/sql.js';
import type { Database, Store, WriteOptions } from './store/store.js';

/** Why a change happened: a person's command, an automation rule, a trigger, or the system itself. */
export interface Cause {
  kind: 'user' | 'rule' | 'trigger' | 'system';
  id: number | null;
}

/** Who is acting, and through what; every recorded change carries it. */
export interface Actor {
  login: string;
  cause: Cause;
  /** The command that made the change, e.g. `item move`. */
  command: string | null;
  /** The automatic chain a rule or trigger acts in (the loop guard counts its stage changes). */
  chain?: AutomationChain;
}

/**
 * A chain of automatic stage changes from one cause (DESIGN §2 loop guard): its id, how many
 * automatic stage changes it has made so far, and the stages it has entered, in order.
 */
export interface AutomationChain {
  id: number;
  hop: number;
  path: readonly number[];
}

export const systemLogin = 'system';

/**
 * An event as it is queued: what happened, who made it happen, the automatic chain it belongs
 * to (when a rule or trigger caused it), and how many events deep it was caused.
 */
export type QueuedEvent = ItemEvent & { cause: Cause; chain?: AutomationChain; depth: number };

/** A feature that reacts to item events (the automation engine); see src/registrations.ts. */
export type EventSubscriber = (session: Session, event: QueuedEvent) => void;

/**
 * How deep events may cause events before the command is stopped as a runaway. The automation's
 * own loop guard (20 automatic stage changes per chain, src/automation/engine.ts) stops far
 * sooner; this is the backstop for a subscriber without one.
 */
export const maxEventDepth = 200;

export interface SessionOptions {
  store: Store;
  clock: Clock;
  actor: Actor;
  /** The command line that started it, kept with its operation. */
  commandLine?: string | null;
  /** Runs first inside every write transaction: the permission check, with the change. */
  checkAccess?: (session: Session) => void;
  subscribers?: readonly EventSubscriber[];
  /** Called once a write transaction has committed. */
  onCommit?: () => void;
  /** False for the store's own setup, which is no command's operation. */
  operations?: boolean;
}

/** What one command's writes share: the transaction, its operation and its event queue. */
interface UnitOfWork {
  writing: boolean;
  operation: { id: number; kind: string } | undefined;
  summary: Record<string, unknown>;
  changed: boolean;
  queue: QueuedEvent[];
  /** The next queued event to hand over; the depth of the one being handed over. */
  cursor: number;
  delivering: QueuedEvent | undefined;
  /** Attempts (savepoints) open: what they queue waits until they are over. */
  attempts: number;
  committedOperation: number | null;
  /** Work to do once the transaction has committed (a webhook's HTTP call). */
  afterCommit: (() => Promise<void>)[];
  /** What subscribers keep for the length of one write (caches of rules, say). */
  scratch: Map<string, unknown>;
}

/**
 * One command's unit of work (STYLE: one unit of work per command): the store, the clock, the
 * acting user, and `write`, the one `BEGIN IMMEDIATE` transaction. Service functions that
 * change something run inside it (`requireWrite`), never open their own; everything one
 * command writes belongs to one operation (`operation()`), and the item events it records are
 * handed to the subscribers inside the same transaction, before it commits.
 */
export class Session {
  readonly store: Store;
  readonly db: Database;
  readonly clock: Clock;
  readonly actor: Actor;
  private readonly options: SessionOptions;
  private readonly unit: UnitOfWork;

  constructor(options: SessionOptions, unit?: UnitOfWork) {
    this.options = options;
    this.store = options.store;
    this.db = options.store.db;
    this.clock = options.clock;
    this.actor = options.actor;
    this.unit = unit ?? {
      writing: false,
      operation: undefined,
      summary: {},
      changed: false,
      queue: [],
      cursor: 0,
      delivering: undefined,
      attempts: 0,
      committedOperation: null,
      afterCommit: [],
      scratch: new Map(),
    };
  }

  /** The same unit of work, acted on by someone else (a rule or trigger, as the system). */
  as(actor: Actor): Session {
    return new Session({ ...this.options, actor }, this.unit);
  }

  /** The same unit of work on another clock (the demo walks a virtual one). */
  withClock(clock: Clock): Session {
    return new Session({ ...this.options, clock }, this.unit);
  }

  /**
   * Runs `work` in the command's write transaction, then hands the events it recorded to the
   * subscribers, then commits (or, with `dryRun`, rolls everything back).
   */
  write<T>(work: () => T, options: WriteOptions = {}): T {
    this.refuseNesting();
    const waiting = this.unit.afterCommit.length;
    let result: T;
    try {
      result = this.store.write(() => {
        this.begin();
        try {
          const done = work();
          this.finish();
          return done;
        } finally {
          this.unit.writing = false;
        }
      }, options);
    } catch (error) {
      this.unit.afterCommit.length = waiting;
      throw error;
    }
    this.committed(options);
    return result;
  }

  /** The same for work that awaits (an import streaming its input). */
  async writeAsync<T>(work: () => Promise<T>, options: WriteOptions = {}): Promise<T> {
    this.refuseNesting();
    const waiting = this.unit.afterCommit.length;
    let result: T;
    try {
      result = await this.store.writeAsync(async () => {
        this.begin();
        try {
          const done = await work();
          this.finish();
          return done;
        } finally {
          this.unit.writing = false;
        }
      }, options);
    } catch (error) {
      this.unit.afterCommit.length = waiting;
      throw error;
    }
    this.committed(options);
    return result;
  }

  /** Fails loudly when a service that changes things is called outside `write`. */
  requireWrite(what = 'a change'): void {
    if (!this.unit.writing) throw new Error(`${what} must run inside session.write (a bug)`);
  }

  get writing(): boolean {
    return this.unit.writing;
  }

  /**
   * The id of the operation this command's writes belong to, made on first use inside the
   * write (its kind defaults to the command: `exceptions import` → `exceptions-import`).
   */
  operation(kind?: string): number {
    this.requireWrite('an operation');
    if (!this.unit.operation) {
      const chosen = kind ?? operationKindOf(this.actor.command);
      const id = insertOperationRow(this.db, {
        kind: chosen,
        actor: this.actor.login,
        command: this.options.commandLine ?? this.actor.command,
        at: this.clock.now().toISOString(),
      });
      this.unit.operation = { id, kind: chosen };
    }
    return this.unit.operation.id;
  }

  /** Adds counts to the operation's summary (`operation show`). */
  summarise(counts: Record<string, unknown>): void {
    this.operation();
    Object.assign(this.unit.summary, counts);
  }

  /** False for the store's own setup (seedNewStore), which is no command's operation. */
  get keepsOperations(): boolean {
    return this.options.operations !== false;
  }

  /** Something was written: the operation is kept (see recordChange). */
  changed(): void {
    this.requireWrite();
    this.unit.changed = true;
  }

  /** The operation the last committed write made; null after a dry run or when it wrote nothing. */
  get operationId(): number | null {
    return this.unit.committedOperation;
  }

  /** Records an item event, handed to the subscribers before the transaction commits. */
  emit(event: ItemEvent): void {
    this.requireWrite('an event');
    const depth = (this.unit.delivering?.depth ?? -1) + 1;
    if (depth > maxEventDepth) {
      throw new ConflictError(
        `stopped: the changes went on causing further changes (over ${maxEventDepth} events deep, a loop?); nothing was changed`,
      );
    }
    // Copied by Object.assign, not by spread: V8 gives every object spread from events of several
    // shapes a hidden class of its own (about 400 bytes each, 200,000 of them in a move of
    // 100,000 deals into a stage with rules); assigned ones share theirs. The same keys, in order.
    const queued = Object.assign({}, event) as QueuedEvent;
    queued.cause = this.actor.cause;
    queued.depth = depth;
    if (this.actor.chain) queued.chain = this.actor.chain;
    this.unit.queue.push(queued);
  }

  /**
   * Hands the events queued so far to the subscribers now, on this session's clock, instead of
   * at the end of the write: the scheduler runs each job at its own time, and what a job causes
   * happens at that time too. Inside a subscriber it does nothing (the outer hand-over goes on),
   * nor inside an attempt (a rule's action: what it causes follows once it has ended).
   */
  deliverEvents(): void {
    this.requireWrite('handing over events');
    if (this.unit.delivering || this.unit.attempts > 0) return;
    const subscribers = this.options.subscribers ?? [];
    const { unit } = this;
    try {
      while (unit.cursor < unit.queue.length) {
        const event = unit.queue[unit.cursor] as QueuedEvent;
        // Handed over: let it go (a move of 100,000 items queues as many events, and more).
        unit.queue[unit.cursor++] = undefined as unknown as QueuedEvent;
        unit.delivering = event;
        for (const subscriber of subscribers) subscriber(this, event);
      }
    } finally {
      unit.delivering = undefined;
    }
    unit.queue = [];
    unit.cursor = 0;
  }

  /**
   * Runs `work` in a savepoint: when it throws, what it wrote and the events it queued are
   * taken back and the error goes on (a rule's action that fails leaves nothing half done).
   */
  attempt<T>(work: () => T): T {
    this.requireWrite();
    const { unit } = this;
    const queued = unit.queue.length;
    statement(this.db, 'SAVEPOINT automation_attempt').run();
    unit.attempts++;
    try {
      const result = work();
      statement(this.db, 'RELEASE automation_attempt').run();
      return result;
    } catch (error) {
      statement(this.db, 'ROLLBACK TO automation_attempt').run();
      statement(this.db, 'RELEASE automation_attempt').run();
      unit.queue.length = Math.max(queued, unit.cursor);
      throw error;
    } finally {
      unit.attempts--;
    }
  }

  /** Something to do once this write has committed (never after a dry run or a rollback). */
  afterCommit(task: () => Promise<void>): void {
    this.requireWrite('work after the commit');
    this.unit.afterCommit.push(task);
  }

  /** Runs the work left for after the commit (a webhook's HTTP call and its small write). */
  async settle(): Promise<void> {
    while (this.unit.afterCommit.length > 0) {
      const tasks = this.unit.afterCommit.splice(0);
      for (const task of tasks) await task();
    }
  }

  /** A value kept for the length of this write (a subscriber's cache), made by `make` on first use. */
  scratch<T>(key: string, make: () => T): T {
    const { scratch } = this.unit;
    if (!scratch.has(key)) scratch.set(key, make());
    return scratch.get(key) as T;
  }

  private refuseNesting(): void {
    if (this.unit.writing) {
      throw new Error('session.write cannot nest: a service requires a write, it never opens one');
    }
  }

  private begin(): void {
    Object.assign(this.unit, {
      writing: true,
      operation: undefined,
      summary: {},
      changed: false,
      queue: [],
      cursor: 0,
      delivering: undefined,
      attempts: 0,
      scratch: new Map(),
    });
    this.options.checkAccess?.(this);
  }

  private finish(): void {
    this.deliverEvents();
    const { operation } = this.unit;
    if (!operation) return;
    if (this.unit.changed) updateOperationSummary(this.db, operation.id, this.unit.summary);
    else {
      deleteOperationRow(this.db, operation.id);
      this.unit.operation = undefined;
    }
  }

  private committed(options: WriteOptions): void {
    if (options.dryRun) {
      this.unit.committedOperation = null;
      this.unit.afterCommit = [];
      return;
    }
    this.unit.committedOperation = this.unit.operation?.id ?? null;
    if (this.unit.changed) this.options.onCommit?.();
  }
}

/** `exceptions import` → `exceptions-import`: what an operation is called by default. */
export function operationKindOf(command: string | null): string {
  return (command ?? 'unknown').trim().replace(/\s+/g, '-');
}

export function nowIso(session: Pick<Session, 'clock'>): string {
  const ms = session.clock.now().getTime();
  // A command's rows mostly share one instant (a fixed clock, or --now): formatted once.
  if (ms !== lastIso.ms) {
    lastIso.ms = ms;
    lastIso.text = new Date(ms).toISOString();
  }
  return lastIso.text;
}

const lastIso = { ms: Number.NaN, text: '' };
