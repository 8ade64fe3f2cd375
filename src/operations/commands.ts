import {
  formatOf,
  printJson,
  printList,
  printRecord,
  type View,
  withOutputOptions,
} from '../cli/output.js';
import { examples, parseId, parseSinceFlag, withPaging } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { historyView } from '../history/commands.js';
import { changeKindsOf, historyOfOperation } from '../history/service.js';
import { hiddenEntityTypes } from '../history/visibility.js';
import { mapListing } from '../listing.js';
import type { Session } from '../session.js';
import { getOperation, listOperations, type Operation } from './service.js';

/** "added 3, duplicates 1": an operation's counts on one line. */
function describeSummary(value: unknown): string {
  return Object.entries((value ?? {}) as Record<string, unknown>)
    .map(([key, count]) => `${key} ${typeof count === 'object' ? JSON.stringify(count) : count}`)
    .join(', ');
}

export const operationView: View = {
  fields: ['id', 'kind', 'actor', 'command', 'at', 'summary', 'undoneAt'],
  columns: ['id', 'at', 'kind', 'actor', 'summary', 'undoneAt'],
  cells: { summary: describeSummary },
};

/** What protected lists hold is hidden as in `history` (src/history/visibility.ts). */
const hiddenFrom = hiddenEntityTypes;

/**
 * An operation as this user may see it: the command line of one that changed what they may not
 * see (`exceptions add VALUE…`) is withheld (null), as its history entries are.
 */
function shownTo(session: Session, hidden: readonly string[]): (operation: Operation) => Operation {
  if (hidden.length === 0) return (operation) => operation;
  return (operation) =>
    changeKindsOf(session, operation.id).some((change) => hidden.includes(change.entityType))
      ? { ...operation, command: null }
      : operation;
}

export const commands: CommandModule['commands'] = {
  operation(program, ctx) {
    const operation = program
      .command('operation')
      .description(
        'What each command that changed something did: one operation per command, with its\n' +
          'kind, actor, command line, time and counts; crmctl undo OP takes one back',
      )
      .addHelpText(
        'after',
        examples('crmctl operation list --since 1d', 'crmctl operation show 12 --json'),
      );

    withOutputOptions(
      withPaging(
        operation
          .command('list')
          .description('List operations in the order they ran, filtered (needs items.view)')
          .option('--kind <kind>', 'only this kind (e.g. exceptions-import, item-move, undo)')
          .option('--actor <login>', 'only those of this user')
          .option('--since <time>', 'only those at or after this time (ISO-8601, or 7d, 12h …)'),
      ),
      operationView,
    )
      .addHelpText(
        'after',
        examples(
          'crmctl operation list --since 12h',
          'crmctl operation list --kind exceptions-import --json',
        ),
      )
      .action(async (options) => {
        const session = ctx.session('items.view');
        const operations = listOperations(session, {
          kind: options.kind,
          actor: options.actor,
          since: parseSinceFlag(options.since, '--since', ctx.clock),
          limit: options.limit,
          offset: options.offset,
        });
        const shown = shownTo(session, hiddenFrom(session));
        await printList(ctx, mapListing(operations, shown), options, operationView);
      });

    const showView: View = { ...operationView, fields: [...operationView.fields, 'history'] };
    withOutputOptions(
      operation
        .command('show')
        .description(
          'Show one operation and what it changed: its history entries (needs items.view; those\n' +
            'of the exceptions list need exceptions.view, of the blacklist telephony.settings)',
        )
        .argument('<op>', 'the operation id'),
      showView,
    )
      .addHelpText('after', examples('crmctl operation show 12', 'crmctl operation show 12 --json'))
      .action(async (op, options) => {
        const session = ctx.session('items.view');
        const hidden = hiddenFrom(session);
        const shown = shownTo(session, hidden)(getOperation(session, parseId(op, 'OP')));
        const history = historyOfOperation(session, shown.id, { hiddenEntityTypes: hidden });
        if (formatOf(options) === 'json' && !options.fields) {
          printJson(ctx, { ...shown, history });
          return;
        }
        if (options.fields) {
          await printRecord(ctx, { ...shown, history }, options, showView);
          return;
        }
        await printRecord(ctx, shown, options, operationView);
        if (formatOf(options) === 'table' && history.length > 0) {
          ctx.out('\nhistory');
          await printList(ctx, history, { output: options.output }, historyView);
        }
      });
  },
};
