import type { CommandModule } from '../cli/registry.js';
import { automationCommands } from './commands/automation.js';
import { eventCommand } from './commands/event.js';
import { ruleCommands, useRuleWizard } from './commands/rule.js';
import { triggerCommands, useTriggerWizard } from './commands/trigger.js';
import { ruleLintCommand } from './lint-command.js';
import { ruleWizard, triggerWizard } from './wizard-command.js';

/** The automation's top-level commands: rule, trigger, event, automation (one file each under commands/). */
export const commands: CommandModule['commands'] = {
  rule: (program, ctx) => {
    ruleCommands(program, ctx);
    // `rule lint` and the wizard of `rule add` live in their own files (lint-command, wizard-command).
    const rule = program.commands.find((command) => command.name() === 'rule');
    if (rule) ruleLintCommand(rule, ctx);
    useRuleWizard(ruleWizard);
  },
  trigger: (program, ctx) => {
    triggerCommands(program, ctx);
    useTriggerWizard(triggerWizard);
  },
  event: eventCommand,
  automation: automationCommands,
};
