import type { Statement } from 'better-sqlite3';
import { UsageError } from '../errors.js';
import type { Database } from './store.js';

/**
 * The longest text a search takes: SQLite refuses LIKE patterns over 50,000 bytes ("LIKE or GLOB
 * pattern too complex"), and 10,000 UTF-16 units are at most 30,000 bytes of UTF-8.
 */
export const maxSearchLength = 10_000;

/** A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped (use with `ESCAPE '\'`). */
export function likePattern(text: string): string {
  if (text.length > maxSearchLength) {
    throw new UsageError(
      `a search text takes at most ${maxSearchLength} characters, not ${text.length}`,
    );
  }
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const statements = new WeakMap<Database, Map<string, Statement>>();

/** A prepared statement, prepared once per connection: for SQL that runs in loops. */
export function statement(db: Database, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}

/** One condition of a WHERE clause and its named parameters. */
export type Condition = readonly [sql: string, params: Record<string, unknown>];

/**
 * `sql` (with exactly one named parameter, `@name`) bound to `value`; nothing when the value is
 * undefined, so a filter left out adds no condition: `given(filter.type, 'type = @type')`.
 */
export function given(value: unknown, sql: string): Condition | undefined {
  if (value === undefined) return undefined;
  const name = /@(\w+)/.exec(sql)?.[1];
  if (!name) throw new Error(`no @parameter in condition: ${sql}`);
  return [sql, { [name]: value }];
}

/** The WHERE clause of the conditions given (undefined ones left out), joined with AND. */
export function whereOf(conditions: readonly (Condition | undefined)[]): {
  clause: string;
  params: Record<string, unknown>;
} {
  const present = conditions.filter((c): c is Condition => c !== undefined);
  return {
    clause: present.length ? `WHERE ${present.map(([sql]) => sql).join(' AND ')}` : '',
    params: Object.assign({}, ...present.map(([, params]) => params)),
  };
}
