import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { formatOf, printRecord, type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseIds } from '../../cli/parse.js';
import { UsageError } from '../../errors.js';
import { listBin, type RestoreResult, restoreFromBin } from '../service.js';
import { printOperation } from './shared.js';

const restoreView: View = {
  fields: ['operationId', 'dryRun', 'plan', 'restored', 'notes'],
  columns: ['operationId', 'dryRun', 'restored'],
  cells: {
    restored: (value) =>
      ((value ?? []) as { entityType: string; entityId: number }[])
        .map((r) => `${r.entityType} ${r.entityId}`)
        .join(', '),
  },
};

/** The entry to restore, picked by a person from the first entries of the bin. */
async function pickEntry(ctx: Context): Promise<number> {
  const session = ctx.session();
  const entries = [...listBin(session, { limit: 100 }).rows];
  if (entries.length === 0) throw new UsageError('the recycle bin is empty: nothing to restore');
  const picked = await ctx.prompter.select(
    'Restore which?',
    entries.map((e) => ({
      value: String(e.id),
      name: `${e.id}  ${e.entityType} ${e.entityId}  ${e.title}`,
      description: `deleted ${e.deletedAt} by ${e.deletedBy} (operation ${e.operationId})`,
    })),
  );
  return Number(picked);
}

export function binRestore(bin: Command, ctx: Context): void {
  withOutputOptions(
    bin
      .command('restore')
      .description(
        'Put bin entries back with their original ids, links re-made to records that exist or come\n' +
          'back in the same call. A removed pipeline or stage falls back to the type’s default\n' +
          'pipeline / the stage of the same kind, said aloud; a value on the exceptions list is\n' +
          'warned about; automation does not re-run. A conflict (a link to a record purged since)\n' +
          'refuses with exit 5 and changes nothing; an entry no longer in the bin exits 4. Yours\n' +
          'only, or any with bin.manage. With no ids on a terminal, pick one from a list.',
      )
      .argument('[bin-ids...]', 'bin entries (see crmctl recycle-bin list)')
      .option('--with-related', 'also what the same operation deleted (a deal and its contact)')
      .option('--plan', 'print what would come back and which links would be lost; change nothing')
      .option('--drop-links', 'restore without links to records purged since, instead of refusing')
      .option('--dry-run', 'do the restore, report it, and roll it back'),
    restoreView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl recycle-bin restore 12',
        'crmctl recycle-bin restore 12 --with-related --plan',
        'crmctl recycle-bin restore 12 13 --json',
      ),
    )
    .action(async (idArgs, options) => {
      const ids = parseIds(idArgs, 'BIN_ID');
      if (ids.length === 0) {
        if (!ctx.canPrompt)
          throw new UsageError('name the bin entries to restore (see crmctl recycle-bin list)');
        ids.push(await pickEntry(ctx));
      }
      const session = ctx.session();
      const plan = options.plan === true;
      const dryRun = plan || options.dryRun === true;
      const result: RestoreResult = session.write(
        () =>
          restoreFromBin(session, ids, {
            withRelated: options.withRelated === true,
            dropLinks: options.dropLinks === true,
          }),
        { dryRun },
      );
      const record = { ...result, operationId: session.operationId, dryRun, plan };
      const names = result.restored.map((r) => `${r.entityType} ${r.entityId} "${r.title}"`);
      if (plan) {
        if (formatOf(options) !== 'table' || options.fields) {
          await printRecord(ctx, record, options, restoreView);
          return;
        }
        for (const r of result.restored) {
          ctx.out(`would restore\t${r.binId}\t${r.entityType}\t${r.entityId}\t${r.title}`);
        }
        for (const note of result.notes) ctx.out(`would note\t${note}`);
        return;
      }
      await printOperation(ctx, options, record, restoreView, {
        id: record.operationId,
        note: `${dryRun ? 'Would restore' : 'Restored'} ${names.join(', ')}${dryRun ? ' (nothing was changed)' : ''}`,
      });
      for (const note of result.notes) ctx.note(note);
    });
}
