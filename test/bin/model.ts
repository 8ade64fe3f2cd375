import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { addItemToExceptions } from '../../src/bin/add-to-exceptions.js';
import { deleteRecords, listBin, purgeBin, restoreFromBin } from '../../src/bin/service.js';
import { binUndo } from '../../src/bin/undo.js';
import { fixedClock } from '../../src/clock.js';
import {
  addParty,
  contactDetailsOf,
  getParty,
  listParties,
  updateParty,
} from '../../src/contacts/service.js';
import { CrmError } from '../../src/errors.js';
import { listExceptions } from '../../src/exceptions/service.js';
import { exceptionsUndo } from '../../src/exceptions/undo.js';
import { historyListing } from '../../src/history/service.js';
import { addItem, getItem, listItems, updateItem } from '../../src/items/service.js';
import { Session } from '../../src/session.js';
import { seedNewStore } from '../../src/setup/service.js';
import { openStore, type Store } from '../../src/store/store.js';
import { undoOperation } from '../../src/undo/service.js';
import { tempDir } from '../helpers.js';

// Issue 9 acceptance: a model-based property test of the recycle bin. Commands (create, link,
// update, delete, restore, purge, add-to-exceptions, undo) run against a real store and an
// in-memory model of what a person should see; after every step the two agree, the store checks
// out (integrity, foreign keys, no orphaned rows), and history only ever grows. Records are
// compared whole (ids, fields, phones, emails, links, timestamps), so a delete then restore must
// give back the record as it was.

type Kind = 'item' | 'contact' | 'company';
type PartyKind = 'contact' | 'company';

interface MItem {
  id: number;
  type: 'deal' | 'lead';
  title: string;
  fields: Record<string, string>;
  contactId: number | null;
  companyId: number | null;
  phones: string[];
  pipelineId: number;
  stageId: number;
  createdAt: string;
  updatedAt: string;
}

interface MParty {
  id: number;
  name: string;
  phones: string[];
  emails: string[];
  links: number[];
  createdAt: string;
  updatedAt: string;
}

interface MBinEntry {
  binId: number;
  kind: Kind;
  id: number;
  at: number;
  op: number;
  item?: MItem;
  party?: MParty;
  /** Items whose link to this contact/company the delete cut. */
  cut: number[];
}

interface Model {
  now: number;
  items: Map<number, MItem>;
  contacts: Map<number, MParty>;
  companies: Map<number, MParty>;
  bin: Map<number, MBinEntry>;
  exceptions: Set<string>;
  ops: Map<number, { bins: number[]; added: string[]; undone: boolean }>;
}

interface Real {
  store: Store;
  history: string[];
}

const phones = ['+442079460900', '+442079460901', '+442079460902', '+442079460903'];
const emails = ['a@example.com', 'b@example.com', 'c@example.org'];
const day = 86_400_000;
const start = Date.parse('2026-01-01T00:00:00.000Z');

function session(real: Real, model: Model, command: string): Session {
  return new Session({
    store: real.store,
    clock: fixedClock(new Date(model.now)),
    actor: { login: 'admin', cause: { kind: 'user', id: null }, command },
  });
}

const partiesOf = (model: Model, kind: PartyKind) =>
  kind === 'contact' ? model.contacts : model.companies;
const other = (kind: PartyKind): PartyKind => (kind === 'contact' ? 'company' : 'contact');
const sorted = (ids: Iterable<number>) => [...new Set(ids)].sort((a, b) => a - b);
const pick = <T>(list: T[], index: number): T | undefined =>
  list.length === 0 ? undefined : list[index % list.length];

