import { normaliseEmail } from '../contact-details/email.js';
import { normalisePhone } from '../contact-details/phone.js';
import { NotFoundError, UsageError } from '../errors.js';
import { recordChange } from '../history/service.js';
import { afterOffset, inPages, type Listing, type Paging } from '../listing.js';
import { nowIso, type Session } from '../session.js';
import { defaultCountry } from '../settings/service.js';
import { checkDisplayText } from '../text.js';
import {
  type ContactPointRow,
  countParties,
  deleteContactPoints,
  insertContactPoints,
  insertParty,
  iterateParties,
  type OwnerType,
  type PartyRow,
  type PartyTable,
  replaceLinks,
  selectContactPoints,
  selectLinks,
  selectOwnersByKey,
  selectParty,
  touchParty,
  updatePartyRow,
} from './repo.js';

export type { OwnerType } from './repo.js';

export interface Owner {
  type: OwnerType;
  id: number;
}

export interface ContactDetails {
  phones: string[];
  emails: string[];
}

/** A phone or email checked and normalised, ready to store. */
export interface ContactPoint {
  kind: 'phone' | 'email';
  value: string;
  key: string;
  raw: string;
}

/** DESIGN §8a contact; `companyIds` is an addition. */
export interface Contact extends ContactDetails {
  id: number;
  name: string;
  companyIds: number[];
  createdAt: string;
  updatedAt: string;
}

/** DESIGN §8a company; `contactIds` is an addition. */
export interface Company extends ContactDetails {
  id: number;
  name: string;
  contactIds: number[];
  createdAt: string;
  updatedAt: string;
}

export type PartyKind = 'contact' | 'company';

const tableOf: Record<PartyKind, PartyTable> = { contact: 'contacts', company: 'companies' };

/** A phone or email that cannot be stored: the value as given, and why (a reason code). */
export class ContactValueError extends UsageError {
  constructor(
    readonly kind: 'phone' | 'email',
    readonly raw: string,
    readonly reason: string,
    readonly detail: string,
  ) {
    super(`${kind} ${JSON.stringify(raw)}: ${detail} (${reason})`);
  }
}

/** Normalises phones and emails to store; the first bad one is a ContactValueError. */
export function parseContactDetails(
  session: Session,
  details: { phones?: string[]; emails?: string[]; country?: string },
): ContactPoint[] {
  const country = details.phones?.length ? (details.country ?? defaultCountry(session)) : undefined;
  return dedupe([
    ...(details.phones ?? []).map((raw) => contactPointOf('phone', raw, country)),
    ...(details.emails ?? []).map((raw) => contactPointOf('email', raw)),
  ]);
}

/** Reads one phone or email given as a filter; any spelling of a number matches. */
export function parseLookupValue(
  session: Session,
  kind: 'phone' | 'email',
  raw: string,
  country?: string,
): string {
  const phoneCountry = kind === 'phone' ? (country ?? defaultCountry(session)) : undefined;
  return contactPointOf(kind, raw, phoneCountry).key;
}

function contactPointOf(kind: 'phone' | 'email', raw: string, country?: string): ContactPoint {
  const result = kind === 'phone' ? phoneOf(raw, country) : normaliseEmail(raw);
  if (!result.ok) throw new ContactValueError(kind, raw, result.reason, result.message);
  return { kind, value: result.value, key: result.key, raw };
}

/**
 * normalisePhone, its answers kept: it is a pure function of the spelling and the country, and
 * a long-running process (a replay starting a lead for each new caller) reads the same numbers
 * again. At most `maxPhones` kept; spellings over 100 characters are not.
 */
function phoneOf(raw: string, country: string | undefined): ReturnType<typeof normalisePhone> {
  const key = `${country ?? ''} ${raw}`;
  const known = phones.get(key);
  if (known) return known;
  const result = normalisePhone(raw, country);
  if (raw.length <= 100) {
    if (phones.size >= maxPhones) phones.clear();
    phones.set(key, result);
  }
  return result;
}

const phones = new Map<string, ReturnType<typeof normalisePhone>>();
const maxPhones = 100_000;

/**
 * Replaces the phones and/or emails (`kinds`) of a record with `points` of those kinds.
 * Call inside a write transaction.
 */
