import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { escapeControls } from '../../cli/escape.js';
import { formatOf, printRecord, type View, withOutputOptions } from '../../cli/output.js';
import { examples, parseId } from '../../cli/parse.js';
import { CrmError } from '../../errors.js';
import { restoreFromBin, showBinEntry } from '../service.js';
import { binView } from './shared.js';

const showView: View = {
  fields: [...binView.fields, 'deleted', 'history', 'operation', 'restore'],
  columns: [...binView.fields, 'deleted', 'history', 'operation', 'restore'],
  cells: {
    ...binView.cells,
    deleted: (value) =>
      Object.entries((value ?? {}) as Record<string, unknown>)
        .map(([part, held]) => `${part}${countOf(held)}`)
        .join(', '),
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
      if (formatOf(options) === 'table' && !options.fields) {
        // Each part on lines of its own: the fields, the phones, the tasks, the automation log …
        for (const [part, held] of Object.entries(details.deleted)) {
          const lines = linesOf(held);
          if (lines.length > 0) ctx.out(`\n${part}\n${lines.map(escapeControls).join('\n')}`);
        }
      }
    });
}

/** " (3)" for a part that is a list, " (2 log, 1 jobs)" for one made of lists, else nothing. */
function countOf(held: unknown): string {
  if (Array.isArray(held)) return ` (${held.length})`;
  if (held && typeof held === 'object') {
    const lists = Object.entries(held).filter(([, v]) => Array.isArray(v));
    if (lists.length > 0 && lists.length === Object.keys(held).length) {
      return ` (${lists.map(([k, v]) => `${(v as unknown[]).length} ${k}`).join(', ')})`;
    }
  }
  return '';
}

/** A part as lines: one per element of a list, `key value, …`; an object's lists under their names. */
function linesOf(held: unknown, indent = ''): string[] {
  if (Array.isArray(held)) return held.map((element) => `${indent}${pairsOf(element)}`);
  if (held && typeof held === 'object') {
    return Object.entries(held).flatMap(([key, value]) =>
      Array.isArray(value)
        ? value.length > 0
          ? [`${indent}${key}:`, ...linesOf(value, `${indent}  `)]
          : []
        : [`${indent}${key}: ${cellOf(value)}`],
    );
  }
  return held === undefined ? [] : [`${indent}${cellOf(held)}`];
}

function pairsOf(element: unknown): string {
  if (!element || typeof element !== 'object') return cellOf(element);
  return Object.entries(element)
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => `${key} ${cellOf(value)}`)
    .join(', ');
}

function cellOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === null ? '—' : JSON.stringify(value);
}
