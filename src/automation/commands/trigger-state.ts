import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { withOutputOptions } from '../../cli/output.js';
import { examples } from '../../cli/parse.js';
import { printChange } from '../../cli/result.js';
import { removeTrigger, setTriggerEnabled } from '../triggers.js';
import { idOf, triggerView } from './shared.js';

/** `trigger enable`, `trigger disable` and `trigger remove`. */
export function triggerStateCommands(trigger: Command, ctx: Context): void {
  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    withOutputOptions(
      trigger
        .command(verb)
        .description(
          enabled
            ? 'Switch a trigger on (needs automation.edit)'
            : 'Switch a trigger off (needs automation.edit)',
        )
        .argument('<id>', 'trigger id'),
      triggerView,
    )
      .addHelpText('after', examples(`crmctl trigger ${verb} 2`))
      .action(async (id, options) => {
        const session = ctx.session('automation.edit');
        const changed = session.write(() =>
          setTriggerEnabled(session, idOf(id, 'a trigger id'), enabled),
        );
        await printChange(ctx, options, changed, triggerView, {
          id: changed.id,
          note: `Trigger #${changed.id} is ${enabled ? 'on' : 'off'}`,
        });
      });
  }

  withOutputOptions(
    trigger
      .command('remove')
      .description('Remove a trigger (needs automation.edit); its log stays')
      .argument('<id>', 'trigger id'),
    triggerView,
  )
    .addHelpText('after', examples('crmctl trigger remove 2'))
    .action(async (id, options) => {
      const session = ctx.session('automation.edit');
      const removed = session.write(() => removeTrigger(session, idOf(id, 'a trigger id')));
      await printChange(ctx, options, removed, triggerView, {
        id: removed.id,
        note: `Removed trigger #${removed.id}`,
      });
    });
}
