import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { binList } from './commands/list.js';
import { binPurge } from './commands/purge.js';
import { binRestore } from './commands/restore.js';
import { binSettings } from './commands/settings.js';
import { binShow } from './commands/show.js';

export const commands: CommandModule['commands'] = {
  'recycle-bin'(program, ctx) {
    const bin = program
      .command('recycle-bin')
      .description(
        'Deleted items, contacts and companies, kept whole: find, inspect, restore with their ids, purge',
      )
      .addHelpText(
        'after',
        examples(
          'crmctl recycle-bin list --search "+44 20 7946 0958"',
          'crmctl recycle-bin show 12',
          'crmctl recycle-bin restore 12 --with-related',
          'crmctl recycle-bin purge --older-than 30d --yes',
        ),
      );
    binList(bin, ctx);
    binShow(bin, ctx);
    binRestore(bin, ctx);
    binPurge(bin, ctx);
    binSettings(bin, ctx);
  },
};
