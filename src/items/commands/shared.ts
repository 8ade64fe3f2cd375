import type { FlagHint } from '../../cli/flag-hints.js';
import type { View } from '../../cli/output.js';
import { ClientDetailsError, FieldError } from '../service.js';

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

/** Adding or changing an item: the flags of its fields and of its client's phones and emails. */
export const itemHint: FlagHint = (error) => {
  if (error instanceof FieldError) {
    return error.problem === 'bad-name'
      ? `--field "${error.key}": ${error.detail}`
      : `--field ${error.key}= needs a value`;
  }
  if (error instanceof ClientDetailsError) {
    return `${error.message}: add them there (crmctl contact add --phone …) and link it with --contact`;
  }
  return undefined;
};
