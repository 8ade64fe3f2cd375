import { UsageError } from '../errors.js';
import { type OutsideEventName, outsideEventNames } from '../events.js';
import { getItem, type Item, openItemsOfParty } from '../items/service.js';
import type { Session } from '../session.js';
import { normaliseField } from './engine.js';
import { eventInfo } from './triggers.js';

/** Who an event is about: one item, or a contact or company (then each of its open items). */
export type EventTarget = { item: number } | { contact: number } | { company: number };

export interface FireEventResult {
  event: string;
  /** The items the event was fired for. */
  items: number[];
}

/**
 * Fires an event of DESIGN §2 for an item, or for every open item of a contact or company
 * (`crmctl event NAME`); the triggers hear it inside the caller's write. `field-changed` and
 * `responsible-changed` are fired as the item events `item update` records.
 */
export function fireEvent(
  session: Session,
  name: string,
  target: EventTarget,
  params: Record<string, string> = {},
): FireEventResult {
  session.requireWrite('firing an event');
  const info = eventInfo(name);
  const known = new Set(info.eventParams.map((p) => p.name));
  for (const key of Object.keys(params)) {
    if (!known.has(key)) {
      throw new UsageError(
        `--param ${key}: ${name} carries no "${key}"${known.size ? `; it carries ${[...known].join(', ')}` : '; it carries nothing'}`,
      );
    }
  }
  if (name === 'field-changed' && !(params.fields ?? '').trim()) {
    throw new UsageError(
      'field-changed needs --param fields=NAME[,NAME…]: the fields that changed',
    );
  }
  const items: Item[] =
    'item' in target
      ? [getItem(session, target.item)]
      : 'contact' in target
        ? openItemsOfParty(session, 'contact', target.contact)
        : openItemsOfParty(session, 'company', target.company);
  for (const item of items) emitFor(session, name, item, params);
  return { event: name, items: items.map((item) => item.id) };
}

function emitFor(session: Session, name: string, item: Item, params: Record<string, string>): void {
  if (name === 'responsible-changed') {
    session.emit({
      type: 'responsible-changed',
      itemId: item.id,
      from: item.responsible,
      to: item.responsible,
    });
    return;
  }
  if (name === 'field-changed') {
    const changes: Record<string, { from: unknown; to: unknown }> = Object.create(null);
    for (const field of (params.fields ?? '').split(',').map(normaliseField).filter(Boolean)) {
      const value = field.startsWith('fields.') ? (item.fields[field.slice(7)] ?? null) : null;
      changes[field] = { from: value, to: value };
    }
    session.emit({ type: 'fields-changed', itemId: item.id, changes });
    return;
  }
  if (!(outsideEventNames as readonly string[]).includes(name)) return;
  session.emit({
    type: 'outside-event',
    event: name as OutsideEventName,
    itemId: item.id,
    params: { ...params },
  });
}
