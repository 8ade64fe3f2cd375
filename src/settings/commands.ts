import { printList, type View, withOutputOptions } from '../cli/output.js';
import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { printChange, printResult } from '../cli/result.js';
import { settingsWorkingTime } from './commands/working-time.js';
import { getSetting, listSettings, setSetting } from './service.js';

const settingView: View = {
  fields: ['key', 'value', 'isDefault', 'description'],
  columns: ['key', 'value', 'description'],
};

export const commands: CommandModule['commands'] = {
  settings(program, ctx) {
    const settings = program
      .command('settings')
      .description('Store-wide settings, such as the default country for phone numbers')
      .addHelpText(
        'after',
        examples(
          'crmctl settings list',
          'crmctl settings set default-country GB',
          'crmctl settings working-time --days mon-fri --from 09:00 --to 19:00 --tz Europe/London',
        ),
      );

    withOutputOptions(
      settings.command('list').description('List every setting with its value'),
      settingView,
    )
      .addHelpText('after', examples('crmctl settings list --json'))
      .action(async (options) => {
        const session = ctx.session('items.view');
        await printList(
          ctx,
          listSettings(session).map((s) => ({ ...s })),
          options,
          settingView,
        );
      });

    withOutputOptions(
      settings.command('get').description('Show one setting').argument('<key>', 'setting name'),
      settingView,
    )
      .addHelpText('after', examples('crmctl settings get default-country'))
      .action(async (key, options) => {
        const session = ctx.session('items.view');
        const setting = getSetting(session, key);
        // The bare value, for `$(crmctl settings get …)`; a format asked for prints the record.
        await printResult(ctx, options, setting, settingView, () => ctx.out(setting.value ?? ''));
      });

    withOutputOptions(
      settings
        .command('set')
        .description('Change a setting; an empty value restores the default (needs users.manage)')
        .argument('<key>', 'setting name')
        .argument('<value>', 'new value'),
      settingView,
    )
      .addHelpText(
        'after',
        examples(
          'crmctl settings set default-country GB',
          "crmctl settings set default-country ''",
        ),
      )
      .action(async (key, value, options) => {
        const session = ctx.session('users.manage');
        const setting = session.write(() => setSetting(session, key, value));
        await printChange(ctx, options, { ...setting }, settingView, {
          id: setting.value ?? '',
          note: `${setting.key} is now ${setting.value ?? '(not set)'}`,
        });
      });

    settingsWorkingTime(settings, ctx);
  },
};
