import type { View } from '../../cli/output.js';

export const itemView: View = {
  fields: [
    'id',
    'type',
    'pipeline',
    'stage',
    'title',
    'amount',
    'currency',
    'responsible',
    'contactId',
    'companyId',
    'source',
    'phones',
    'emails',
    'fields',
    'createdAt',
    'updatedAt',
  ],
  columns: ['id', 'type', 'pipeline', 'stage', 'title', 'amount', 'responsible'],
  cells: {
    fields: (value) =>
      Object.entries((value ?? {}) as Record<string, string>)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
  },
};