export function replaceContactPoints(
  session: Session,
  owner: Owner,
  points: ContactPoint[],
  kinds: ('phone' | 'email')[] = ['phone', 'email'],
): void {
  const { db } = session;
  for (const kind of kinds) deleteContactPoints(db, owner.type, owner.id, kind);
  insertContactPoints(
    db,
    points
      .filter((p) => kinds.includes(p.kind))
      .map((p) => ({
        owner_type: owner.type,
        owner_id: owner.id,
        kind: p.kind,
        value: p.value,
        match_key: p.key,
        raw: p.raw,
      })),
  );
}

/** Phones and emails of many records of one type, keyed by record id. */
export function contactDetailsOf(
  session: Session,
  ownerType: OwnerType,
  ids: number[],
): Map<number, ContactDetails> {
  const details = new Map<number, ContactDetails>();
  for (const id of ids) details.set(id, { phones: [], emails: [] });
  for (const chunk of chunks(ids, 5000)) {
    for (const row of selectContactPoints(session.db, ownerType, chunk)) {
      addPoint(details.get(row.owner_id), row);
    }
  }
  return details;
}

/** Which records hold this phone (E.164) or email key. */
export function ownersOf(session: Session, kind: 'phone' | 'email', key: string): Owner[] {
  return selectOwnersByKey(session.db, kind, key).map((row) => ({
    type: row.owner_type,
    id: row.owner_id,
  }));
}

export interface AddPartyOptions {
  name: string;
  /** Country for phones written in national format (default: the default-country setting). */
  country?: string;
  phones?: string[];
  emails?: string[];
  /** For a contact, its companies; for a company, its contacts. */
  links?: number[];
}

export function addParty(session: Session, kind: PartyKind, options: AddPartyOptions): number {
  const name = checkPartyName(options.name, kind);
  const points = parseContactDetails(session, options);
  session.requireWrite();
  const id = insertParty(session.db, tableOf[kind], { name, createdAt: nowIso(session) });
  replaceContactPoints(session, { type: kind, id }, points);
  if (options.links) setLinks(session, kind, id, options.links);
  recordChange(session, {
    action: 'created',
    entity: { type: kind, id },
    changes: {
      name,
      phones: points.filter((p) => p.kind === 'phone').map((p) => p.value),
      emails: points.filter((p) => p.kind === 'email').map((p) => p.value),
      ...(options.links ? { links: options.links } : {}),
    },
  });
  return id;
}

export interface UpdatePartyOptions {
  name?: string;
  country?: string;
  phones?: string[];
  emails?: string[];
  links?: number[];
}

export function updateParty(
  session: Session,
  kind: PartyKind,
  id: number,
  options: UpdatePartyOptions,
) {
  const name = options.name === undefined ? undefined : checkPartyName(options.name, kind);
  const points =
    options.phones || options.emails ? parseContactDetails(session, options) : undefined;
  session.requireWrite();
  const before = getParty(session, kind, id);
  const changes: Record<string, unknown> = {};
  if (name !== undefined && name !== before.name) {
    updatePartyRow(session.db, tableOf[kind], id, { name, updatedAt: nowIso(session) });
    changes.name = { from: before.name, to: name };
  }
  if (points) {
    const kinds = replacedKinds(options);
    replaceContactPoints(session, { type: kind, id }, points, kinds);
    for (const replaced of kinds) {
      const field = replaced === 'phone' ? 'phones' : 'emails';
      const to = points.filter((p) => p.kind === replaced).map((p) => p.value);
      if (!sameList(before[field], to)) changes[field] = { from: before[field], to };
    }
  }
  if (options.links) {
    setLinks(session, kind, id, options.links);
    const to = [...new Set(options.links)].sort((a, b) => a - b);
    if (!sameList(linksOf(before), to)) changes.links = { from: linksOf(before), to };
  }
  if (Object.keys(changes).length > 0) {
    touchParty(session.db, tableOf[kind], id, nowIso(session));
    recordChange(session, { action: 'updated', entity: { type: kind, id }, changes });
  }
  return getParty(session, kind, id);
}

export function getContact(session: Session, id: number): Contact {
  return getParty(session, 'contact', id) as Contact;
}

