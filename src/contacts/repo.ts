import type { Paging } from '../listing.js';
import { pagedRows } from '../store/pages.js';
import { given, likePattern, statement, whereOf } from '../store/sql.js';
import type { Database } from '../store/store.js';

export type OwnerType = 'item' | 'contact' | 'company';
export type PartyTable = 'contacts' | 'companies';

export interface PartyRow {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface ContactPointRow {
  owner_type: OwnerType;
  owner_id: number;
  kind: 'phone' | 'email';
  value: string;
  match_key: string;
  raw: string;
}

export function insertParty(
  db: Database,
  table: PartyTable,
  party: { name: string; createdAt: string },
): number {
  const result = statement(
    db,
    `INSERT INTO ${table} (name, created_at, updated_at) VALUES (?, ?, ?)`,
  ).run(party.name, party.createdAt, party.createdAt);
  return Number(result.lastInsertRowid);
}

export function updatePartyRow(
  db: Database,
  table: PartyTable,
  id: number,
  party: { name: string; updatedAt: string },
): void {
  statement(db, `UPDATE ${table} SET name = ?, updated_at = ? WHERE id = ?`).run(
    party.name,
    party.updatedAt,
    id,
  );
}

export function touchParty(db: Database, table: PartyTable, id: number, updatedAt: string): void {
  statement(db, `UPDATE ${table} SET updated_at = ? WHERE id = ?`).run(updatedAt, id);
}

export function selectParty(db: Database, table: PartyTable, id: number): PartyRow | undefined {
  return statement(db, `SELECT * FROM ${table} WHERE id = ?`).get(id) as PartyRow | undefined;
}

export interface PartyFilter extends Paging {
  nameContains?: string;
  ids?: number[];
}

function partyWhere(filter: PartyFilter) {
  return whereOf([
    given(
      filter.nameContains === undefined ? undefined : likePattern(filter.nameContains),
      `name LIKE @pattern ESCAPE '\\'`,
    ),
    given(filter.ids && JSON.stringify(filter.ids), 'id IN (SELECT value FROM json_each(@ids))'),
  ]);
}

/** The contacts or companies matching a filter in id order, read lazily. */
export function* iterateParties(
  db: Database,
  table: PartyTable,
  filter: PartyFilter,
): Generator<PartyRow> {
  const { clause, params } = partyWhere(filter);
  yield* pagedRows<PartyRow>(db, `SELECT * FROM ${table} ${clause} ORDER BY id`, params, filter);
}

export function countParties(db: Database, table: PartyTable, filter: PartyFilter): number {
  const { clause, params } = partyWhere(filter);
  return db.prepare(`SELECT count(*) FROM ${table} ${clause}`).pluck().get(params) as number;
}

export function insertContactPoints(db: Database, rows: ContactPointRow[]): void {
  const insert = statement(
    db,
    `INSERT INTO contact_points (owner_type, owner_id, kind, value, match_key, raw)
     VALUES (@owner_type, @owner_id, @kind, @value, @match_key, @raw)`,
  );
  for (const row of rows) insert.run(row);
}

export function deleteContactPoints(
  db: Database,
  ownerType: OwnerType,
  ownerId: number,
  kind: 'phone' | 'email',
): void {
  statement(
    db,
    'DELETE FROM contact_points WHERE owner_type = ? AND owner_id = ? AND kind = ?',
  ).run(ownerType, ownerId, kind);
}

/** Contact points of many owners of one type, in the order they were given. */
export function selectContactPoints(
  db: Database,
  ownerType: OwnerType,
  ownerIds: number[],
): ContactPointRow[] {
  if (ownerIds.length === 0) return [];
  // One owner (an item read on its own): a plain lookup, about 3 µs cheaper than json_each.
  if (ownerIds.length === 1) {
    return statement(
      db,
      `SELECT owner_type, owner_id, kind, value, match_key, raw FROM contact_points
         WHERE owner_type = ? AND owner_id = ? ORDER BY id`,
    ).all(ownerType, ownerIds[0]) as ContactPointRow[];
  }
  return statement(
    db,
    `SELECT owner_type, owner_id, kind, value, match_key, raw FROM contact_points
       WHERE owner_type = ? AND owner_id IN (SELECT value FROM json_each(?))
       ORDER BY owner_id, id`,
  ).all(ownerType, JSON.stringify(ownerIds)) as ContactPointRow[];
}

export function selectOwnersByKey(
  db: Database,
  kind: 'phone' | 'email',
  matchKey: string,
): { owner_type: OwnerType; owner_id: number }[] {
  return statement(
    db,
    'SELECT DISTINCT owner_type, owner_id FROM contact_points WHERE match_key = ? AND kind = ?',
  ).all(matchKey, kind) as { owner_type: OwnerType; owner_id: number }[];
}

/** One end of a link between a contact and a company. */
export type LinkEnd = 'contact' | 'company';

const otherEnd = { contact: 'company', company: 'contact' } as const;

/** Replaces the links of one contact (or company) with links to `linkedIds` at the other end. */
export function replaceLinks(db: Database, end: LinkEnd, id: number, linkedIds: number[]): void {
  statement(db, `DELETE FROM contact_companies WHERE ${end}_id = ?`).run(id);
  const link = statement(
    db,
    `INSERT INTO contact_companies (${end}_id, ${otherEnd[end]}_id) VALUES (?, ?)`,
  );
  for (const linkedId of new Set(linkedIds)) link.run(id, linkedId);
}

/** The links of many contacts (or companies): each with the id at its other end, in id order. */
export function selectLinks(
  db: Database,
  end: LinkEnd,
  ids: number[],
): { id: number; linkedId: number }[] {
  return statement(
    db,
    `SELECT ${end}_id AS id, ${otherEnd[end]}_id AS linkedId FROM contact_companies
       WHERE ${end}_id IN (SELECT value FROM json_each(?)) ORDER BY linkedId`,
  ).all(JSON.stringify(ids)) as { id: number; linkedId: number }[];
}

/** Contacts or companies as stored, those of `ids` that exist, in id order. */
export function selectParties(db: Database, table: PartyTable, ids: readonly number[]): PartyRow[] {
  return statement(
    db,
    `SELECT * FROM ${table} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  ).all(JSON.stringify(ids)) as PartyRow[];
}

export function deleteParties(db: Database, table: PartyTable, ids: readonly number[]): void {
  statement(db, `DELETE FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`).run(
    JSON.stringify(ids),
  );
}

/** Puts a contact or company back under its own id (the recycle bin's restore). */
export function insertPartyWithId(db: Database, table: PartyTable, row: PartyRow): void {
  statement(
    db,
    `INSERT INTO ${table} (id, name, created_at, updated_at) VALUES (@id, @name, @created_at, @updated_at)`,
  ).run(row);
}

export function partyExists(db: Database, table: PartyTable, id: number): boolean {
  return statement(db, `SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
}

export function deleteContactPointsOf(
  db: Database,
  ownerType: OwnerType,
  ownerIds: readonly number[],
): void {
  statement(
    db,
    'DELETE FROM contact_points WHERE owner_type = ? AND owner_id IN (SELECT value FROM json_each(?))',
  ).run(ownerType, JSON.stringify(ownerIds));
}

/** Links a contact and a company, unless they are linked already. */
export function insertLink(db: Database, contactId: number, companyId: number): void {
  statement(
    db,
    'INSERT INTO contact_companies (contact_id, company_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
  ).run(contactId, companyId);
}

export function deleteLinksOf(db: Database, end: LinkEnd, ids: readonly number[]): void {
  statement(
    db,
    `DELETE FROM contact_companies WHERE ${end}_id IN (SELECT value FROM json_each(?))`,
  ).run(JSON.stringify(ids));
}
