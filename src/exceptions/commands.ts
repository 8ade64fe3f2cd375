import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { addAdd } from './commands/add.js';
import { addBatches } from './commands/batches.js';
import { addCheck } from './commands/check.js';
import { addExport } from './commands/export.js';
import { addImport } from './commands/import.js';
import { addList } from './commands/list.js';
import { addRemove } from './commands/remove.js';
import { addUndoImport } from './commands/undo-import.js';

/** The `exceptions` noun; each verb lives in commands/<verb>.ts with its options, action and help. */
export const commands: CommandModule['commands'] = {
  exceptions(program, ctx) {
    const exceptions = program
      .command('exceptions')
      .description(
        'The exceptions list: phones and emails from which no lead or deal is created (inbound\n' +
          'emails and calls); chats and CRM forms are not affected. Applies to the whole CRM.',
      )
      .addHelpText(
        'after',
        examples(
          'crmctl exceptions import spam.txt --country GB --rejects rejected.csv',
          'crmctl exceptions check "+44 20 7946 0958" && echo listed',
          'crmctl exceptions list --comment supplier --json',
        ),
      );
    for (const add of [
      addImport,
      addUndoImport,
      addBatches,
      addAdd,
      addRemove,
      addList,
      addExport,
      addCheck,
    ])
      add(exceptions, ctx);
  },
};