export function getCompany(session: Session, id: number): Company {
  return getParty(session, 'company', id) as Company;
}

export function getParty(session: Session, kind: PartyKind, id: number): Contact | Company {
  const row = selectParty(session.db, tableOf[kind], id);
  if (!row) throw new NotFoundError(`no ${kind} with id ${id} (see crmctl ${kind} list)`);
  const [party] = toParties(session, kind, [row]);
  if (!party) throw new NotFoundError(`no ${kind} with id ${id}`);
  return party;
}

export interface ListPartiesOptions extends Paging {
  search?: string;
  country?: string;
  phone?: string;
  email?: string;
}

export function listParties(
  session: Session,
  kind: PartyKind,
  options: ListPartiesOptions,
): Listing<Contact | Company> {
  let ids: number[] | undefined;
  for (const [lookupKind, raw] of [
    ['phone', options.phone],
    ['email', options.email],
  ] as const) {
    if (raw === undefined) continue;
    const key = parseLookupValue(session, lookupKind, raw, options.country);
    const owners = ownersOf(session, lookupKind, key)
      .filter((o) => o.type === kind)
      .map((o) => o.id);
    ids = ids === undefined ? owners : ids.filter((id) => owners.includes(id));
  }
  const { db } = session;
  const filter = { nameContains: options.search, ids };
  const rows = iterateParties(db, tableOf[kind], {
    ...filter,
    limit: options.limit,
    offset: options.offset,
  });
  return {
    rows: inPages(rows, listPage, (page) => toParties(session, kind, page)),
    limited: options.limit !== undefined,
    total: () => afterOffset(countParties(db, tableOf[kind], filter), options.offset),
  };
}

/** Contacts and companies looked up (phones, emails, links) a page at a time while a list streams. */
const listPage = 1000;

function toParties(session: Session, kind: PartyKind, rows: PartyRow[]): (Contact | Company)[] {
  const ids = rows.map((r) => r.id);
  const details = contactDetailsOf(session, kind, ids);
  const links = groupLinks(selectLinks(session.db, kind, ids));
  return rows.map((row) => {
    const { phones, emails } = details.get(row.id) ?? { phones: [], emails: [] };
    const base = { id: row.id, name: row.name, phones, emails };
    const linked = links.get(row.id) ?? [];
    const times = { createdAt: row.created_at, updatedAt: row.updated_at };
    return kind === 'contact'
      ? { ...base, companyIds: linked, ...times }
      : { ...base, contactIds: linked, ...times };
  });
}

/** Which kinds of contact point an update replaces: those it names. */
export function replacedKinds(options: { phones?: string[]; emails?: string[] }) {
  const kinds: ('phone' | 'email')[] = [];
  if (options.phones) kinds.push('phone');
  if (options.emails) kinds.push('email');
  return kinds;
}

function setLinks(session: Session, kind: PartyKind, id: number, links: number[]): void {
  const other: PartyKind = kind === 'contact' ? 'company' : 'contact';
  for (const linkId of links) getParty(session, other, linkId);
  replaceLinks(session.db, kind, id, links);
}

function sameList<T>(a: T[], b: T[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function linksOf(party: Contact | Company): number[] {
  return 'companyIds' in party ? party.companyIds : party.contactIds;
}

function groupLinks(rows: { id: number; linkedId: number }[]): Map<number, number[]> {
  const grouped = new Map<number, number[]>();
  for (const row of rows) {
    const list = grouped.get(row.id) ?? [];
    list.push(row.linkedId);
    grouped.set(row.id, list);
  }
  return grouped;
}

function addPoint(details: ContactDetails | undefined, row: ContactPointRow): void {
  if (!details) return;
  const list = row.kind === 'phone' ? details.phones : details.emails;
  if (!list.includes(row.value)) list.push(row.value);
}

function dedupe(points: ContactPoint[]): ContactPoint[] {
  const seen = new Set<string>();
  return points.filter((p) => {
    if (seen.has(p.key)) return false;
    seen.add(p.key);
    return true;
  });
}

function checkPartyName(name: string, kind: PartyKind): string {
  return checkDisplayText(name, `a ${kind} name`, { min: 1, max: 200 });
}

function* chunks<T>(list: T[], size: number): Generator<T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}
