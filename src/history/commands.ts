import { printList, type View, withOutputOptions } from '../cli/output.js';
import { examples, parseId, parseSinceFlag, withPaging } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { historyListing } from './service.js';
import { hiddenEntityTypes } from './visibility.js';

/** "stage: New → Prepayment; amount: 100 → 120" for people; JSON keeps the structure. */
function describeChanges(value: unknown): string {
  if (value === null || typeof value !== 'object') return '';
  return Object.entries(value as Record<string, unknown>)
    .map(([field, change]) => {
      if (change && typeof change === 'object' && 'from' in change && 'to' in change) {
        const { from, to } = change as { from: unknown; to: unknown };
        return `${field}: ${show(from)} → ${show(to)}`;
      }
      return `${field}: ${show(change)}`;
    })
    .join('; ');
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '∅';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function describeCause(value: unknown): string {
  const cause = value as { kind: string; id: number | null };
  return cause.id === null ? cause.kind : `${cause.kind} #${cause.id}`;
}

function describeEntity(value: unknown): string {
  const entity = value as { type: string; id: number };
  return `${entity.type} #${entity.id}`;
}

export const historyView: View = {
  fields: ['id', 'at', 'actor', 'cause', 'command', 'action', 'entity', 'changes'],
  columns: ['at', 'actor', 'cause', 'action', 'entity', 'changes'],
  cells: { changes: describeChanges, cause: describeCause, entity: describeEntity },
};

export const commands: CommandModule['commands'] = {
  history(program, ctx) {
    withOutputOptions(
      withPaging(program.command('history'))
        .description(
          'Show what changed: who, when, what, and through what (command, rule or trigger). Changes to the exceptions list are shown only to users with exceptions.view, those to the blacklist only to users with telephony.settings',
        )
        .option('--item <id>', 'only this item')
        .option('--actor <login>', 'only changes made by this user (system: automation)')
        .option('--since <time>', 'only changes at or after this time (ISO-8601, or 7d, 12h …)'),
      historyView,
    )
      .addHelpText(
        'after',
        examples('crmctl history --item 42', 'crmctl history --actor anna --since 7d --json'),
      )
      .action(async (options) => {
        const session = ctx.session('items.view');
        const entries = historyListing(session, {
          hiddenEntityTypes: hiddenEntityTypes(session),
          entity:
            options.item === undefined
              ? undefined
              : { type: 'item', id: parseId(options.item, '--item') },
          actor: options.actor,
          since: parseSinceFlag(options.since, '--since', ctx.clock),
          limit: options.limit,
          offset: options.offset,
        });
        await printList(ctx, entries, options, historyView);
      });
  },
};
