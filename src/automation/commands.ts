import type { CommandModule } from '../cli/registry.js';
import { automationCommands } from './commands/automation.js';
import { eventCommand } from './commands/event.js';
import { ruleCommands } from './commands/rule.js';
import { triggerCommands } from './commands/trigger.js';

/** The automation's top-level commands: rule, trigger, event, automation (one file each under commands/). */
export const commands: CommandModule['commands'] = {
  rule: ruleCommands,
  trigger: triggerCommands,
  event: eventCommand,
  automation: automationCommands,
};
