import { UsageError } from '../errors.js';
import { customFieldPrefix, type FieldCatalogue } from './condition-ast.js';

/**
 * The `{{field}}` placeholders of action texts (DESIGN §2): `Hello {{title}}, your deal of
 * {{amount}} {{currency}}`; custom fields as `{{fields.NAME}}`. Checked against the item fields
 * when a rule is added, filled in when it runs. Pure.
 */
const placeholder = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The fields a template names, in order of first appearance. */
export function templateFields(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(placeholder)) names.add(match[1] ?? '');
  return [...names];
}

export class TemplateFieldError extends UsageError {
  constructor(parameter: string, field: string) {
    super(
      field === ''
        ? `--param ${parameter}: an empty placeholder {{}}; name a field, e.g. {{title}}`
        : `--param ${parameter}: no item field "${field}" for {{${field}}}; custom fields are {{${customFieldPrefix}NAME}}`,
    );
  }
}

/** Throws TemplateFieldError for the first placeholder that names no field of `catalogue`. */
export function checkTemplate(
  parameter: string,
  template: string,
  catalogue: FieldCatalogue,
): void {
  for (const field of templateFields(template)) {
    const custom = field.startsWith(customFieldPrefix) && field.length > customFieldPrefix.length;
    if (custom ? catalogue.custom : Object.hasOwn(catalogue.builtIn, field)) continue;
    throw new TemplateFieldError(parameter, field);
  }
}

/** Fills each placeholder with the field's value: lists joined by ", ", missing values empty. */
export function renderTemplate(template: string, values: (field: string) => unknown): string {
  return template.replace(placeholder, (_whole, field: string) => textOf(values(field)));
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(textOf).join(', ');
  if (value instanceof Date) return value.toISOString();
  return String(value);
}
