import { parseAmount } from '../../cli/parse.js';
import { UsageError } from '../../errors.js';
import { type UpdateItemOptions, updateItem } from '../../items/service.js';
import type { ActionType } from '../action.js';
import { customFieldPrefix, itemValues } from '../condition.js';
import { renderTemplate } from '../template.js';

/** Built-in fields set-field may change; any other name is a custom field (`fields.NAME` or NAME). */
const builtIn = ['title', 'amount', 'currency'] as const;

function customName(field: string): string | undefined {
  if ((builtIn as readonly string[]).includes(field)) return undefined;
  return field.startsWith(customFieldPrefix) ? field.slice(customFieldPrefix.length) : field;
}

/** `set-field`: sets one field of the item to a value (`{{field}}` placeholders filled in). */
export const setField: ActionType = {
  name: 'set-field',
  description: 'Set a field of the item (title, amount, currency, or a custom field) to a value',
  parameters: [
    {
      name: 'field',
      description: 'title, amount, currency, or a custom field (NAME or fields.NAME)',
      required: true,
    },
    {
      name: 'value',
      description: 'the new value; empty removes a custom field',
      required: true,
      template: true,
    },
  ],
  check(_session, params) {
    const field = params.field ?? '';
    const custom = customName(field);
    if (custom !== undefined && !/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/.test(custom)) {
      throw new UsageError(
        `--param field: "${field}" is not a field name (title, amount, currency, or a custom NAME)`,
      );
    }
    if (field === 'amount' && !(params.value ?? '').includes('{{')) parseAmount(params.value ?? '');
  },
  run({ session, item, params }) {
    const field = params.field ?? '';
    const value = renderTemplate(params.value ?? '', itemValues(item));
    const custom = customName(field);
    const options: UpdateItemOptions = {};
    if (custom !== undefined)
      options.fields = Object.assign(Object.create(null), { [custom]: value });
    else if (field === 'amount') options.amount = value.trim() === '' ? null : parseAmount(value);
    else if (field === 'currency') options.currency = value;
    else options.title = value;
    updateItem(session, item.id, options);
    return { status: 'done', detail: `set ${field} to "${value}"` };
  },
};