/** What the store shows, in the model's terms. */
function observe(real: Real, model: Model) {
  const s = session(real, model, 'observe');
  const items = [...listItems(s, {}).rows];
  const own = contactDetailsOf(
    s,
    'item',
    items.map((i) => i.id),
  );
  const party = (kind: PartyKind) =>
    [...listParties(s, kind, {}).rows].map((p) => ({
      id: p.id,
      name: p.name,
      phones: p.phones,
      emails: p.emails,
      links: 'companyIds' in p ? p.companyIds : p.contactIds,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    }));
  return {
    items: items.map((i) => ({
      id: i.id,
      type: i.type,
      title: i.title,
      fields: i.fields,
      contactId: i.contactId,
      companyId: i.companyId,
      phones: own.get(i.id)?.phones ?? [],
      pipelineId: i.pipeline.id,
      stageId: i.stage.id,
      createdAt: i.createdAt,
      updatedAt: i.updatedAt,
    })),
    contacts: party('contact'),
    companies: party('company'),
    bin: [...listBin(s, {}).rows]
      .map((e) => [e.id, e.kind, e.entityId])
      .sort((a, b) => Number(a[0]) - Number(b[0])),
    exceptions: [...listExceptions(s, {}).rows].map((e) => e.value).sort(),
  };
}

function expected(model: Model) {
  const party = (map: Map<number, MParty>) =>
    sorted(map.keys()).map((id) => {
      const p = map.get(id) as MParty;
      return { ...p, links: sorted(p.links) };
    });
  return {
    items: sorted(model.items.keys()).map((id) => model.items.get(id)),
    contacts: party(model.contacts),
    companies: party(model.companies),
    bin: [...model.bin.values()]
      .map((e) => [e.binId, e.kind, e.id])
      .sort((a, b) => Number(a[0]) - Number(b[0])),
    exceptions: [...model.exceptions].sort(),
  };
}

