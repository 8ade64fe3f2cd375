import {
  type ContactDetails,
  contactDetailsOf,
  getCompany,
  getContact,
  ownersOf,
  parseContactDetails,
  parseLookupValue,
  replaceContactPoints,
  replacedKinds,
} from '../contacts/service.js';
import { NotFoundError, UsageError } from '../errors.js';
import { type HistoryEntry, listHistory, recordChange } from '../history/service.js';
import { afterOffset, inPages, type Listing, type Paging } from '../listing.js';
import {
  firstStage,
  getPipeline,
  matchingStage,
  type Pipeline,
  removePipeline,
  removeStage,
  requireType,
  type Semantic,
  type Stage,
  stageOf,
} from '../pipelines/service.js';
import { nowIso, type Session, systemLogin } from '../session.js';
import { getSetting } from '../settings/service.js';
import { checkDisplayText } from '../text.js';
import { getUser, userIdOf } from '../users/service.js';
import {
  countItemsByStage as countByStage,
  countItems,
  countOtherItemsLinkedTo,
  type ItemFilter,
  type ItemRow,
  insertItem,
  itemWrites,
  iterateItems,
  selectItem,
  selectItemIdsInStage,
  selectItemIdsLinkedTo,
  selectItems,
  selectOpenItemsHolding,
  updateItemColumns,
} from './repo.js';

export const itemSources = ['manual', 'call', 'email', 'form', 'chat', 'import'] as const;
export type ItemSource = (typeof itemSources)[number];

/** A custom field an item cannot take: not a field name, or no value where one is needed. */
export class FieldError extends UsageError {
  /** What is wrong with it. */
  readonly detail: string;

  constructor(
    readonly key: string,
    readonly problem: 'bad-name' | 'no-value',
  ) {
    const detail =
      problem === 'bad-name'
        ? "a field name is a letter or '_' then letters, digits, '_', '.', '-'"
        : 'needs a value';
    super(`field "${key}": ${detail}`);
    this.detail = detail;
  }
}

/** Phones and emails given for an item that takes them from its contact or company. */
export class ClientDetailsError extends UsageError {
  constructor(readonly type: string) {
    super(`a ${type} takes its phones and emails from its contact or company`);
  }
}

/** Items of a pipeline or stage being removed, told to move into it. */
export class MoveIntoRemovedError extends UsageError {
  constructor(
    readonly removing: 'pipeline' | 'stage',
    /** The name of the pipeline or stage being removed. */
    readonly removed: string,
    /** Where the items were to go. */
    readonly target: { name: string; type: string },
  ) {
    super(
      removing === 'pipeline'
        ? `the items of pipeline "${removed}" cannot move into it while it is removed: they need another ${target.type} pipeline`
        : `the items of stage "${removed}" cannot move into it while it is removed: they need another stage of "${target.name}"`,
    );
  }
}

/** DESIGN §8a item. */
export interface Item {
  id: number;
  type: string;
  pipeline: { id: number; name: string };
  stage: { id: number; name: string; semantic: Semantic };
  title: string;
  amount: number | null;
  currency: string | null;
  responsible: string | null;
  contactId: number | null;
  companyId: number | null;
  source: string;
  phones: string[];
  emails: string[];
  fields: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  timeline?: HistoryEntry[];
}

export interface AddItemOptions {
  type?: string;
  pipeline?: string;
  stage?: string;
  title: string;
  amount?: number;
  currency?: string;
  responsible?: string;
  contact?: number;
  company?: number;
  source?: ItemSource;
  fields?: Record<string, string>;
  phones?: string[];
  emails?: string[];
  /** Country for phones written in national format (default: the default-country setting). */
  country?: string;
}

