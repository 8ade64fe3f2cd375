import type { Context } from './context.js';
import { formatOf, type OutputOptions, printRecord, tableAskedFor, type View } from './output.js';

/**
 * What a command that changes something prints: the record in the chosen format (-o table
 * asked for included), or by default its identifier on stdout (so `id=$(crmctl item add …)`
 * works) and a note on stderr.
 */
export async function printChange(
  ctx: Context,
  options: OutputOptions,
  record: object,
  view: View,
  summary: { id: string | number; note: string },
): Promise<void> {
  if (formatOf(options) !== 'table' || options.fields || tableAskedFor(options)) {
    await printRecord(ctx, record, options, view);
    return;
  }
  ctx.out(String(summary.id));
  ctx.note(summary.note);
}
