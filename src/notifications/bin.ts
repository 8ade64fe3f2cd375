import { itemRowsContributor } from '../bin/rows-of-items.js';

/**
 * The notifications about an item go to the recycle bin with it (a notice about a deleted deal
 * has nothing to lead to) and come back with their ids, read or unread as they were.
 */
export const notificationsBinContributor = itemRowsContributor({
  name: 'notifications',
  table: 'notifications',
  noun: 'notification',
  describe: (row) => ({
    id: row.id,
    user: row.login,
    text: row.text,
    read: row.read_at !== null,
    createdAt: row.created_at,
  }),
});