export function addItem(session: Session, options: AddItemOptions): Item {
  const title = checkTitle(options.title);
  session.requireWrite();
  const pipeline = getPipeline(session, options.pipeline, options.type);
  if (options.type !== undefined && pipeline.type !== options.type) {
    throw new UsageError(
      `pipeline "${pipeline.name}" is a ${pipeline.type} pipeline, not ${options.type}`,
    );
  }
  const points = ownPoints(session, pipeline.type, options);
  const stage = options.stage ? stageOf(pipeline, options.stage) : firstStage(pipeline);
  if (options.contact !== undefined) getContact(session, options.contact);
  if (options.company !== undefined) getCompany(session, options.company);
  const at = nowIso(session);
  const responsible = options.responsible ?? defaultResponsible(session);
  const id = insertItem(session.db, {
    type: pipeline.type,
    pipeline_id: pipeline.id,
    stage_id: stage.id,
    title,
    amount: options.amount ?? null,
    currency:
      options.amount === undefined && options.currency === undefined
        ? null
        : currencyOf(session, options.currency),
    responsible_id: responsible === null ? null : userIdOf(session, responsible),
    contact_id: options.contact ?? null,
    company_id: options.company ?? null,
    source: options.source ?? 'manual',
    fields: JSON.stringify(checkFields(options.fields ?? {})),
    created_at: at,
    updated_at: at,
  });
  replaceContactPoints(session, { type: 'item', id }, points);
  const item = getItem(session, id);
  recordChange(session, {
    action: 'created',
    entity: { type: 'item', id },
    changes: {
      type: item.type,
      pipeline: item.pipeline.name,
      stage: item.stage.name,
      title: item.title,
      source: item.source,
    },
  });
  session.emit({
    type: 'item-created',
    itemId: id,
    pipelineId: item.pipeline.id,
    stageId: item.stage.id,
  });
  return item;
}

export function getItem(session: Session, id: number, options: { timeline?: boolean } = {}): Item {
  const [item] = toItems(session, [itemRowOf(session, id)]);
  if (!item) throw new NotFoundError(`no item with id ${id}`);
  if (options.timeline) item.timeline = listHistory(session, { entity: { type: 'item', id } });
  return item;
}

/** The item's own row (with its pipeline, stage and responsible named), without its contact details. */
function itemRowOf(session: Session, id: number): ItemRow {
  const row = selectItem(session.db, id);
  if (!row) throw new NotFoundError(`no item with id ${id} (see crmctl item list)`);
  return row;
}

export interface ListItemsOptions extends Paging {
  type?: string;
  pipeline?: string;
  stage?: string;
  responsible?: string;
  phone?: string;
  email?: string;
  search?: string;
  country?: string;
}

/** Items looked up (phones, emails) a page at a time while a list streams. */
const listPage = 1000;

/** The items matching the filters, read as they are printed (memory flat however many). */
export function listItems(session: Session, options: ListItemsOptions): Listing<Item> {
  if (options.type !== undefined) requireType(session, options.type);
  const filter: ItemFilter = {
    type: options.type,
    titleContains: options.search,
    limit: options.limit,
    offset: options.offset,
  };
  if (options.pipeline !== undefined || options.stage !== undefined) {
    const pipeline = getPipeline(session, options.pipeline, options.type);
    filter.pipelineId = pipeline.id;
    if (options.stage !== undefined) filter.stageId = stageOf(pipeline, options.stage).id;
  }
  if (options.responsible !== undefined)
    filter.responsibleId = userIdOf(session, options.responsible);
  for (const [kind, raw] of [
    ['phone', options.phone],
    ['email', options.email],
  ] as const) {
    if (raw === undefined) continue;
    const owners = ownersOf(session, kind, parseLookupValue(session, kind, raw, options.country));
    const idsOf = (type: string) => owners.filter((o) => o.type === type).map((o) => o.id);
    const holders = {
      itemIds: idsOf('item'),
      contactIds: idsOf('contact'),
      companyIds: idsOf('company'),
    };
    // Two value filters must both hold: the second narrows to the items the first found.
    // (Over all of them: the limit and offset apply to the final result only.)
    if (filter.holders) {
      const narrowed = { ...filter, limit: undefined, offset: undefined };
      filter.ids = selectItems(session.db, narrowed).map((r) => r.id);
    }
    filter.holders = holders;
  }
  const { db } = session;
  return {
    rows: inPages(iterateItems(db, filter), listPage, (rows) => toItems(session, rows)),
    limited: options.limit !== undefined,
    total: () =>
      afterOffset(
        countItems(db, { ...filter, limit: undefined, offset: undefined }),
        options.offset,
      ),
  };
}

