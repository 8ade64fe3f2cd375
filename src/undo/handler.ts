import { ConflictError } from '../errors.js';
import type { Operation } from '../operations/service.js';
import type { Session } from '../session.js';
import type { Permission } from '../users/permissions.js';

/**
 * How a feature takes back what an operation did to it (DESIGN §7a), listed in
 * src/registrations.ts: `crmctl undo OP` runs the handlers of every feature the operation
 * changed, in one transaction. Which ones those are is read from the operation's history: a
 * handler claims the changes it can take back by entity type and action, and an operation with
 * a change nobody claims (an item move, today) is not undone at all rather than half.
 */
export interface UndoHandler {
  /** The feature, as results and messages name it: "exceptions". */
  readonly feature: string;
  /** The history entries it takes back: entity type → actions (`{ exceptions: ['added'] }`). */
  readonly takesBack: Readonly<Record<string, readonly string[]>>;
  /** Undoing its changes needs this, as making them did. */
  readonly permission: Permission;
  /**
   * The later operations that depend on what `operation` did here (a later remove of entries it
   * added, a later import that re-commented them, a later add of a value it removed…): undo
   * refuses while there are any, unless forced. Only operations not undone count.
   */
  conflicts(session: Session, operation: Operation): Dependent[];
  /**
   * Takes back what `operation` did here, inside the undo's transaction, recording its own
   * history; with `force`, past the dependents `conflicts` named. Returns what it did.
   */
  undo(session: Session, operation: Operation, options: { force: boolean }): UndoneChanges;
}

/** A later operation that depends on the one being undone, and why. */
export interface Dependent {
  operationId: number | null;
  /** "removed 2 entries it added (a@example.com, b@example.com)". */
  reason: string;
}

/** What a handler took back: counts (`removed`, `restored` …) and what people should know. */
export interface UndoneChanges {
  counts: Record<string, number>;
  /** One line for people: "removed 3 entries, restored 1 comment". */
  said: string;
  /** Warnings: what was left as it is, and why. */
  notes: string[];
}

/**
 * An undo refused because later operations depend on the one undone: the message speaks of
 * the operations; the command adds how to go ahead anyway (its --force).
 */
export class DependentsError extends ConflictError {
  constructor(
    message: string,
    readonly dependents: readonly Dependent[],
  ) {
    super(message);
  }
}

/** "1 entry", "2 entries". */
export function entries(count: number): string {
  return `${count} ${count === 1 ? 'entry' : 'entries'}`;
}

/** "(a, b, c, …)": the first values of `count`. */
export function examplesOf(values: readonly string[], count: number): string {
  return `(${values.join(', ')}${count > values.length ? ', …' : ''})`;
}
