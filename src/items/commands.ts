import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { itemAdd } from './commands/add.js';
import { itemAddToExceptions } from './commands/add-to-exceptions.js';
import { itemDelete } from './commands/delete.js';
import { itemList } from './commands/list.js';
import { itemMove } from './commands/move.js';
import { itemShow } from './commands/show.js';
import { itemUpdate } from './commands/update.js';

export const commands: CommandModule['commands'] = {
  item(program, ctx) {
    const item = program
      .command('item')
      .description('Leads, deals, quotes, invoices and smart-process items')
      .addHelpText(
        'after',
        examples(
          'crmctl item add --type lead --title "Website enquiry" --phone "+44 20 7946 0958"',
          'crmctl item list --stage Won --json',
          'crmctl item move 42 --stage Prepayment',
        ),
      );

    itemAdd(item, ctx);
    itemList(item, ctx);
    itemShow(item, ctx);
    itemUpdate(item, ctx);
    itemMove(item, ctx);
    itemDelete(item, ctx);
    itemAddToExceptions(item, ctx);
  },
};
