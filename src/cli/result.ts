import type { Context } from './context.js';
import { formatOf, type OutputOptions, printRecord, tableAskedFor, type View } from './output.js';

/**
 * What a command prints about what it did: the record in the chosen format (-o table asked for
 * included), or by default the plain text `plain` writes for people and `$(…)` alike.
 */
export async function printResult(
  ctx: Context,
  options: OutputOptions,
  record: object,
  view: View,
  plain: () => void,
): Promise<void> {
  if (formatOf(options) !== 'table' || options.fields || tableAskedFor(options)) {
    await printRecord(ctx, record, options, view);
    return;
  }
  plain();
}

/**
 * What a command that changes something prints: the record in the chosen format, or by default
 * its identifier on stdout (so `id=$(crmctl item add …)` works) and a note on stderr.
 */
export async function printChange(
  ctx: Context,
  options: OutputOptions,
  record: object,
  view: View,
  summary: { id: string | number; note: string },
): Promise<void> {
  await printResult(ctx, options, record, view, () => {
    ctx.out(String(summary.id));
    ctx.note(summary.note);
  });
}
