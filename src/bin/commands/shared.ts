import type { Context } from '../../cli/context.js';
import { formatOf, type OutputOptions, type View } from '../../cli/output.js';
import { printChange } from '../../cli/result.js';

export const binView: View = {
  fields: [
    'id',
    'kind',
    'entityType',
    'entityId',
    'title',
    'deletedAt',
    'deletedBy',
    'operationId',
    'related',
  ],
  columns: ['id', 'entityType', 'entityId', 'title', 'deletedAt', 'deletedBy', 'operationId'],
  cells: {
    related: (value) =>
      ((value ?? []) as { entityType: string; entityId: number }[])
        .map((r) => `${r.entityType} ${r.entityId}`)
        .join(', '),
  },
};

/**
 * What a command that changes records prints: its operation id on stdout and a note, or the
 * record in the chosen format; a dry run (no operation kept) prints only the note when plain.
 */
export async function printOperation(
  ctx: Context,
  options: OutputOptions,
  record: object,
  view: View,
  summary: { id: number | null; note: string },
): Promise<void> {
  if (summary.id === null && formatOf(options) === 'table' && !options.fields) {
    ctx.note(summary.note);
    return;
  }
  await printChange(ctx, options, record, view, { id: summary.id ?? '', note: summary.note });
}
