import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { addExceptions } from '../../src/exceptions/service.js';
import { addItem } from '../../src/items/service.js';
import { getOperation } from '../../src/operations/service.js';
import { Session } from '../../src/session.js';
import { openStore, type Store } from '../../src/store/store.js';
import { osLogin } from '../e2e/support.js';
import { newStore } from '../helpers.js';

// STYLE: one unit of work per command. A command's Session holds the one transaction and the
// one operation; services require an open write and never open their own.

const now = '2026-11-23T09:00:00Z';
let store: Store;
let session: Session;

beforeEach(async () => {
  const { db } = await newStore({ now });
  store = openStore(db, { busyTimeoutMs: 1000 });
  session = new Session({
    store,
    clock: fixedClock(new Date(now)),
    actor: { login: osLogin, cause: { kind: 'user', id: null }, command: 'test two-services' },
  });
});

afterEach(() => store.close());

describe('a session', () => {
  it('puts the changes of two services in one transaction under one operation id', () => {
    const ids = session.write(() => {
      const item = addItem(session, { type: 'lead', title: 'Spam lead' });
      const added = addExceptions(session, { entries: ['spam@example.com'] });
      return { item: item.id, operation: added.operationId };
    });
    expect(session.operationId).toBe(ids.operation);
    const history = store.db
      .prepare('SELECT entity_type, operation_id FROM history WHERE operation_id IS NOT NULL')
      .all() as { entity_type: string; operation_id: number }[];
    expect(history.map((h) => h.entity_type).sort()).toEqual(['exceptions', 'item']);
    expect(new Set(history.map((h) => h.operation_id))).toEqual(new Set([ids.operation]));
    expect(getOperation(session, ids.operation as number)).toMatchObject({
      kind: 'test-two-services',
      actor: osLogin,
    });
    const entry = store.db.prepare('SELECT operation_id FROM exceptions').get() as {
      operation_id: number;
    };
    expect(entry.operation_id).toBe(ids.operation);
  });

  it('makes a service that changes something fail outside a write, changing nothing', () => {
    expect(() => addItem(session, { type: 'lead', title: 'Outside' })).toThrow(
      /must run inside session\.write/,
    );
    expect(store.db.prepare('SELECT count(*) FROM items').pluck().get()).toBe(0);
  });

  it('refuses a write inside a write: services never open their own', () => {
    expect(() => session.write(() => session.write(() => 1))).toThrow(/cannot nest/);
  });

  it('rolls a dry run back whole, and names no operation', () => {
    session.write(() => addItem(session, { type: 'lead', title: 'Rehearsed' }), { dryRun: true });
    expect(session.operationId).toBeNull();
    expect(store.db.prepare('SELECT count(*) FROM items').pluck().get()).toBe(0);
    expect(store.db.prepare('SELECT count(*) FROM operations').pluck().get()).toBe(0);
  });

  it('keeps no operation when nothing was written', () => {
    session.write(() => addExceptions(session, { entries: ['not a value'] }));
    expect(session.operationId).toBeNull();
    expect(store.db.prepare('SELECT count(*) FROM operations').pluck().get()).toBe(0);
  });
});
