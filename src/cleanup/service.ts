import type { Session } from '../session.js';
import { authorize } from '../users/service.js';
import type { CleanupTask } from './task.js';

export interface CleanupResult {
  operationId: number | null;
  dryRun: boolean;
  at: string;
  /** Each task's counts under its name: `{ bin: { purged: 3 } }`. */
  tasks: Record<string, Record<string, number>>;
}

/**
 * Runs every cleanup task in the caller's write, in order, at the session's clock. A task the
 * acting user lacks the permission for is refused before anything runs (exit 6).
 */
export function runCleanup(session: Session, tasks: readonly CleanupTask[]): CleanupResult {
  session.requireWrite('a cleanup');
  for (const task of tasks) if (task.permission) authorize(session, task.permission);
  const result: CleanupResult = {
    operationId: null,
    dryRun: false,
    at: session.clock.now().toISOString(),
    tasks: {},
  };
  for (const task of tasks) result.tasks[task.name] = task.run(session);
  return result;
}

/** "bin: purged 3 entries past 30 days; automation: …". */
export function describeCleanup(result: CleanupResult, tasks: readonly CleanupTask[]): string {
  return tasks
    .map((task) => `${task.name}: ${task.describe(result.tasks[task.name] ?? {})}`)
    .join('; ');
}
