import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { withOutputOptions } from '../../cli/output.js';
import { examples } from '../../cli/parse.js';
import { printChange } from '../../cli/result.js';
import { removeRule, setRuleEnabled } from '../rules.js';
import { idOf, ruleView } from './shared.js';

/** `rule enable`, `rule disable` and `rule remove`. */
export function ruleStateCommands(rule: Command, ctx: Context): void {
  for (const [verb, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const) {
    withOutputOptions(
      rule
        .command(verb)
        .description(
          enabled
            ? 'Switch a rule on (needs automation.edit)'
            : 'Switch a rule off (needs automation.edit); its jobs that have not run are cancelled',
        )
        .argument('<id>', 'rule id'),
      ruleView,
    )
      .addHelpText('after', examples(`crmctl rule ${verb} 3`))
      .action(async (id, options) => {
        const session = ctx.session('automation.edit');
        const changed = session.write(() =>
          setRuleEnabled(session, idOf(id, 'a rule id'), enabled),
        );
        await printChange(ctx, options, changed, ruleView, {
          id: changed.id,
          note: `Rule #${changed.id} is ${enabled ? 'on' : 'off'}`,
        });
      });
  }

  withOutputOptions(
    rule
      .command('remove')
      .description(
        'Remove a rule (needs automation.edit); its jobs that have not run are cancelled, its log stays',
      )
      .argument('<id>', 'rule id'),
    ruleView,
  )
    .addHelpText('after', examples('crmctl rule remove 3'))
    .action(async (id, options) => {
      const session = ctx.session('automation.edit');
      const removed = session.write(() => removeRule(session, idOf(id, 'a rule id')));
      await printChange(ctx, options, removed, ruleView, {
        id: removed.id,
        note: `Removed rule #${removed.id}`,
      });
    });
}
