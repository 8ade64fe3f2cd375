import type { Command } from '@commander-js/extra-typings';
import type { Context } from '../../cli/context.js';
import { printList, printRecord, type View, withOutputOptions } from '../../cli/output.js';
import { examples } from '../../cli/parse.js';
import { printChange } from '../../cli/result.js';
import { UsageError } from '../../errors.js';
import {
  addTrigger,
  getTrigger,
  listTriggers,
  missingTriggerFlags,
  type TriggerFlags,
  triggerEvents,
  updateTrigger,
} from '../triggers.js';
import { collectParam, idOf, triggerView } from './shared.js';
import { triggerStateCommands } from './trigger-state.js';

const eventView: View = {
  fields: ['name', 'description', 'triggerParams', 'eventParams'],
  columns: ['name', 'triggerParams', 'eventParams', 'description'],
  cells: {
    triggerParams: (value) =>
      ((value ?? []) as { name: string; required: boolean }[])
        .map((p) => `${p.name}${p.required ? '' : '?'}`)
        .join(', ') || '—',
    eventParams: (value) =>
      ((value ?? []) as { name: string }[]).map((p) => p.name).join(', ') || '—',
  },
};

/** Where a wizard plugs in for `trigger add` (see RuleWizard). */
export type TriggerWizard = (ctx: Context, flags: TriggerFlags) => Promise<TriggerFlags>;
let triggerWizard: TriggerWizard | undefined;
export function useTriggerWizard(wizard: TriggerWizard): void {
  triggerWizard = wizard;
}

export function triggerCommands(program: Command, ctx: Context): void {
  const trigger = program
    .command('trigger')
    .description('Triggers: on an event, move the item to the trigger’s stage (seed 004)')
    .addHelpText(
      'after',
      examples(
        'crmctl trigger add --pipeline "Furniture store" --stage Prepayment --on payment-received',
        'crmctl trigger add --stage "In progress" --on field-changed --param fields=amount,deadline --allow-back',
        'crmctl trigger events',
      ),
    );

  withOutputOptions(
    trigger
      .command('add')
      .description('Add a trigger to a stage (needs automation.edit)')
      .option(
        '--pipeline <pipeline>',
        'the pipeline, by name or id (default: the default deal pipeline)',
      )
      .option('--type <type>', 'the entity type, to find the pipeline by name')
      .option('--stage <stage>', 'the stage it moves items to, by name or id')
      .option('--on <event>', 'the event it waits for (see crmctl trigger events)')
      .option(
        '--param <name=value>',
        'an event parameter: fields=… for field-changed, code=… for webhook',
        collectParam,
      )
      .option('--if <condition>', 'move only when this holds')
      .option('--allow-back', 'may move items to an earlier stage (and out of final ones)')
      .option('--name <name>', 'a name people recognise the trigger by'),
    triggerView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl trigger add --stage Prepayment --on payment-received --if "amount > 0"',
        'crmctl trigger add --stage New --on webhook --param code=reopen --allow-back',
      ),
    )
    .action(async (options) => {
      const { param, ...rest } = options;
      let flags: TriggerFlags = { ...rest, params: param };
      if (missingTriggerFlags(flags).length > 0 && ctx.canPrompt && triggerWizard) {
        flags = await triggerWizard(ctx, flags);
      }
      const missing = missingTriggerFlags(flags);
      if (missing.length > 0) {
        throw new UsageError(
          `missing ${missing.join(' and ')}: trigger add needs a stage and an event (see crmctl trigger events)`,
        );
      }
      const session = ctx.session('automation.edit');
      const added = session.write(() => addTrigger(session, flags));
      await printChange(ctx, options, added, triggerView, {
        id: added.id,
        note: `Added trigger #${added.id}: on ${added.event}, move to ${added.stage.name} (${added.pipeline.name})`,
      });
    });

  withOutputOptions(
    trigger
      .command('list')
      .description('List triggers in pipeline and stage order')
      .option('--pipeline <pipeline>', 'only this pipeline')
      .option('--type <type>', 'the entity type, to find the pipeline by name')
      .option('--stage <stage>', 'only this stage')
      .option('--on <event>', 'only this event'),
    triggerView,
  )
    .addHelpText(
      'after',
      examples('crmctl trigger list', 'crmctl trigger list --on payment-received --json'),
    )
    .action(async (options) => {
      const session = ctx.session();
      await printList(ctx, listTriggers(session, options), options, triggerView);
    });

  withOutputOptions(
    trigger.command('show').description('Show a trigger').argument('<id>', 'trigger id'),
    triggerView,
  )
    .addHelpText('after', examples('crmctl trigger show 2 --json'))
    .action(async (id, options) => {
      const session = ctx.session();
      await printRecord(ctx, getTrigger(session, idOf(id, 'a trigger id')), options, triggerView);
    });

  withOutputOptions(
    trigger
      .command('update')
      .description('Change a trigger (needs automation.edit); --param name= removes a parameter')
      .argument('<id>', 'trigger id')
      .option('--on <event>', 'another event (its parameters start afresh)')
      .option('--param <name=value>', 'an event parameter', collectParam)
      .option('--if <condition>', 'a new condition')
      .option('--clear-if', 'remove the condition')
      .option('--allow-back', 'may move items back')
      .option('--no-allow-back', 'moves items forward only')
      .option('--name <name>', 'a new name'),
    triggerView,
  )
    .addHelpText(
      'after',
      examples(
        'crmctl trigger update 2 --allow-back',
        'crmctl trigger update 2 --param fields=amount',
      ),
    )
    .action(async (id, options) => {
      const session = ctx.session('automation.edit');
      const updated = session.write(() =>
        updateTrigger(session, idOf(id, 'a trigger id'), { ...options, params: options.param }),
      );
      await printChange(ctx, options, updated, triggerView, {
        id: updated.id,
        note: `Updated trigger #${updated.id}`,
      });
    });

  triggerStateCommands(trigger, ctx);

  withOutputOptions(
    trigger
      .command('events')
      .description('List the events triggers wait for, with their parameters (? optional)'),
    eventView,
  )
    .addHelpText('after', examples('crmctl trigger events', 'crmctl trigger events --json'))
    .action(async (options) => {
      await printList(ctx, triggerEvents, options, eventView);
    });
}
