import type { BinContributor, BinRecord } from '../bin/contributor.js';
import { contactDetailsOf } from '../contacts/service.js';
import { NotFoundError } from '../errors.js';
import {
  getPipeline,
  matchingStage,
  type Pipeline,
  requireType,
  type Semantic,
} from '../pipelines/service.js';
import type { Session } from '../session.js';
import { getUser } from '../users/service.js';
import {
  deleteItemRows,
  insertItemWithId,
  itemExists,
  relinkItem,
  type StoredItemRow,
  selectItemIdsLinkedTo,
  selectStoredItems,
  unlinkItems,
} from './repo.js';

/** An item's snapshot: its row, and the phones and emails its client showed for it. */
type StoredItem = StoredItemRow & { client_keys?: string[] };

/** The links an item holds, by the column that holds each. */
const linkColumns = [
  ['contact', 'contact_id'],
  ['company', 'company_id'],
] as const;

/**
 * The items' part of the recycle bin (src/registrations.ts): the item's row as stored, fields
 * included, with the names of its pipeline, stage and responsible user, which a restore falls
 * back by when those are gone. Its phones and emails are the contact details' part.
 */
export const itemsBinContributor: BinContributor = {
  name: 'item',
  kinds: ['item'],

  capture(session, _kind, ids) {
    const rows = selectStoredItems(session.db, ids);
    const detailsOf = (kind: 'contact' | 'company', column: 'contact_id' | 'company_id') =>
      contactDetailsOf(session, kind, uniqueIds(rows.map((row) => row[column])));
    const contacts = detailsOf('contact', 'contact_id');
    const companies = detailsOf('company', 'company_id');
    return new Map(
      rows.map((row) => {
        // What the item showed of its client, to find it by in the bin (deals have no phones of their own).
        const shown = [contacts.get(row.contact_id ?? 0), companies.get(row.company_id ?? 0)];
        const keys = shown.flatMap((d) => (d ? [...d.phones, ...d.emails.map(lower)] : []));
        const stored: StoredItem = { ...row, client_keys: [...new Set(keys)] };
        return [row.id, stored];
      }),
    );
  },

  remove(session, _kind, ids) {
    deleteItemRows(session.db, ids);
  },

  exists(session, _kind, id) {
    return itemExists(session.db, id);
  },

  searchKeys(captured) {
    return (captured as StoredItem).client_keys ?? [];
  },

  label(captured) {
    const row = captured as StoredItemRow;
    return { title: row.title, entityType: row.type };
  },

  links(captured) {
    const row = captured as StoredItemRow;
    const links: BinRecord[] = [];
    for (const [kind, column] of linkColumns) {
      const id = row[column];
      if (id !== null) links.push({ kind, id });
    }
    return links;
  },

  describe(captured) {
    const row = captured as StoredItemRow;
    return {
      type: row.type,
      pipeline: { id: row.pipeline_id, name: row.pipeline_name },
      stage: { id: row.stage_id, name: row.stage_name, semantic: row.stage_semantic },
      title: row.title,
      amount: row.amount,
      currency: row.currency,
      responsible: row.responsible_login,
      contactId: row.contact_id,
      companyId: row.company_id,
      source: row.source,
      fields: JSON.parse(row.fields) as Record<string, string>,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  },

  conflicts(session, record, captured, scope) {
    const row = captured as StoredItemRow;
    const problems: string[] = [];
    if (itemExists(session.db, record.id)) problems.push(`item ${record.id} exists already`);
    try {
      requireType(session, row.type);
    } catch {
      problems.push(`entity type "${row.type}" of item ${record.id} no longer exists`);
    }
    for (const [kind, column] of linkColumns) {
      const id = row[column];
      if (id === null || scope.dropLinks) continue;
      const linked = { kind, id };
      if (!scope.present(linked) && scope.inBin(linked) === undefined) {
        problems.push(
          `${kind} ${id}, which item ${record.id} links to, was purged or deleted permanently (add --drop-links to restore the item without it)`,
        );
      }
    }
    return problems;
  },

  restore(session, record, captured, scope) {
    const row = captured as StoredItemRow;
    const notes: string[] = [];
    const { pipeline, stage } = placeOf(session, row, notes);
    let responsible = row.responsible_id;
    if (responsible !== null && !sameUser(session, row)) {
      notes.push(
        `item ${record.id}: its responsible user ${row.responsible_login ?? `#${responsible}`} no longer exists: restored with none`,
      );
      responsible = null;
    }
    const links = { contact_id: row.contact_id, company_id: row.company_id };
    for (const [kind, column] of linkColumns) {
      const id = row[column];
      if (id === null || scope.present({ kind, id })) continue;
      links[column] = null;
      const binId = scope.inBin({ kind, id });
      notes.push(
        binId === undefined
          ? `item ${record.id}: its link to ${kind} ${id} is lost: that ${kind} was purged`
          : `item ${record.id}: its link to ${kind} ${id} is lost: that ${kind} is in the bin (entry ${binId}; restore both together, e.g. with --with-related)`,
      );
    }
    insertItemWithId(session.db, {
      id: record.id,
      type: row.type,
      pipeline_id: pipeline,
      stage_id: stage,
      title: row.title,
      amount: row.amount,
      currency: row.currency,
      responsible_id: responsible,
      contact_id: links.contact_id,
      company_id: links.company_id,
      source: row.source,
      fields: row.fields,
      created_at: row.created_at,
      updated_at: row.updated_at,
    });
    return notes;
  },
};

/**
 * The items' links to a contact or company deleted without them (`contact delete` without
 * --with-items): cut on delete, kept in the contact's (company's) snapshot, and re-made on its
 * restore for the items that exist and link to nothing else by then.
 */
export const itemLinksBinContributor: BinContributor = {
  name: 'itemLinks',
  kinds: ['contact', 'company'],

  capture(session, kind, ids) {
    const end = kind === 'contact' ? 'contact' : 'company';
    const linked = new Map<number, number[]>();
    for (const { id, linkedId } of selectItemIdsLinkedTo(session.db, end, ids)) {
      linked.set(linkedId, [...(linked.get(linkedId) ?? []), id]);
    }
    return linked;
  },

  remove(session, kind, ids) {
    const end = kind === 'contact' ? 'contact' : 'company';
    unlinkItems(
      session.db,
      end,
      selectItemIdsLinkedTo(session.db, end, ids).map((row) => row.id),
    );
  },

  describe(captured) {
    return { items: captured };
  },

  conflicts() {
    return [];
  },

  restore(session, record, captured) {
    const end = record.kind === 'contact' ? 'contact' : 'company';
    const notes: string[] = [];
    for (const itemId of captured as number[]) {
      // An item restored later in the same call carries the link itself.
      if (!itemExists(session.db, itemId)) continue;
      if (!relinkItem(session.db, end, itemId, record.id)) {
        notes.push(
          `${record.kind} ${record.id}: item ${itemId} links to another ${end} now: not re-linked`,
        );
      }
    }
    return notes;
  },
};

/**
 * Where a restored item goes: its own pipeline and stage while they exist; a stage that was
 * removed falls back to the stage of the same name, else the first of the same kind, of its
 * pipeline; a pipeline that was removed to the type's default pipeline. Said in `notes`.
 */
function placeOf(
  session: Session,
  row: StoredItemRow,
  notes: string[],
): { pipeline: number; stage: number } {
  const was = {
    name: row.stage_name ?? '',
    semantic: (row.stage_semantic ?? 'process') as Semantic,
  };
  let pipeline: Pipeline;
  try {
    pipeline = getPipeline(session, String(row.pipeline_id), row.type);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    pipeline = getPipeline(session, undefined, row.type);
    const stage = matchingStage(was, pipeline);
    notes.push(
      `item ${row.id}: its pipeline "${row.pipeline_name ?? row.pipeline_id}" no longer exists: restored to the default ${row.type} pipeline "${pipeline.name}", stage "${stage.name}"`,
    );
    return { pipeline: pipeline.id, stage: stage.id };
  }
  if (pipeline.stages.some((s) => s.id === row.stage_id))
    return { pipeline: pipeline.id, stage: row.stage_id };
  const stage = matchingStage(was, pipeline);
  notes.push(
    `item ${row.id}: its stage "${row.stage_name ?? row.stage_id}" no longer exists: restored to stage "${stage.name}" of "${pipeline.name}"`,
  );
  return { pipeline: pipeline.id, stage: stage.id };
}

function sameUser(session: Session, row: StoredItemRow): boolean {
  if (row.responsible_login === null) return false;
  try {
    return getUser(session, row.responsible_login).id === row.responsible_id;
  } catch {
    return false;
  }
}

function lower(text: string): string {
  return text.toLowerCase();
}

function uniqueIds(ids: (number | null)[]): number[] {
  return [...new Set(ids.filter((id): id is number => id !== null))];
}
