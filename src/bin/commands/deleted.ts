import type { Context } from '../../cli/context.js';
import { formatOf, type OutputOptions, type View } from '../../cli/output.js';
import { type Progress, startProgress } from '../../cli/progress.js';
import type { Session } from '../../session.js';
import type { BinRecord } from '../contributor.js';
import { type DeleteOptions, type DeleteResult, deleteRecords } from '../service.js';
import { printOperation } from './shared.js';

export const deletedView: View = {
  fields: ['operationId', 'dryRun', 'permanently', 'deleted', 'entries'],
  columns: ['operationId', 'dryRun', 'permanently', 'deleted'],
  cells: {
    deleted: (value) =>
      Object.entries((value ?? {}) as Record<string, number>)
        .filter(([, n]) => n > 0)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(', '),
  },
};

/** "3 items, 1 contact". */
export function countsInWords(deleted: Record<string, number>): string {
  const plural: Record<string, string> = {
    item: 'items',
    contact: 'contacts',
    company: 'companies',
  };
  const parts = Object.entries(deleted)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${n === 1 ? kind : (plural[kind] ?? kind)}`);
  return parts.join(', ') || 'nothing';
}

/** Runs a delete in the command's one write (with a progress bar for big ones), then prints it. */
export async function runDelete(
  ctx: Context,
  session: Session,
  /** What to delete, or how to find it inside the delete's transaction (by stage, with --yes). */
  records: BinRecord[] | (() => BinRecord[]),
  options: OutputOptions & { dryRun?: boolean; permanently?: boolean; withItems?: boolean },
): Promise<void> {
  const dryRun = options.dryRun === true;
  let progress: Progress | undefined;
  let result: DeleteResult;
  const deleteOptions: DeleteOptions = {
    permanently: options.permanently === true,
    withItems: options.withItems === true,
    onProgress: (done, total) => {
      if (total < 1000) return;
      progress ??= startProgress(ctx, 'Deleting', total);
      progress.update(done);
    },
  };
  try {
    result = session.write(
      () =>
        deleteRecords(session, typeof records === 'function' ? records() : records, deleteOptions),
      { dryRun },
    );
  } finally {
    progress?.stop();
  }
  const operationId = session.operationId;
  const none = Object.values(result.deleted).every((n) => n === 0);
  if (none && formatOf(options) === 'table' && !options.fields) {
    ctx.note('Nothing to delete: no item matches');
    return;
  }
  const what = countsInWords(result.deleted);
  const where = result.permanently ? 'deleted permanently' : 'moved to the recycle bin';
  const note = dryRun
    ? `Would have ${where}: ${what} (nothing was changed)`
    : `${what[0]?.toUpperCase()}${what.slice(1)} ${where} (operation ${operationId}${
        result.permanently
          ? ''
          : `; crmctl undo ${operationId} or crmctl recycle-bin restore puts ${result.entries.length === 1 ? 'it' : 'them'} back`
      })`;
  await printOperation(ctx, options, { ...result, operationId, dryRun }, deletedView, {
    id: operationId,
    note,
  });
}
