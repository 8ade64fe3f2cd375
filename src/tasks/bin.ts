import { itemRowsContributor } from '../bin/rows-of-items.js';

/** An item's tasks go to the recycle bin with it and come back with their ids (src/registrations.ts). */
export const tasksBinContributor = itemRowsContributor({
  name: 'tasks',
  table: 'tasks',
  noun: 'task',
  describe: (row) => ({
    id: row.id,
    title: row.title,
    status: row.status,
    assignee: row.assignee,
    deadline: row.deadline,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  }),
});
