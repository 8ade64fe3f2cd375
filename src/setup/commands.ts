import { printRecord, type View, withOutputOptions } from '../cli/output.js';
import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { latestVersion } from '../store/migrations.js';

const initView: View = {
  fields: ['path', 'created', 'schemaVersion', 'you'],
  columns: ['path', 'created', 'schemaVersion', 'you'],
};

export const commands: CommandModule['commands'] = {
  init(program, ctx) {
    withOutputOptions(
      program
        .command('init')
        .description(
          'Create the store (or bring an older one up to date). A new store gets the built-in roles,\n' +
            'the default pipelines, and you (the OS login) as its admin. Safe to run again.',
        ),
      initView,
    )
      .addHelpText('after', examples('crmctl init', 'crmctl --db ./crm.db init --json'))
      .action(async (options) => {
        const store = ctx.store;
        const created = ctx.storeCreated;
        const result = { path: store.path, created, schemaVersion: latestVersion, you: ctx.login };
        await printRecord(ctx, result, options, initView);
        ctx.note(
          created ? `Created ${store.path}; ${ctx.login} is its admin` : `${store.path} is ready`,
        );
      });
  },
};
