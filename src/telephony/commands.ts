import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { addAdd } from './commands/add.js';
import { addCheck } from './commands/check.js';
import { addExplain } from './commands/explain.js';
import { addExport } from './commands/export.js';
import { addImport } from './commands/import.js';
import { addIncoming } from './commands/incoming.js';
import { addList } from './commands/list.js';
import { addLog } from './commands/log.js';
import { addRemove } from './commands/remove.js';
import { addAllow, addAllowed, addDisallow, addSettings } from './commands/settings.js';

/** The `blacklist` and `call` nouns (DESIGN §4); each verb in commands/*.ts. */
export const commands: CommandModule['commands'] = {
  blacklist(program, ctx) {
    const blacklist = program
      .command('blacklist')
      .description(
        'The telephony blacklist: calls from listed numbers are declined ("Hungup call by blacklist",\n' +
          'code 423); numbers match in any spelling; auto-block after N calls in M minutes outside\n' +
          'working time; an allow-list. Everything needs telephony.settings, reading included.',
      )
      .addHelpText(
        'after',
        examples(
          'crmctl blacklist add "+44 20 7946 0018;robocaller" --expires 7d',
          'crmctl blacklist check 02079460018 --country GB && echo declined',
          'crmctl blacklist settings --auto-block on --calls 5 --minutes 5 --notify anna',
          'crmctl blacklist explain "+44 20 7946 0018"',
        ),
      );
    for (const add of [
      addAdd,
      addRemove,
      addList,
      addCheck,
      addImport,
      addExport,
      addSettings,
      addAllow,
      addDisallow,
      addAllowed,
      addExplain,
    ])
      add(blacklist, ctx);
  },
  call(program, ctx) {
    const call = program
      .command('call')
      .description(
        'Simulate inbound calls through the blacklist and the CRM, and read the call log',
      )
      .addHelpText(
        'after',
        examples(
          'crmctl call incoming --from "+44 20 7946 0018"',
          'crmctl call log --status declined',
        ),
      );
    addIncoming(call, ctx);
    addLog(call, ctx);
  },
};