export interface UpdateItemOptions {
  title?: string;
  amount?: number | null;
  currency?: string;
  responsible?: string | null;
  contact?: number | null;
  company?: number | null;
  fields?: Record<string, string>;
  phones?: string[];
  emails?: string[];
  country?: string;
}

/** One field an update changed, as history records it. */
export interface ItemChange {
  from: unknown;
  to: unknown;
}

/**
 * Changes an item's fields (not its stage: see moveItems). A field given as empty is removed.
 * Returns what changed (nothing: no history, no events); read the item back with getItem.
 */
export function updateItem(
  session: Session,
  id: number,
  options: UpdateItemOptions,
): Record<string, ItemChange> {
  const title = options.title === undefined ? undefined : checkTitle(options.title);
  session.requireWrite();
  const row = itemRowOf(session, id);
  const before = {
    title: row.title,
    amount: row.amount,
    currency: row.currency,
    responsible: row.responsible_login,
    contactId: row.contact_id,
    companyId: row.company_id,
    fields: JSON.parse(row.fields) as Record<string, string>,
  };
  const points = ownPoints(session, row.type, options);
  const columns: Parameters<typeof updateItemColumns>[2] = {};
  const changes: Record<string, ItemChange> = {};
  const change = (field: string, from: unknown, to: unknown) => {
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  };
  if (title !== undefined) {
    columns.title = title;
    change('title', before.title, title);
  }
  if (options.amount !== undefined) {
    columns.amount = options.amount;
    columns.currency =
      options.amount === null
        ? null
        : currencyOf(session, options.currency ?? before.currency ?? undefined);
    change('amount', before.amount, columns.amount);
    change('currency', before.currency, columns.currency);
  } else if (options.currency !== undefined) {
    columns.currency = currencyOf(session, options.currency);
    change('currency', before.currency, columns.currency);
  }
  if (options.responsible !== undefined) {
    columns.responsible_id =
      options.responsible === null ? null : userIdOf(session, options.responsible);
    change(
      'responsible',
      before.responsible,
      options.responsible === null ? null : getUserLogin(session, options.responsible),
    );
  }
  if (options.contact !== undefined) {
    if (options.contact !== null) getContact(session, options.contact);
    columns.contact_id = options.contact;
    change('contactId', before.contactId, options.contact);
  }
  if (options.company !== undefined) {
    if (options.company !== null) getCompany(session, options.company);
    columns.company_id = options.company;
    change('companyId', before.companyId, options.company);
  }
  if (options.fields !== undefined) {
    const fields = new Map(Object.entries(before.fields));
    for (const [key, value] of Object.entries(checkFields(options.fields, true))) {
      const from = fields.get(key) ?? null;
      if (value === '') fields.delete(key);
      else fields.set(key, value);
      change(`fields.${key}`, from, fields.get(key) ?? null);
    }
    columns.fields = JSON.stringify(Object.fromEntries(fields));
  }
  if (points.length > 0 || options.phones || options.emails) {
    // The item's own values: `before` also shows its contact's and company's.
    const own = contactDetailsOf(session, 'item', [id]).get(id) ?? { phones: [], emails: [] };
    replaceContactPoints(session, { type: 'item', id }, points, replacedKinds(options));
    if (options.phones)
      change(
        'phones',
        own.phones,
        points.filter((p) => p.kind === 'phone').map((p) => p.value),
      );
    if (options.emails)
      change(
        'emails',
        own.emails,
        points.filter((p) => p.kind === 'email').map((p) => p.value),
      );
  }
  if (Object.keys(changes).length === 0) return changes;
  columns.updated_at = nowIso(session);
  updateItemColumns(session.db, id, columns);
  recordChange(session, { action: 'updated', entity: { type: 'item', id }, changes });
  emitChangeEvents(session, id, changes);
  return changes;
}

/** A change of responsible is its own event (triggers watch it); every other change is a field change. */
function emitChangeEvents(
  session: Session,
  itemId: number,
  changes: Record<string, ItemChange>,
): void {
  const { responsible, ...fields } = changes;
  if (responsible) {
    session.emit({
      type: 'responsible-changed',
      itemId,
      from: responsible.from as string | null,
      to: responsible.to as string | null,
    });
  }
  if (Object.keys(fields).length > 0)
    session.emit({ type: 'fields-changed', itemId, changes: fields });
}

