import { contactDetailsOf, getCompany, getContact } from '../contacts/service.js';
import { ConflictError, UsageError } from '../errors.js';
import { addExceptions, type ExceptionEntry } from '../exceptions/service.js';
import { getItem, otherItemsLinkedTo } from '../items/service.js';
import type { Session } from '../session.js';
import type { BinRecord } from './contributor.js';
import { type DeleteResult, deleteRecords } from './service.js';

export interface AddItemToExceptionsOptions {
  /** `item` from `item add-to-exceptions` (the form's gear action), `rule` from the automation. */
  source: 'item' | 'rule';
  /** The entries' comment; default: the item named, or "Added by automation rule". */
  comment?: string;
}

export interface AddItemToExceptionsResult {
  operationId: number | null;
  dryRun: boolean;
  itemId: number;
  /** The item's values offered to the list. */
  values: string[];
  added: ExceptionEntry[];
  /** Values that were listed already. */
  duplicates: string[];
  deleted: DeleteResult['entries'];
  /** Why the item's contact or company stayed. */
  kept: { kind: 'contact' | 'company'; id: number; reason: string }[];
}

/**
 * "Add to exceptions" from an item (DESIGN §2 and §3, seeds 000 and 001), in the caller's write,
 * as one operation: the phones and emails of a lead (its own), or of a deal's (quote's …)
 * contact and company, go on the exceptions list with `source`; then the item goes to the bin,
 * with — for a deal — its contact when it has no other items and no company links but this
 * deal's company, and its company when it has no other items and no contact links but this
 * deal's contact. A lead's contact and company always stay. Nothing to add refuses (exit 5).
 * `crmctl undo OP` takes the whole operation back.
 */
export function addItemToExceptions(
  session: Session,
  itemId: number,
  options: AddItemToExceptionsOptions,
): AddItemToExceptionsResult {
  session.requireWrite('adding to exceptions');
  const item = getItem(session, itemId);
  const isLead = item.type === 'lead';
  const own = contactDetailsOf(session, 'item', [item.id]).get(item.id) ?? {
    phones: [],
    emails: [],
  };
  const contact = !isLead && item.contactId !== null ? getContact(session, item.contactId) : null;
  const company = !isLead && item.companyId !== null ? getCompany(session, item.companyId) : null;
  const values = [
    ...new Set([
      ...own.phones,
      ...(contact?.phones ?? []),
      ...(company?.phones ?? []),
      ...own.emails,
      ...(contact?.emails ?? []),
      ...(company?.emails ?? []),
    ]),
  ];
  if (values.length === 0) {
    const whose = isLead ? 'it has' : 'neither it nor its contact or company has';
    throw new ConflictError(
      `nothing to add to the exceptions list: ${item.type} ${item.id} "${item.title}": ${whose} a phone or email; nothing was changed`,
    );
  }
  const comment =
    options.comment ??
    (options.source === 'rule'
      ? 'Added by automation rule'
      : `Added from ${item.type} ${item.id} "${item.title}"`);
  const listed = addExceptions(session, {
    entries: values.map((value) => `${value};${comment}`),
    source: options.source,
  });
  const [rejected] = listed.rejected;
  if (rejected)
    throw new UsageError(`the comment cannot be used: ${rejected.message}; nothing was changed`);
  const records: BinRecord[] = [{ kind: 'item', id: item.id }];
  const kept: AddItemToExceptionsResult['kept'] = [];
  if (contact) {
    const others = otherItemsLinkedTo(session, 'contact', contact.id, item.id);
    const otherCompanies = contact.companyIds.filter((id) => id !== item.companyId);
    if (others > 0)
      kept.push({ kind: 'contact', id: contact.id, reason: `it has ${others} other item(s)` });
    else if (otherCompanies.length > 0)
      kept.push({
        kind: 'contact',
        id: contact.id,
        reason: `it is linked to other companies (${otherCompanies.join(', ')})`,
      });
    else records.push({ kind: 'contact', id: contact.id });
  }
  if (company) {
    const others = otherItemsLinkedTo(session, 'company', company.id, item.id);
    const otherContacts = company.contactIds.filter((id) => id !== item.contactId);
    if (others > 0)
      kept.push({ kind: 'company', id: company.id, reason: `it has ${others} other item(s)` });
    else if (otherContacts.length > 0)
      kept.push({
        kind: 'company',
        id: company.id,
        reason: `it has other contacts (${otherContacts.join(', ')})`,
      });
    else records.push({ kind: 'company', id: company.id });
  }
  const deleted = deleteRecords(session, records);
  return {
    operationId: deleted.operationId,
    dryRun: false,
    itemId: item.id,
    values,
    added: listed.added,
    duplicates: listed.duplicates.map((d) => d.existing.value),
    deleted: deleted.entries,
    kept,
  };
}
