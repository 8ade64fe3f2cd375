import { expect } from 'vitest';
import { type Crm, initStore, withDb } from '../e2e/support.js';

/** The glue tests: the built binary on a fresh store, on a fixed clock unless told otherwise. */
export const start = '2026-11-23T09:00:00Z';

export interface Glue {
  crm: Crm;
  /** Runs a command that must succeed; its stdout, trimmed. */
  ok(args: string[], now?: string): Promise<string>;
  /** Runs a command that must succeed with --json; its output parsed. */
  json<T>(args: string[], now?: string): Promise<T>;
}

export async function glue(): Promise<Glue> {
  const crm = await initStore({ now: start });
  const ok = async (args: string[], now?: string) => {
    const result = await crm(args, now ? { now } : {});
    expect(result.exitCode, `${args.join(' ')}\n${result.stderr}`).toBe(0);
    return result.stdout.trim();
  };
  const json = async <T>(args: string[], now?: string) =>
    JSON.parse(await ok([...args, '--json'], now)) as T;
  await ok(['settings', 'set', 'default-country', 'GB']);
  return { crm, ok, json };
}

/** The tables whose rows belong to an item by `item_id`, with no foreign key to it. */
export const itemTables = [
  'tasks',
  'outbox',
  'documents',
  'notifications',
  'automation_jobs',
  'automation_log',
] as const;

/** Rows of those tables whose item is not in the store: none, ever. */
export function orphans(path: string): Record<string, number> {
  return withDb(path, (db) =>
    Object.fromEntries(
      itemTables.map((table) => [
        table,
        db
          .prepare(
            `SELECT count(*) FROM ${table} WHERE item_id IS NOT NULL AND item_id NOT IN (SELECT id FROM items)`,
          )
          .pluck()
          .get() as number,
      ]),
    ),
  );
}

export const noOrphans = Object.fromEntries(itemTables.map((table) => [table, 0]));

/** The rows of those tables that belong to one item, by table, as stored. */
export function rowsOfItem(
  path: string,
  itemId: number,
): Record<(typeof itemTables)[number], unknown[]> {
  return withDb(
    path,
    (db) =>
      Object.fromEntries(
        itemTables.map((table) => [
          table,
          db.prepare(`SELECT * FROM ${table} WHERE item_id = ? ORDER BY id`).all(itemId),
        ]),
      ) as Record<(typeof itemTables)[number], unknown[]>,
  );
}

export async function dbCheckPasses(crm: Crm): Promise<void> {
  const check = await crm(['db', 'check', '--json']);
  expect(check.exitCode, check.stdout).toBe(0);
  expect(JSON.parse(check.stdout)).toMatchObject({ ok: true });
}
