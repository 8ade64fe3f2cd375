import { itemRowsContributor } from '../bin/rows-of-items.js';

/** An item's documents go to the recycle bin with it and come back with their ids. */
export const documentsBinContributor = itemRowsContributor({
  name: 'documents',
  table: 'documents',
  noun: 'document',
  describe: (row) => ({
    id: row.id,
    name: row.name,
    size: typeof row.body === 'string' ? row.body.length : 0,
    createdAt: row.created_at,
  }),
});
