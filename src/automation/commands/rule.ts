import type { Command, OptionValues } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { printList, printRecord, type View, withOutputOptions } from '../../cli/output.js';
import { examples } from '../../cli/parse.js';
import { printChange } from '../../cli/result.js';
import { UsageError } from '../../errors.js';
import {
  addRule,
  getRule,
  listActionTypes,
  listRules,
  missingRuleFlags,
  type RuleFlags,
  updateRule,
} from '../rules.js';
import { ruleStateCommands } from './rule-state.js';
import { collectParam, idOf, ruleView } from './shared.js';

const actionView: View = {
  fields: ['name', 'description', 'parameters'],
  columns: ['name', 'parameters', 'description'],
  cells: {
    parameters: (value) =>
      ((value ?? []) as { name: string; required: boolean; default: string | null }[])
        .map((p) => `${p.name}${p.required ? '' : '?'}${p.default === null ? '' : `=${p.default}`}`)
        .join(', ') || '—',
  },
};

/**
 * Where a wizard plugs in: given the flags so far, it may fill in the missing ones (on a
 * terminal). Without one, a missing flag is a usage error naming it.
 */
export type RuleWizard = (ctx: Context, flags: RuleFlags) => Promise<RuleFlags>;
let ruleWizard: RuleWizard | undefined;
export function useRuleWizard(wizard: RuleWizard): void {
  ruleWizard = wizard;
}

function timingFlags<
  Args extends unknown[],
  Opts extends OptionValues,
  Globals extends OptionValues,
>(command: Command<Args, Opts, Globals>) {
  return command
    .option(
      '--param <name=value>',
      'an action parameter (repeatable; see crmctl rule actions)',
      collectParam,
    )
    .option('--if <condition>', 'run only when this holds, e.g. "amount >= 1000 and source = form"')
    .option('--delay <duration>', 'run this long after the stage is entered: 30m, 2h, 3d')
    .option(
      '--at-field <field>',
      'time it by a date field of the item: deadline, fields.deadline, createdAt',
    )
    .option('--offset <duration>', 'before (-1d) or after (+2h) the --at-field time')
    .option('--working-hours', 'move the time to the next working time (settings working-time)')
    .option('--after-previous', 'start when the rule above has finished (its delay included)')
    .option('--name <name>', 'a name people recognise the rule by');
}

export function ruleCommands(program: Command, ctx: Context): void {
  const rule = program
    .command('rule')
    .description(
      'Automation rules: one action each, run when an item enters (or is created in) their stage',
    )
    .addHelpText(
      'after',
      examples(
        'crmctl rule add --pipeline "Furniture store" --stage New --action add-comment --param text="Call {{title}} within 30 minutes"',
        'crmctl rule add --stage Prepayment --action change-responsible --param users=ann,bob --param mode=round-robin --delay 2h --working-hours',
        'crmctl rule list --pipeline "Furniture store" --json',
      ),
    );

  withOutputOptions(
    timingFlags(
      rule
        .command('add')
        .description(
          'Add a rule to a stage (needs automation.edit); its parameters are checked now',
        )
        .option(
          '--pipeline <pipeline>',
          'the pipeline, by name or id (default: the default deal pipeline)',
        )
        .option('--type <type>', 'the entity type, to find the pipeline by name')
        .option('--stage <stage>', 'the stage, by name or id')
        .option('--action <action>', 'what the rule does (see crmctl rule actions)'),
    ).option('--disabled', 'add it switched off'),
    ruleView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl rule add --stage New --action set-field --param field=priority --param value=high --if "amount > 5000"',
        'crmctl rule add --stage "In progress" --action webhook --param url=https://example.com/hook --after-previous',
        'crmctl rule add --stage New --action wait --param for=1d',
      ),
    )
    .action(async (options) => {
      const { param, ...rest } = options;
      let flags: RuleFlags = { ...rest, params: param };
      if (missingRuleFlags(flags).length > 0 && ctx.canPrompt && ruleWizard) {
        flags = await ruleWizard(ctx, flags);
      }
      const missing = missingRuleFlags(flags);
      if (missing.length > 0) {
        throw new UsageError(
          `missing ${missing.join(' and ')}: rule add needs a stage and an action (see crmctl rule actions)`,
        );
      }
      const session = ctx.session('automation.edit');
      const added = session.write(() => addRule(session, flags));
      await printChange(ctx, options, added, ruleView, {
        id: added.id,
        note: `Added rule #${added.id}: ${added.action} on ${added.stage.name} (${added.pipeline.name}), ${added.timing}`,
      });
    });

  withOutputOptions(
    rule
      .command('list')
      .description('List rules in pipeline, stage and position order')
      .option('--pipeline <pipeline>', 'only this pipeline')
      .option('--type <type>', 'the entity type, to find the pipeline by name')
      .option('--stage <stage>', 'only this stage'),
    ruleView,
  )
    .addHelpText(
      'after',
      examples('crmctl rule list', 'crmctl rule list --pipeline Sales --stage New --json'),
    )
    .action(async (options) => {
      const session = ctx.session();
      await printList(ctx, listRules(session, options), options, ruleView);
    });

  withOutputOptions(
    rule.command('show').description('Show a rule').argument('<id>', 'rule id'),
    ruleView,
  )
    .addHelpText('after', examples('crmctl rule show 3', 'crmctl rule show 3 --json'))
    .action(async (id, options) => {
      const session = ctx.session();
      await printRecord(ctx, getRule(session, idOf(id, 'a rule id')), options, ruleView);
    });

  withOutputOptions(
    timingFlags(
      rule
        .command('update')
        .description('Change a rule (needs automation.edit); --param name= removes a parameter')
        .argument('<id>', 'rule id'),
    )
      .option('--clear-if', 'remove the condition')
      .option('--immediately', 'run as soon as the stage is entered (no delay or date)')
      .option('--no-working-hours', 'keep the time itself, working or not')
      .option('--no-after-previous', 'start with the stage, not after the rule above'),
    ruleView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl rule update 3 --delay 1h',
        'crmctl rule update 3 --param text="Hello {{title}}" --clear-if',
      ),
    )
    .action(async (id, options) => {
      const session = ctx.session('automation.edit');
      const updated = session.write(() =>
        updateRule(session, idOf(id, 'a rule id'), { ...options, params: options.param }),
      );
      await printChange(ctx, options, updated, ruleView, {
        id: updated.id,
        note: `Updated rule #${updated.id}: ${updated.timing}`,
      });
    });

  ruleStateCommands(rule, ctx);

  withOutputOptions(
    rule
      .command('actions')
      .description('List every action type with its parameters (? optional, =default)'),
    actionView,
  )
    .addHelpText('after', examples('crmctl rule actions', 'crmctl rule actions --json'))
    .action(async (options) => {
      await printList(ctx, listActionTypes(), options, actionView);
    });
}
