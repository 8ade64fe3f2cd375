import { type Clock, fixedClock } from '../clock.js';
import { listHistory } from '../history/service.js';
import { createBuiltinTypes } from '../pipelines/service.js';
import { Session, systemLogin } from '../session.js';
import { tablesWithRows } from '../store/maintenance.js';
import type { Store } from '../store/store.js';
import { addUser, createBuiltinRoles } from '../users/service.js';

/**
 * Fills a brand-new store: built-in roles, entity types with their default pipelines, and
 * `adminLogin` (the OS login of whoever created it) as its first admin.
 */
export function seedNewStore(store: Store, clock: Clock, adminLogin: string): void {
  const session = new Session({
    store,
    clock: fixedClock(clock.now()),
    actor: { login: systemLogin, cause: { kind: 'system', id: null }, command: 'init' },
    operations: false,
  });
  session.write(() => {
    createBuiltinRoles(session);
    createBuiltinTypes(session);
    addUser(session, { login: adminLogin, role: 'admin' });
  });
}

/** The tables `seedNewStore` fills; every later change to them is recorded in history. */
const seededTables = new Set([
  'roles',
  'role_permissions',
  'users',
  'entity_types',
  'pipelines',
  'stages',
  'history',
]);

/** More history entries than the seed ever writes. */
const seedHistoryLimit = 20;

/**
 * What a store holds beyond a fresh one's seed, by table (empty for a fresh store): rows in a
 * table the seed leaves empty, or history the seed did not write (every change to the seeded
 * tables is recorded there).
 */
export function dataBeyondSeed(session: Session): string[] {
  const tables = tablesWithRows(session.db, seededTables);
  const history = listHistory(session, { limit: seedHistoryLimit + 1 });
  const bySeed = (e: (typeof history)[number]) => e.actor === systemLogin && e.command === 'init';
  if (history.length > seedHistoryLimit || !history.every(bySeed)) tables.push('history');
  return tables.sort();
}