export interface MoveItemsOptions {
  ids: number[];
  /** Also every item now in this stage (of `fromPipeline`, else of the target pipeline). */
  fromStage?: string;
  fromPipeline?: string;
  /**
   * Target stage, by name or id, in the target pipeline. Without it (a change of pipeline),
   * the stage of the same name, else the first of the same kind.
   */
  stage?: string;
  /** Target pipeline (same entity type); without it, each item's own. */
  pipeline?: string;
}

export interface ItemMove {
  id: number;
  from: { pipeline: string; stage: string };
  to: { pipeline: string; stage: string };
}

export interface MoveItemsResult {
  moved: number;
  unchanged: number;
  moves: ItemMove[];
}

/**
 * Moves items to a stage (and pipeline). Items already there are left as they are. Each item's
 * automation (the rules of the stage it entered, the triggers) runs right after it moves, before
 * the next one moves: a move of 100,000 items holds no queue of 100,000 events. `onProgress`
 * hears how many of how many are done.
 */
export function moveItems(
  session: Session,
  options: MoveItemsOptions,
  onProgress?: (done: number, total: number) => void,
): MoveItemsResult {
  session.requireWrite('moving items');
  const ids = options.ids.slice();
  if (options.fromStage !== undefined) {
    const pipeline = getPipeline(session, options.fromPipeline ?? options.pipeline);
    // A stage may hold hundreds of thousands of items: no spread into push().
    for (const id of itemIdsInStage(session, stageOf(pipeline, options.fromStage).id)) ids.push(id);
  }
  const result: MoveItemsResult = { moved: 0, unchanged: 0, moves: [] };
  const pipelines = new Map<string, Pipeline>();
  const pipelineOf = (ref: string | undefined, type: string) => {
    const key = `${type}:${ref}`;
    let pipeline = pipelines.get(key);
    if (!pipeline) {
      pipeline = getPipeline(session, ref, type);
      pipelines.set(key, pipeline);
    }
    return pipeline;
  };
  // One object per place, shared by every move from or to it.
  const places = new Map<string, ItemMove['from']>();
  const placeOf = (pipeline: string, stage: string) => {
    const key = JSON.stringify([pipeline, stage]);
    let place = places.get(key);
    if (!place) {
      place = { pipeline, stage };
      places.set(key, place);
    }
    return place;
  };
  for (const id of ids) {
    // The row alone: a move needs no phones or emails (a stage of 100,000 items moves at once).
    const item = itemRowOf(session, id);
    const target = pipelineOf(options.pipeline ?? String(item.pipeline_id), item.type);
    const stage =
      options.stage === undefined
        ? matchingStage(
            { name: item.stage_name, semantic: item.stage_semantic as Semantic },
            target,
          )
        : stageOf(target, options.stage);
    if (stage.id === item.stage_id) {
      result.unchanged++;
    } else {
      applyMove(session, item, target, stage);
      result.moved++;
      result.moves.push({
        id,
        from: placeOf(item.pipeline_name, item.stage_name),
        to: placeOf(target.name, stage.name),
      });
      session.deliverEvents();
    }
    onProgress?.(result.moved + result.unchanged, ids.length);
  }
  return result;
}

/** The ids of the items in a stage, e.g. to move them all. */
function itemIdsInStage(session: Session, stageId: number): number[] {
  return selectItemIdsInStage(session.db, stageId);
}

/** Moves every item of a stage to the matching stage of another pipeline (or a stage of the same). */
function moveItemsOutOfStage(
  session: Session,
  from: Stage,
  to: { pipeline?: string; stage?: string; type: string },
): MoveItemsResult {
  const target = getPipeline(session, to.pipeline, to.type);
  if (to.stage === undefined && target.id === from.pipelineId) {
    throw new MoveIntoRemovedError('pipeline', target.name, target);
  }
  const stage = to.stage ? stageOf(target, to.stage) : matchingStage(from, target);
  if (stage.id === from.id) throw new MoveIntoRemovedError('stage', from.name, target);
  const ids = itemIdsInStage(session, from.id);
  if (ids.length === 0) return { moved: 0, unchanged: 0, moves: [] };
  return moveItems(session, { ids, stage: String(stage.id), pipeline: String(target.id) });
}

