import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { getItem } from '../../src/items/service.js';
import { Session } from '../../src/session.js';
import { openStore } from '../../src/store/store.js';
import { osLogin } from '../e2e/support.js';
import { automationStore } from './support.js';

// The engine keeps the triggers it has read for the rest of the write: every change to a
// trigger must make it read them again, or a trigger disabled mid-write (a script, the demo)
// would go on moving items.
describe('a trigger disabled inside the write that already used it', () => {
  it('moves no further item', async () => {
    const s = await automationStore();
    await s.ok(['trigger', 'add', '--stage', 'Final invoice', '--on', 'payment-received']);
    await s.ok(['item', 'add', '--title', 'Sofa']);
    await s.ok(['item', 'add', '--title', 'Table']);
    // Loaded after the CLI, as the program loads them (registrations and the engine import
    // each other).
    const { automationSubscriber } = await import('../../src/automation/engine.js');
    const { fireEvent } = await import('../../src/automation/events.js');
    const { setTriggerEnabled } = await import('../../src/automation/triggers.js');
    const store = openStore(s.db, { busyTimeoutMs: 1000 });
    try {
      const session = new Session({
        store,
        clock: fixedClock(new Date('2026-12-01T10:00:00Z')),
        actor: { login: osLogin, cause: { kind: 'user', id: null }, command: 'test' },
        subscribers: [automationSubscriber],
      });
      session.write(() => {
        fireEvent(session, 'payment-received', { item: 1 });
        session.deliverEvents();
        expect(getItem(session, 1).stage.name).toBe('Final invoice');
        setTriggerEnabled(session, 1, false);
        fireEvent(session, 'payment-received', { item: 2 });
        session.deliverEvents();
        expect(getItem(session, 2).stage.name).not.toBe('Final invoice');
      });
    } finally {
      store.close();
    }
  });
});
