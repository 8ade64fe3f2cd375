import { type Clock, fixedClock } from '../clock.js';
import { createBuiltinTypes } from '../pipelines/service.js';
import { type Session, systemLogin } from '../session.js';
import type { Store } from '../store/store.js';
import { addUser, createBuiltinRoles } from '../users/service.js';

/**
 * Fills a brand-new store: built-in roles, entity types with their default pipelines, and
 * `adminLogin` (the OS login of whoever created it) as its first admin.
 */
export function seedNewStore(store: Store, clock: Clock, adminLogin: string): void {
  const session: Session = {
    store,
    clock: fixedClock(clock.now()),
    actor: { login: systemLogin, cause: { kind: 'system', id: null }, command: 'init' },
  };
  createBuiltinRoles(session);
  createBuiltinTypes(session);
  addUser(session, { login: adminLogin, role: 'admin' });
}