/** Removes a pipeline, first moving its items (when `moveItemsTo` names another pipeline). */
export function removePipelineMovingItems(
  session: Session,
  ref: string,
  options: { type?: string; moveItemsTo?: string },
): Pipeline & { movedItems: number } {
  session.requireWrite('removing a pipeline');
  const target = getPipeline(session, ref, options.type);
  let moved = 0;
  if (options.moveItemsTo !== undefined) {
    for (const stage of target.stages) {
      moved += moveItemsOutOfStage(session, stage, {
        pipeline: options.moveItemsTo,
        type: target.type,
      }).moved;
    }
  }
  return { ...removePipeline(session, String(target.id)), movedItems: moved };
}

/** Removes a stage, first moving its items (when `moveItemsTo` names another stage of its pipeline). */
export function removeStageMovingItems(
  session: Session,
  options: { pipeline?: string; type?: string; stage: string; moveItemsTo?: string },
): Stage & { items: number } {
  session.requireWrite('removing a stage');
  const target = getPipeline(session, options.pipeline, options.type);
  const doomed = stageOf(target, options.stage);
  let moved = 0;
  if (options.moveItemsTo !== undefined) {
    moved = moveItemsOutOfStage(session, doomed, {
      pipeline: String(target.id),
      stage: options.moveItemsTo,
      type: target.type,
    }).moved;
  }
  return {
    ...removeStage(session, { pipeline: String(target.id), stage: String(doomed.id) }),
    items: moved,
  };
}

/**
 * The open items (not in a final stage) that hold a phone or email, their own or through their
 * contact or company, most recently changed first.
 */
/**
 * The open items (in a process stage) holding a phone or email (their own, or their contact's or
 * company's), the latest changed first: what inbound attaches a communication to. One indexed
 * query; only the ids and types are read.
 */
export function openItemsWithContactValue(
  session: Session,
  kind: 'phone' | 'email',
  key: string,
): { id: number; type: string }[] {
  return selectOpenItemsHolding(session.db, kind, key);
}

export function countItemsByStage(session: Session, pipelineId: number): Map<number, number> {
  return countByStage(session.db, pipelineId);
}

function applyMove(session: Session, item: ItemRow, pipeline: Pipeline, stage: Stage): void {
  // The pipeline only when it changes: setting a column rewrites its index entry all the same.
  updateItemColumns(session.db, item.id, {
    ...(pipeline.id === item.pipeline_id ? {} : { pipeline_id: pipeline.id }),
    stage_id: stage.id,
    updated_at: nowIso(session),
  });
  const changes: Record<string, unknown> = { stage: { from: item.stage_name, to: stage.name } };
  if (pipeline.id !== item.pipeline_id) {
    changes.pipeline = { from: item.pipeline_name, to: pipeline.name };
  }
  recordChange(session, {
    action: 'stage-changed',
    entity: { type: 'item', id: item.id },
    changes,
  });
  session.emit({
    type: 'stage-entered',
    itemId: item.id,
    from: { pipelineId: item.pipeline_id, stageId: item.stage_id },
    to: { pipelineId: pipeline.id, stageId: stage.id },
  });
}

