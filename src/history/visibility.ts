import type { Session } from '../session.js';
import type { Permission } from '../users/permissions.js';
import { mayUse } from '../users/service.js';

/**
 * What protected lists record in history, and the permission that shows it: what was listed is
 * itself protected, so `history` and `operation list|show` hide these entries from anyone who
 * may not read the list (the exceptions list needs exceptions.view; the telephony blacklist, its
 * allow-list and settings need telephony.settings, reading included).
 */
const protectedEntries: readonly { permission: Permission; entityTypes: readonly string[] }[] = [
  { permission: 'exceptions.view', entityTypes: ['exceptions'] },
  {
    permission: 'telephony.settings',
    entityTypes: ['blacklist', 'blacklist-allowed', 'blacklist-settings'],
  },
];

/** The history entity types the session's user may not see. */
export function hiddenEntityTypes(session: Session): string[] {
  return protectedEntries
    .filter(({ permission }) => !mayUse(session, permission))
    .flatMap(({ entityTypes }) => entityTypes);
}
