import type { Clock } from './clock.js';
import type { Store } from './store/store.js';

/** Why a change happened: a person's command, an automation rule, a trigger, or the system itself. */
export interface Cause {
  kind: 'user' | 'rule' | 'trigger' | 'system';
  id: number | null;
}

/** Who is acting, and through what; every recorded change carries it. */
export interface Actor {
  login: string;
  cause: Cause;
  /** The command that made the change, e.g. `item move`. */
  command: string | null;
}

/** What every service function works with: the store, the clock and the acting user. */
export interface Session {
  store: Store;
  clock: Clock;
  actor: Actor;
}

export const systemLogin = 'system';

export function nowIso(session: Pick<Session, 'clock'>): string {
  return session.clock.now().toISOString();
}
