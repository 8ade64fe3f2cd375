import type { CleanupTask } from '../cleanup/task.js';
import { getBinSettings, purgePastRetention as purge } from './service.js';

/** `crmctl cleanup`'s part of the recycle bin: purge what is past the retention. */
export const purgePastRetention: CleanupTask = {
  name: 'bin',
  permission: 'bin.purge',
  run(session) {
    const { retentionDays } = getBinSettings(session);
    return { purged: purge(session).purged, retentionDays };
  },
  describe(counts) {
    const n = counts.purged ?? 0;
    return `purged ${n} recycle-bin ${n === 1 ? 'entry' : 'entries'} past ${counts.retentionDays} days`;
  },
};
