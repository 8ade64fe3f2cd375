import type { Clock } from './clock.js';
import { ConflictError } from './errors.js';
import type { ItemEvent } from './events.js';
import {
  deleteOperationRow,
  insertOperationRow,
  updateOperationSummary,
} from './operations/repo.js';
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
}

export const systemLogin = 'system';

/** An event as it is queued: what happened, and who made it happen. */
export type QueuedEvent = ItemEvent & { cause: Cause };

/** A feature that reacts to item events (the automation engine); see src/registrations.ts. */
export type EventSubscriber = (session: Session, event: QueuedEvent) => void;

/** Follow-on events one event may cause, before the command is stopped as a runaway. */
export const maxFollowOnEvents = 1000;

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
  committedOperation: number | null;
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
      committedOperation: null,
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
    const result = this.store.write(() => {
      this.begin();
      try {
        const done = work();
        this.finish();
        return done;
      } finally {
        this.unit.writing = false;
      }
    }, options);
    this.committed(options);
    return result;
  }

  /** The same for work that awaits (an import streaming its input). */
  async writeAsync<T>(work: () => Promise<T>, options: WriteOptions = {}): Promise<T> {
    this.refuseNesting();
    const result = await this.store.writeAsync(async () => {
      this.begin();
      try {
        const done = await work();
        this.finish();
        return done;
      } finally {
        this.unit.writing = false;
      }
    }, options);
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
    this.unit.queue.push({ ...event, cause: this.actor.cause });
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
    });
    this.options.checkAccess?.(this);
  }

  private finish(): void {
    this.drainEvents();
    const { operation } = this.unit;
    if (!operation) return;
    if (this.unit.changed) updateOperationSummary(this.db, operation.id, this.unit.summary);
    else {
      deleteOperationRow(this.db, operation.id);
      this.unit.operation = undefined;
    }
  }

  /**
   * Each queued event goes to every subscriber in turn; what they cause is queued behind it.
   * A subscriber that keeps causing events stops the command (nothing is written).
   */
  private drainEvents(): void {
    const subscribers = this.options.subscribers ?? [];
    const { queue } = this.unit;
    const first = queue.length;
    for (let next = 0; next < queue.length; next++) {
      if (next - first >= maxFollowOnEvents) {
        throw new ConflictError(
          `stopped: the changes went on causing further changes (over ${maxFollowOnEvents.toLocaleString('en')} events, a loop?); nothing was changed`,
        );
      }
      const event = queue[next] as QueuedEvent;
      for (const subscriber of subscribers) subscriber(this, event);
    }
    this.unit.queue = [];
  }

  private committed(options: WriteOptions): void {
    if (options.dryRun) {
      this.unit.committedOperation = null;
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
  return session.clock.now().toISOString();
}