function toItems(session: Session, rows: ItemRow[]): Item[] {
  const own = contactDetailsOf(
    session,
    'item',
    rows.map((r) => r.id),
  );
  const contacts = contactDetailsOf(session, 'contact', uniqueIds(rows.map((r) => r.contact_id)));
  const companies = contactDetailsOf(session, 'company', uniqueIds(rows.map((r) => r.company_id)));
  return rows.map((row) => {
    const details = mergeDetails([
      own.get(row.id),
      row.contact_id === null ? undefined : contacts.get(row.contact_id),
      row.company_id === null ? undefined : companies.get(row.company_id),
    ]);
    return {
      id: row.id,
      type: row.type,
      pipeline: { id: row.pipeline_id, name: row.pipeline_name },
      stage: { id: row.stage_id, name: row.stage_name, semantic: row.stage_semantic as Semantic },
      title: row.title,
      amount: row.amount,
      currency: row.currency,
      responsible: row.responsible_login,
      contactId: row.contact_id,
      companyId: row.company_id,
      source: row.source,
      phones: details.phones,
      emails: details.emails,
      fields: JSON.parse(row.fields) as Record<string, string>,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  });
}

/** An item's phones and emails: its own (leads), then its contact's, then its company's. */
function mergeDetails(sources: (ContactDetails | undefined)[]): ContactDetails {
  const merged: ContactDetails = { phones: [], emails: [] };
  for (const source of sources) {
    if (!source) continue;
    for (const phone of source.phones)
      if (!merged.phones.includes(phone)) merged.phones.push(phone);
    for (const email of source.emails)
      if (!merged.emails.includes(email)) merged.emails.push(email);
  }
  return merged;
}

/** Leads hold their own phones and emails; other items take them from their contact or company. */
function ownPoints(
  session: Session,
  type: string,
  options: { phones?: string[]; emails?: string[] },
) {
  if ((options.phones?.length || options.emails?.length) && type !== 'lead') {
    throw new ClientDetailsError(type);
  }
  return parseContactDetails(session, options);
}

function defaultResponsible(session: Session): string | null {
  return session.actor.login === systemLogin ? null : session.actor.login;
}

/** The login as stored (users are found in any case). */
function getUserLogin(session: Session, login: string): string {
  return getUser(session, login).login;
}

function currencyOf(session: Session, currency: string | undefined): string {
  const code = (currency ?? getSetting(session, 'currency').value ?? 'USD').trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code))
    throw new UsageError(`"${currency}" is not a three-letter currency code`);
  return code;
}

function checkTitle(title: string): string {
  return checkDisplayText(title, 'a title', { min: 1, max: 500 });
}

function checkFields(fields: Record<string, string>, allowEmpty = false): Record<string, string> {
  for (const [key, value] of Object.entries(fields)) {
    if (!/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(key)) throw new FieldError(key, 'bad-name');
    if (!allowEmpty && value === '') throw new FieldError(key, 'no-value');
  }
  return fields;
}

function uniqueIds(ids: (number | null)[]): number[] {
  return [...new Set(ids.filter((id): id is number => id !== null))];
}

/** The open items (not in a final stage) of a contact or company: an event about it fans out to them. */
export function openItemsOfParty(
  session: Session,
  kind: 'contact' | 'company',
  id: number,
): Item[] {
  if (kind === 'contact') getContact(session, id);
  else getCompany(session, id);
  const rows = selectItems(session.db, {
    holders: {
      itemIds: [],
      contactIds: kind === 'contact' ? [id] : [],
      companyIds: kind === 'company' ? [id] : [],
    },
  });
  return toItems(session, rows)
    .filter((item) => item.stage.semantic === 'process')
    .sort((a, b) => a.id - b.id);
}

/**
 * The ids of the items in a stage (of `pipeline`, else of the default pipeline of `type`): what
 * `item delete --stage` deletes.
 */
export function itemIdsInStageOf(
  session: Session,
  options: { stage: string; pipeline?: string; type?: string },
): number[] {
  const pipeline = getPipeline(session, options.pipeline, options.type);
  return itemIdsInStage(session, stageOf(pipeline, options.stage).id);
}

/** The ids of the items linked to these contacts (or companies). */
export function itemIdsLinkedTo(
  session: Session,
  end: 'contact' | 'company',
  ids: readonly number[],
): number[] {
  return [...new Set(selectItemIdsLinkedTo(session.db, end, ids).map((row) => row.id))];
}

/** How many items other than `itemId` link to this contact (or company). */
export function otherItemsLinkedTo(
  session: Session,
  end: 'contact' | 'company',
  id: number,
  itemId: number,
): number {
  return countOtherItemsLinkedTo(session.db, end, id, itemId);
}

/** A number that changes whenever an item is changed in this store connection (see itemWrites). */
export function itemChangeCount(session: Session): number {
  return itemWrites(session.db);
}
