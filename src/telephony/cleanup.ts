import type { CleanupTask } from '../cleanup/task.js';
import { expireBlacklist } from './blacklist.js';

/**
 * `crmctl cleanup`'s part of telephony: take off the blacklist the entries past their expiry
 * (they stopped declining calls at that moment already; this tidies the list and records it in
 * history). No permission of its own: it removes only what is no longer in force.
 */
export const expireBlacklistTask: CleanupTask = {
  name: 'blacklist',
  run(session) {
    return { expired: expireBlacklist(session).expired };
  },
  describe(counts) {
    const n = counts.expired ?? 0;
    return `expired ${n} ${n === 1 ? 'entry' : 'entries'}`;
  },
};
