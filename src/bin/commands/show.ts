import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { printRecord, type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseId } from '../../cli/parse.js';
import { CrmError } from '../../errors.js';
import { restoreFromBin, showBinEntry } from '../service.js';
import { binView } from './shared.js';

const showView: View = {
  fields: [...binView.fields, 'deleted', 'history', 'operation', 'restore'],
  columns: [...binView.fields, 'deleted', 'history', 'operation', 'restore'],
  cells: {
    ...binView.cells,
    history: (value) =>
      ((value ?? []) as { at: string; actor: string; action: string }[])
        .map((h) => `${h.at} ${h.actor} ${h.action}`)
        .join('; '),
    operation: (value) => {
      const op = value as {
        id: number;
        others: { entityType: string; entityId: number }[];
        count: number;
      };
      const others = op.others.map((o) => `${o.entityType} ${o.entityId}`).join(', ');
      return `${op.id}${others ? ` (also deleted: ${others}${op.count - 1 > op.others.length ? ', …' : ''})` : ''}`;
    },
    restore: (value) => {
      const plan = value as { restores: string[]; notes: string[]; refused: string | null };
      return plan.refused
        ? `refused: ${plan.refused}`
        : [`brings back ${plan.restores.join(', ')}`, ...plan.notes].join('; ');
    },
  },
};

export function binShow(bin: Command, ctx: Context): void {
  withOutputOptions(
    bin
      .command('show')
      .description(
        'Show everything a bin entry holds, readable: the record’s fields, phones, emails and\n' +
          'links, its history, the other records its operation deleted, and what a restore would do\n' +
          '(worked out by a restore rolled back).',
      )
      .argument('<bin-id>', 'the bin entry (see crmctl recycle-bin list)'),
    showView,
  )
    .addHelpText(
      'after',
      examples('crmctl recycle-bin show 12', 'crmctl recycle-bin show 12 --json'),
    )
    .action(async (idArg, options) => {
      const id = parseId(idArg, 'BIN_ID');
      const session = ctx.session();
      const details = showBinEntry(session, id);
      let restore: { restores: string[]; notes: string[]; refused: string | null };
      try {
        const plan = session.write(() => restoreFromBin(session, [id]), { dryRun: true });
        restore = {
          restores: plan.restored.map((r) => `${r.entityType} ${r.entityId}`),
          notes: plan.notes,
          refused: null,
        };
      } catch (error) {
        if (!(error instanceof CrmError) || error.exitCode !== 5) throw error;
        restore = { restores: [], notes: [], refused: error.message };
      }
      await printRecord(ctx, { ...details, restore }, options, showView);
    });
}
