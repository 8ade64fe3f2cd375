import { itemRowsContributor } from '../bin/rows-of-items.js';

/** An item's outbox messages go to the recycle bin with it and come back with their ids. */
export const outboxBinContributor = itemRowsContributor({
  name: 'outbox',
  table: 'outbox',
  noun: 'outbox message',
  describe: (row) => ({
    id: row.id,
    channel: row.channel,
    recipient: row.recipient,
    subject: row.subject,
    text: row.text,
    createdAt: row.created_at,
  }),
});
