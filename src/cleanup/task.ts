import type { Session } from '../session.js';
import type { Permission } from '../users/permissions.js';

/**
 * One job of the nightly `crmctl cleanup` (DESIGN §6), listed in src/registrations.ts
 * (`cleanupTasks`): the recycle bin purges what is past its retention; the automation runs what is
 * due; telephony expires timed blacklist entries. Each runs inside the cleanup's one write
 * transaction, at `session.clock.now()`, and must be idempotent: run twice at the same time, the
 * second finds nothing to do. A dry run is the real run rolled back, so its counts are the real ones.
 */
export interface CleanupTask {
  /** Its key in the JSON summary and its name in the summary line: "bin". */
  readonly name: string;
  /** What the acting user needs for it (checked before it runs); none for what anyone may do. */
  readonly permission?: Permission;
  /** Does the work; returns what it did as counts (`{ purged: 3 }`), all 0 when nothing was due. */
  run(session: Session): Record<string, number>;
  /** Its counts in words for the summary line: "purged 3 entries past 30 days". */
  describe(counts: Record<string, number>): string;
}
