import type { Item } from '../items/service.js';
import { customFieldPrefix, type FieldCatalogue, type FieldType } from './condition-ast.js';

interface ItemField {
  type: FieldType;
  read: (item: Item) => unknown;
}

/** The built-in fields of an item as conditions name them, and where each is on an `Item`. */
const builtIn = {
  title: { type: 'text', read: (item) => item.title },
  amount: { type: 'number', read: (item) => item.amount },
  currency: { type: 'text', read: (item) => item.currency },
  responsible: { type: 'text', read: (item) => item.responsible },
  stage: { type: 'text', read: (item) => item.stage.name },
  pipeline: { type: 'text', read: (item) => item.pipeline.name },
  type: { type: 'text', read: (item) => item.type },
  source: { type: 'text', read: (item) => item.source },
  contact: { type: 'number', read: (item) => item.contactId },
  company: { type: 'number', read: (item) => item.companyId },
  // Already normalised on the item (E.164, lower-cased domain); literals are compared as written.
  phone: { type: 'list', read: (item) => item.phones },
  email: { type: 'list', read: (item) => item.emails },
  createdAt: { type: 'date', read: (item) => item.createdAt },
  updatedAt: { type: 'date', read: (item) => item.updatedAt },
} satisfies Record<string, ItemField>;

/** What an item's conditions may name: the built-in fields and its custom `fields.NAME`. */
export const itemFields: FieldCatalogue = {
  builtIn: Object.fromEntries(Object.entries(builtIn).map(([name, { type }]) => [name, type])),
  custom: true,
};

/**
 * The `values` evaluateCondition reads for an item: a built-in field by its name, a custom one
 * as `fields.NAME` (undefined when the item has none).
 */
export function itemValues(item: Item): (field: string) => unknown {
  return (field) => {
    if (field.startsWith(customFieldPrefix)) {
      const name = field.slice(customFieldPrefix.length);
      return Object.hasOwn(item.fields, name) ? item.fields[name] : undefined;
    }
    return Object.hasOwn(builtIn, field)
      ? builtIn[field as keyof typeof builtIn].read(item)
      : undefined;
  };
}
