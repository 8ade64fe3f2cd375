import type { CleanupTask } from '../cleanup/task.js';
import { runDueAutomation } from './engine.js';

/**
 * `crmctl cleanup`'s part of the automation: run every job due at the clock's now, as
 * `automation run` does (needs automation.edit, as it does). A second run at the same time
 * finds nothing due.
 */
export const runDueAutomationTask: CleanupTask = {
  name: 'automation',
  permission: 'automation.edit',
  run(session) {
    const result = runDueAutomation(session, session.clock.now());
    return {
      ran: result.ran,
      done: result.done,
      skipped: result.skipped,
      failed: result.failed,
      cancelled: result.cancelled,
      pending: result.pending,
    };
  },
  describe(counts) {
    const ran = counts.ran ?? 0;
    const ends = (['done', 'skipped', 'failed', 'cancelled'] as const)
      .filter((status) => (counts[status] ?? 0) > 0)
      .map((status) => `${counts[status]} ${status}`);
    return `ran ${ran} due ${ran === 1 ? 'job' : 'jobs'}${ends.length > 0 ? ` (${ends.join(', ')})` : ''}, ${counts.pending ?? 0} still waiting`;
  },
};