function check(real: Real, model: Model): void {
  expect(observe(real, model)).toEqual(expected(model));
  const { db } = real.store;
  expect(db.pragma('quick_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  const orphans = db
    .prepare(
      `SELECT count(*) FROM contact_points p WHERE NOT EXISTS (
         SELECT 1 FROM items WHERE p.owner_type = 'item' AND id = p.owner_id
         UNION ALL SELECT 1 FROM contacts WHERE p.owner_type = 'contact' AND id = p.owner_id
         UNION ALL SELECT 1 FROM companies WHERE p.owner_type = 'company' AND id = p.owner_id)`,
    )
    .pluck()
    .get();
  expect(orphans).toBe(0);
  const history = [...historyListing(session(real, model, 'observe'), {}).rows].map((h) =>
    JSON.stringify(h),
  );
  expect(history.slice(0, real.history.length)).toEqual(real.history);
  real.history = history;
}

/** Runs `work` in one write; a CrmError is returned (the write rolled back), anything else thrown. */
function attempt<T>(
  real: Real,
  model: Model,
  command: string,
  work: (s: Session) => T,
): T | CrmError {
  const s = session(real, model, command);
  try {
    return s.write(() => work(s));
  } catch (error) {
    if (error instanceof CrmError) return error;
    throw error;
  }
}

function toParty(
  p: {
    id: number;
    name: string;
    phones: string[];
    emails: string[];
    createdAt: string;
    updatedAt: string;
  },
  links: number[],
): MParty {
  return {
    id: p.id,
    name: p.name,
    phones: p.phones,
    emails: p.emails,
    links,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}

type Command = fc.Command<Model, Real>;

class AddParty implements Command {
  constructor(
    readonly kind: PartyKind,
    readonly name: string,
    readonly phone: number | null,
    readonly email: number | null,
    readonly link: number | null,
  ) {}
  check() {
    return true;
  }
  run(model: Model, real: Real) {
    const others = sorted(partiesOf(model, other(this.kind)).keys());
    const linked = this.link === null ? undefined : pick(others, this.link);
    const phonesGiven = this.phone === null ? [] : [phones[this.phone % phones.length] as string];
    const emailsGiven = this.email === null ? [] : [emails[this.email % emails.length] as string];
    const added = attempt(real, model, `${this.kind} add`, (s) => {
      const id = addParty(s, this.kind, {
        name: this.name,
        phones: phonesGiven,
        emails: emailsGiven,
        links: linked === undefined ? undefined : [linked],
      });
      return getParty(s, this.kind, id);
    });
    if (added instanceof CrmError) throw added;
    partiesOf(model, this.kind).set(added.id, toParty(added, linked === undefined ? [] : [linked]));
    if (linked !== undefined) partiesOf(model, other(this.kind)).get(linked)?.links.push(added.id);
    check(real, model);
  }
  toString() {
    return `add ${this.kind} ${JSON.stringify(this.name)}`;
  }
}

class AddItem implements Command {
  constructor(
    readonly type: 'deal' | 'lead',
    readonly contact: number | null,
    readonly company: number | null,
    readonly phone: number,
  ) {}
  check() {
    return true;
  }
  run(model: Model, real: Real) {
    const contactId =
      this.contact === null ? null : (pick(sorted(model.contacts.keys()), this.contact) ?? null);
    const companyId =
      this.company === null ? null : (pick(sorted(model.companies.keys()), this.company) ?? null);
    const own = this.type === 'lead' ? [phones[this.phone % phones.length] as string] : [];
    const item = attempt(real, model, 'item add', (s) =>
      addItem(s, {
        type: this.type,
        title: `${this.type} ${model.items.size}`,
        contact: contactId ?? undefined,
        company: companyId ?? undefined,
        phones: own,
        fields: { colour: 'red' },
      }),
    );
    if (item instanceof CrmError) throw item;
    model.items.set(item.id, {
      id: item.id,
      type: this.type,
      title: item.title,
      fields: item.fields,
      contactId,
      companyId,
      phones: own,
      pipelineId: item.pipeline.id,
      stageId: item.stage.id,
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
    });
    check(real, model);
  }
  toString() {
    return `add ${this.type} contact=${this.contact} company=${this.company}`;
  }
}

class UpdateItem implements Command {
  constructor(
    readonly index: number,
    readonly value: string,
  ) {}
  check(model: Readonly<Model>) {
    return model.items.size > 0;
  }
  run(model: Model, real: Real) {
    const id = pick(sorted(model.items.keys()), this.index) as number;
    const updated = attempt(real, model, 'item update', (s) => {
      updateItem(s, id, { title: `t ${this.value}`, fields: { size: this.value } });
      return getItem(s, id);
    });
    if (updated instanceof CrmError) throw updated;
    const item = model.items.get(id) as MItem;
    Object.assign(item, {
      title: updated.title,
      fields: updated.fields,
      updatedAt: updated.updatedAt,
    });
    check(real, model);
  }
  toString() {
    return `update item #${this.index}`;
  }
}

class Link implements Command {
  constructor(
    readonly contact: number,
    readonly companies: number[],
  ) {}
  check(model: Readonly<Model>) {
    return model.contacts.size > 0;
  }
  run(model: Model, real: Real) {
    const id = pick(sorted(model.contacts.keys()), this.contact) as number;
    const links = sorted(
      this.companies
        .map((i) => pick(sorted(model.companies.keys()), i))
        .filter((x): x is number => x !== undefined),
    );
    const contact = model.contacts.get(id) as MParty;
    const updated = attempt(real, model, 'contact update', (s) =>
      updateParty(s, 'contact', id, { links }),
    );
    if (updated instanceof CrmError) throw updated;
    for (const company of model.companies.values())
      company.links = company.links.filter((c) => c !== id);
    for (const companyId of links) model.companies.get(companyId)?.links.push(id);
    contact.links = links;
    contact.updatedAt = updated.updatedAt;
    check(real, model);
  }
  toString() {
    return `link contact #${this.contact} to ${this.companies}`;
  }
}

/** The model of deleting records (items first, then contacts, then companies) in one operation. */
function modelDelete(
  model: Model,
  records: { kind: Kind; id: number }[],
  entries: { binId: number | null; kind: Kind; entityId: number }[],
  op: number,
) {
  const binOf = (kind: Kind, id: number) =>
    entries.find((e) => e.kind === kind && e.entityId === id)?.binId as number;
  const bins: number[] = [];
  for (const kind of ['item', 'contact', 'company'] as const) {
    for (const { id } of records.filter((r) => r.kind === kind)) {
      const binId = binOf(kind, id);
      bins.push(binId);
      if (kind === 'item') {
        const item = model.items.get(id) as MItem;
        model.items.delete(id);
        model.bin.set(binId, {
          binId,
          kind,
          id,
          at: model.now,
          op,
          item: structuredClone(item),
          cut: [],
        });
        continue;
      }
      const parties = partiesOf(model, kind);
      const party = parties.get(id) as MParty;
      const column = kind === 'contact' ? 'contactId' : 'companyId';
      const cut = [...model.items.values()].filter((i) => i[column] === id);
      for (const item of cut) item[column] = null;
      for (const linked of party.links) {
        const end = partiesOf(model, other(kind)).get(linked);
        if (end) end.links = end.links.filter((l) => l !== id);
      }
      parties.delete(id);
      model.bin.set(binId, {
        binId,
        kind,
        id,
        at: model.now,
        op,
        party: structuredClone(party),
        cut: cut.map((i) => i.id),
      });
    }
  }
  model.ops.set(op, { bins, added: [], undone: false });
}

const live = (model: Model, kind: Kind, id: number) =>
  kind === 'item' ? model.items.has(id) : partiesOf(model, kind).has(id);
const inBin = (model: Model, kind: Kind, id: number) =>
  [...model.bin.values()].some((e) => e.kind === kind && e.id === id);

/** The model of a restore of these entries: null when it is refused (a link to a record gone for good). */
function modelRestore(model: Model, binIds: number[]): boolean {
  const entries = binIds.map((b) => model.bin.get(b) as MBinEntry);
  const coming = (kind: Kind, id: number) => entries.some((e) => e.kind === kind && e.id === id);
  const gone = (kind: Kind, id: number) =>
    !live(model, kind, id) && !coming(kind, id) && !inBin(model, kind, id);
  for (const e of entries) {
    if (e.item) {
      if (e.item.contactId !== null && gone('contact', e.item.contactId)) return false;
      if (e.item.companyId !== null && gone('company', e.item.companyId)) return false;
    }
    if (e.party) {
      const otherKind = other(e.kind as PartyKind);
      if (e.party.links.some((l) => gone(otherKind, l))) return false;
    }
  }
  const liveBefore = new Set([...model.items.keys()]);
  const parties = entries
    .filter((e) => e.party)
    .sort((a, b) => (a.kind === b.kind ? a.binId - b.binId : a.kind === 'contact' ? -1 : 1));
  for (const e of parties) {
    const party = structuredClone(e.party as MParty);
    const kind = e.kind as PartyKind;
    party.links = [];
    partiesOf(model, kind).set(e.id, party);
    const column = kind === 'contact' ? 'contactId' : 'companyId';
    for (const itemId of e.cut) {
      const item = model.items.get(itemId);
      if (item && liveBefore.has(itemId) && item[column] === null) item[column] = e.id;
    }
  }
  for (const e of parties) {
    const kind = e.kind as PartyKind;
    for (const l of (e.party as MParty).links) {
      const end = partiesOf(model, other(kind)).get(l);
      const self = partiesOf(model, kind).get(e.id) as MParty;
      if (!end) continue;
      if (!end.links.includes(e.id)) end.links.push(e.id);
      if (!self.links.includes(l)) self.links.push(l);
    }
  }
  for (const e of entries.filter((x) => x.item)) {
    const item = structuredClone(e.item as MItem);
    if (item.contactId !== null && !model.contacts.has(item.contactId)) item.contactId = null;
    if (item.companyId !== null && !model.companies.has(item.companyId)) item.companyId = null;
    model.items.set(e.id, item);
  }
  for (const b of binIds) model.bin.delete(b);
  return true;
}

class Delete implements Command {
  constructor(
    readonly kind: Kind,
    readonly index: number,
    readonly withItems: boolean,
  ) {}
  check(model: Readonly<Model>) {
    return this.kind === 'item'
      ? model.items.size > 0
      : partiesOf(model as Model, this.kind).size > 0;
  }
  run(model: Model, real: Real) {
    const ids =
      this.kind === 'item'
        ? sorted(model.items.keys())
        : sorted(partiesOf(model, this.kind).keys());
    const id = pick(ids, this.index) as number;
    const result = attempt(real, model, `${this.kind} delete`, (s) =>
      deleteRecords(s, [{ kind: this.kind, id }], { withItems: this.withItems }),
    );
    if (result instanceof CrmError) throw result;
    const records: { kind: Kind; id: number }[] = [{ kind: this.kind, id }];
    if (this.withItems && this.kind !== 'item') {
      const column = this.kind === 'contact' ? 'contactId' : 'companyId';
      for (const item of model.items.values())
        if (item[column] === id) records.push({ kind: 'item', id: item.id });
    }
    modelDelete(model, records, result.entries, result.operationId as number);
    check(real, model);
  }
  toString() {
    return `delete ${this.kind} #${this.index}${this.withItems ? ' --with-items' : ''}`;
  }
}

class Restore implements Command {
  constructor(
    readonly index: number,
    readonly withRelated: boolean,
  ) {}
  check(model: Readonly<Model>) {
    return model.bin.size > 0;
  }
  run(model: Model, real: Real) {
    const entry = pick([...model.bin.values()], this.index) as MBinEntry;
    const binIds = this.withRelated
      ? [...model.bin.values()].filter((e) => e.op === entry.op).map((e) => e.binId)
      : [entry.binId];
    const result = attempt(real, model, 'recycle-bin restore', (s) =>
      restoreFromBin(s, [entry.binId], { withRelated: this.withRelated }),
    );
    const allowed = modelRestore(model, binIds);
    if (!allowed) expect(result).toMatchObject({ exitCode: 5 });
    else if (result instanceof CrmError) throw result;
    check(real, model);
  }
  toString() {
    return `restore #${this.index}${this.withRelated ? ' --with-related' : ''}`;
  }
}

class Purge implements Command {
  constructor(readonly days: number) {}
  check() {
    return true;
  }
  run(model: Model, real: Real) {
    const result = attempt(real, model, 'recycle-bin purge', (s) =>
      purgeBin(s, { olderThanMs: this.days * day }),
    );
    if (result instanceof CrmError) throw result;
    const before = model.now - this.days * day;
    let purged = 0;
    for (const [binId, e] of model.bin) {
      if (e.at < before) {
        model.bin.delete(binId);
        purged++;
      }
    }
    expect(result.purged).toBe(purged);
    check(real, model);
  }
  toString() {
    return `purge --older-than ${this.days}d`;
  }
}

class Tick implements Command {
  check() {
    return true;
  }
  run(model: Model) {
    model.now += day;
  }
  toString() {
    return 'a day passes';
  }
}

class AddToExceptions implements Command {
  constructor(readonly index: number) {}
  check(model: Readonly<Model>) {
    return model.items.size > 0;
  }
  run(model: Model, real: Real) {
    const id = pick(sorted(model.items.keys()), this.index) as number;
    const item = model.items.get(id) as MItem;
    const contact =
      item.type === 'deal' && item.contactId !== null
        ? model.contacts.get(item.contactId)
        : undefined;
    const company =
      item.type === 'deal' && item.companyId !== null
        ? model.companies.get(item.companyId)
        : undefined;
    const values = [
      ...new Set([
        ...item.phones,
        ...(contact?.phones ?? []),
        ...(company?.phones ?? []),
        ...(contact?.emails ?? []),
        ...(company?.emails ?? []),
      ]),
    ];
    const result = attempt(real, model, 'item add-to-exceptions', (s) =>
      addItemToExceptions(s, id, { source: 'item' }),
    );
    if (values.length === 0) {
      expect(result).toMatchObject({ exitCode: 5 });
      check(real, model);
      return;
    }
    if (result instanceof CrmError) throw result;
    const others = (column: 'contactId' | 'companyId', of: number) =>
      [...model.items.values()].some((i) => i.id !== id && i[column] === of);
    const records: { kind: Kind; id: number }[] = [{ kind: 'item', id }];
    if (
      contact &&
      !others('contactId', contact.id) &&
      contact.links.every((l) => l === item.companyId)
    )
      records.push({ kind: 'contact', id: contact.id });
    if (
      company &&
      !others('companyId', company.id) &&
      company.links.every((l) => l === item.contactId)
    )
      records.push({ kind: 'company', id: company.id });
    const added = values.filter((v) => !model.exceptions.has(v));
    for (const v of added) model.exceptions.add(v);
    modelDelete(model, records, result.deleted, result.operationId as number);
    (model.ops.get(result.operationId as number) as { added: string[] }).added = added;
    check(real, model);
  }
  toString() {
    return `add-to-exceptions item #${this.index}`;
  }
}

class Undo implements Command {
  constructor(readonly index: number) {}
  check(model: Readonly<Model>) {
    return model.ops.size > 0;
  }
  run(model: Model, real: Real) {
    const [op, record] = pick([...model.ops.entries()], this.index) as [
      number,
      { bins: number[]; added: string[]; undone: boolean },
    ];
    const result = attempt(real, model, 'undo', (s) =>
      undoOperation(s, op, [exceptionsUndo, binUndo]),
    );
    const allThere = record.bins.every((b) => model.bin.has(b));
    if (record.undone || !allThere) {
      expect(result).toMatchObject({ exitCode: 5 });
    } else if (modelRestore(model, record.bins)) {
      if (result instanceof CrmError) throw result;
      for (const v of record.added) model.exceptions.delete(v);
      record.undone = true;
    } else {
      expect(result).toMatchObject({ exitCode: 5 });
    }
    check(real, model);
  }
  toString() {
    return `undo op #${this.index}`;
  }
}

const index = fc.nat({ max: 50 });
const weighted = [
  fc
    .tuple(
      fc.constantFrom<PartyKind>('contact', 'company'),
      fc
        .string({ minLength: 1, maxLength: 8 })
        .filter((s) => s.trim() !== '' && !/[\p{C}]/u.test(s)),
      fc.option(fc.nat()),
      fc.option(fc.nat()),
      fc.option(index),
    )
    .map(([k, n, p, e, l]) => new AddParty(k, n, p, e, l)),
  fc
    .tuple(
      fc.constantFrom<'deal' | 'lead'>('deal', 'deal', 'lead'),
      fc.option(index, { freq: 6 }),
      fc.option(index, { freq: 3 }),
      fc.nat(),
    )
    .map(([t, c, co, p]) => new AddItem(t, c, co, p)),
  fc.tuple(index, fc.stringMatching(/^[a-z]{1,6}$/)).map(([i, v]) => new UpdateItem(i, v)),
  fc.tuple(index, fc.array(index, { maxLength: 2 })).map(([c, cs]) => new Link(c, cs)),
  fc
    .tuple(fc.constantFrom<Kind>('item', 'contact', 'company'), index, fc.boolean())
    .map(([k, i, w]) => new Delete(k, i, w)),
  fc.tuple(index, fc.boolean()).map(([i, w]) => new Restore(i, w)),
  fc.integer({ min: 0, max: 3 }).map((d) => new Purge(d)),
  fc.constant(new Tick()),
  index.map((i) => new AddToExceptions(i)),
  index.map((i) => new Undo(i)),
];
/** Creating, deleting and restoring come up more often than the rest. */
const commands = [
  ...weighted,
  weighted[0],
  weighted[1],
  weighted[1],
  weighted[4],
  weighted[5],
  weighted[8],
].filter((c): c is NonNullable<typeof c> => c !== undefined);

/** A seeded store copied for each run (seeding one takes longer than a run). */
function templateStore(): string {
  const path = join(tempDir(), 'template.db');
  const store = openStore(path, { busyTimeoutMs: 1000 });
  seedNewStore(store, fixedClock(new Date(start)), 'admin');
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  return path;
}

export function runModel(numRuns: number): void {
  const template = templateStore();
  const dir = tempDir();
  let n = 0;
  fc.assert(
    fc.property(fc.commands(commands, { maxCommands: 30, size: 'max' }), (cmds) => {
      const path = join(dir, `run-${n++}.db`);
      copyFileSync(template, path);
      const store = openStore(path, { busyTimeoutMs: 1000 });
      try {
        const model: Model = {
          now: start,
          items: new Map(),
          contacts: new Map(),
          companies: new Map(),
          bin: new Map(),
          exceptions: new Set(),
          ops: new Map(),
        };
        fc.modelRun(() => ({ model, real: { store, history: [] } }), cmds);
      } finally {
        store.close();
      }
    }),
    { numRuns },
  );
}
