import type { BinContributor, BinKind } from '../bin/contributor.js';
import {
  type ContactPointRow,
  deleteContactPointsOf,
  deleteLinksOf,
  deleteParties,
  insertContactPoints,
  insertLink,
  insertPartyWithId,
  type OwnerType,
  type PartyRow,
  type PartyTable,
  partyExists,
  selectContactPoints,
  selectLinks,
  selectParties,
} from './repo.js';

const tableOf: Record<'contact' | 'company', PartyTable> = {
  contact: 'contacts',
  company: 'companies',
};

type PartyKind = 'contact' | 'company';

/** A contact's (company's) snapshot: its row and the ids at the other end of its links. */
interface StoredParty {
  row: PartyRow;
  links: number[];
  /** What the links point at: companies for a contact, contacts for a company. */
  linked: PartyKind;
}

const otherKind = (kind: BinKind): PartyKind => (kind === 'contact' ? 'company' : 'contact');

/**
 * Contacts' and companies' part of the recycle bin (src/registrations.ts): the row and the
 * contact–company links. A link comes back when the other end exists (or comes back in the same
 * restore); one whose other end is in the bin is lost, said aloud.
 */
export const partiesBinContributor: BinContributor = {
  name: 'party',
  kinds: ['contact', 'company'],

  capture(session, kind, ids) {
    const partyKind = kind as PartyKind;
    const links = new Map<number, number[]>();
    for (const { id, linkedId } of selectLinks(session.db, partyKind, [...ids])) {
      links.set(id, [...(links.get(id) ?? []), linkedId]);
    }
    return new Map(
      selectParties(session.db, tableOf[partyKind], ids).map((row) => {
        const stored: StoredParty = {
          row,
          links: links.get(row.id) ?? [],
          linked: otherKind(kind),
        };
        return [row.id, stored];
      }),
    );
  },

  remove(session, kind, ids) {
    deleteLinksOf(session.db, kind as PartyKind, ids);
    deleteParties(session.db, tableOf[kind as PartyKind], ids);
  },

  exists(session, kind, id) {
    return partyExists(session.db, tableOf[kind as PartyKind], id);
  },

  label(captured) {
    const { row } = captured as StoredParty;
    return { title: row.name, entityType: '' };
  },

  links(captured) {
    const { links, linked } = captured as StoredParty;
    return links.map((id) => ({ kind: linked, id }));
  },

  describe(captured) {
    const { row, links } = captured as StoredParty;
    return { name: row.name, links, createdAt: row.created_at, updatedAt: row.updated_at };
  },

  conflicts(session, record, captured, scope) {
    const { links } = captured as StoredParty;
    const kind = record.kind as PartyKind;
    const problems: string[] = [];
    if (partyExists(session.db, tableOf[kind], record.id))
      problems.push(`${kind} ${record.id} exists already`);
    if (scope.dropLinks) return problems;
    for (const id of links) {
      const other = { kind: otherKind(kind), id };
      if (!scope.present(other) && scope.inBin(other) === undefined) {
        problems.push(
          `${other.kind} ${id}, which ${kind} ${record.id} is linked to, was purged or deleted permanently (add --drop-links to restore without the link)`,
        );
      }
    }
    return problems;
  },

  restore(session, record, captured, scope) {
    const { row, links } = captured as StoredParty;
    const kind = record.kind as PartyKind;
    const other = otherKind(kind);
    insertPartyWithId(session.db, tableOf[kind], row);
    const notes: string[] = [];
    const link = (id: number) =>
      kind === 'contact'
        ? insertLink(session.db, record.id, id)
        : insertLink(session.db, id, record.id);
    for (const id of links) {
      if (partyExists(session.db, tableOf[other], id)) {
        link(id);
        continue;
      }
      if (scope.present({ kind: other, id })) {
        scope.afterRestore(() => link(id));
        continue;
      }
      const binId = scope.inBin({ kind: other, id });
      notes.push(
        binId === undefined
          ? `${kind} ${record.id}: its link to ${other} ${id} is lost: that ${other} was purged`
          : `${kind} ${record.id}: its link to ${other} ${id} is lost: that ${other} is in the bin (entry ${binId}; restore both together, e.g. with --with-related)`,
      );
    }
    return notes;
  },
};

/** A phone or email as stored. */
type StoredPoint = Omit<ContactPointRow, 'owner_type' | 'owner_id'>;

/**
 * The phones and emails of items (leads), contacts and companies (src/registrations.ts): taken
 * off with the record, so that it no longer matches inbound communication, and put back as they
 * were (value, key and spelling as given).
 */
export const contactDetailsBinContributor: BinContributor = {
  name: 'contactDetails',
  kinds: ['item', 'contact', 'company'],

  capture(session, kind, ids) {
    const points = new Map<number, StoredPoint[]>();
    for (const row of selectContactPoints(session.db, kind as OwnerType, [...ids])) {
      const { owner_type: _, owner_id, ...point } = row;
      points.set(owner_id, [...(points.get(owner_id) ?? []), point]);
    }
    return points;
  },

  remove(session, kind, ids) {
    deleteContactPointsOf(session.db, kind as OwnerType, ids);
  },

  searchKeys(captured) {
    return (captured as StoredPoint[]).map((point) => point.match_key);
  },

  describe(captured) {
    const points = captured as StoredPoint[];
    return {
      phones: points.filter((p) => p.kind === 'phone').map((p) => p.value),
      emails: points.filter((p) => p.kind === 'email').map((p) => p.value),
    };
  },

  conflicts() {
    return [];
  },

  restore(session, record, captured) {
    insertContactPoints(
      session.db,
      (captured as StoredPoint[]).map((point) => ({
        ...point,
        owner_type: record.kind as OwnerType,
        owner_id: record.id,
      })),
    );
    return [];
  },
};
