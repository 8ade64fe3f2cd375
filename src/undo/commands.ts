import { formatOf, printRecord, type View, withOutputOptions } from '../cli/output.js';
import { examples, parseId } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { printChange } from '../cli/result.js';
import { ConflictError } from '../errors.js';
import { undoHandlers } from '../registrations.js';
import { DependentsError } from './handler.js';
import { describeDependent, type UndoResult, undoOperation } from './service.js';

const undoView: View = {
  fields: ['operationId', 'undone', 'kind', 'dryRun', 'changes', 'notes', 'forced'],
  columns: ['operationId', 'undone', 'kind', 'dryRun', 'changes'],
  cells: {
    changes: (value) =>
      Object.entries((value ?? {}) as Record<string, Record<string, number>>)
        .map(
          ([feature, counts]) =>
            `${feature}: ${Object.entries(counts)
              .map(([name, n]) => `${name} ${n}`)
              .join(', ')}`,
        )
        .join('; '),
  },
};

function describeUndo(result: UndoResult): string {
  const what = Object.entries(result.said)
    .map(([feature, said]) => `${feature}: ${said}`)
    .join('; ');
  return `${result.dryRun ? 'Would undo' : 'Undid'} operation ${result.undone} (${result.kind}): ${what}`;
}

export const commands: CommandModule['commands'] = {
  undo(program, ctx) {
    withOutputOptions(
      program
        .command('undo')
        .description(
          'Take back everything operation OP did, across features, in one transaction (see crmctl\n' +
            'operation list): an exceptions import (only what it added; comments it overwrote put\n' +
            'back unless changed since), add or remove (the entries come back as they were). Needs\n' +
            'the permission each change needed. Exit 5 when it was undone already, when undo\n' +
            'cannot take back what it did, or when a later operation depends on it (named; --force\n' +
            'goes ahead). Prints the undo’s own operation id.',
        )
        .argument('<op>', 'the operation id')
        .option('--dry-run', 'do the undo, report it, and roll it back')
        .option(
          '--force',
          'also when later operations depend on it: what they did to the same entries stays',
        ),
      undoView,
    )
      .addHelpText(
        'after',
        examples('crmctl undo 12', 'crmctl undo 12 --dry-run --json', 'crmctl undo 12 --force'),
      )
      .action(async (op, options) => {
        const id = parseId(op, 'OP');
        const session = ctx.session();
        const handlers = [
          ...(await Promise.all(undoHandlers.map((load) => load()))),
          ...ctx.extraUndoHandlers,
        ];
        const dryRun = options.dryRun === true;
        let result: UndoResult;
        try {
          result = session.write(
            () => undoOperation(session, id, handlers, { force: options.force === true, dryRun }),
            { dryRun },
          );
        } catch (error) {
          if (error instanceof DependentsError)
            throw new ConflictError(`${error.message}, or add --force to undo it anyway`);
          throw error;
        }
        result.operationId = session.operationId;
        const { said: _, ...record } = result;
        const note = describeUndo(result);
        if (result.operationId === null) {
          // A dry run keeps nothing: no operation id to print.
          if (formatOf(options) !== 'table' || options.fields)
            await printRecord(ctx, record, options, undoView);
          else ctx.note(note);
        } else {
          await printChange(ctx, options, record, undoView, { id: result.operationId, note });
        }
        for (const forced of result.forced)
          ctx.note(`went past ${describeDependent(forced)} (--force)`);
        for (const line of result.notes) ctx.note(line);
      });
  },
};
