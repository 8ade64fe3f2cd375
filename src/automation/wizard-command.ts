import type { Context } from '../cli/context.js';
import { listPipelines } from '../pipelines/service.js';
import { systemLogin } from '../session.js';
import { listUsers } from '../users/service.js';
import { customFieldsOfType } from './lint-source.js';
import { listActionTypes, listRules, type RuleFlags } from './rules.js';
import { type TriggerFlags, triggerEvents } from './triggers.js';
import {
  fillRuleFlags,
  fillTriggerFlags,
  ruleCommandLine,
  triggerCommandLine,
  type WizardChoices,
} from './wizard.js';

/**
 * The wizard as the commands call it (src/automation/commands/rule.ts `useRuleWizard`): reads
 * what it may offer from the store, asks on the terminal, and says the command line that does
 * the same without questions.
 */
function choicesOf(ctx: Context, type: string | undefined): WizardChoices {
  // Refused before the first question when the person may not add rules.
  const session = ctx.session('automation.edit');
  const rulesByStage = new Map<number, number>();
  for (const rule of listRules(session)) {
    rulesByStage.set(rule.stage.id, (rulesByStage.get(rule.stage.id) ?? 0) + 1);
  }
  const pipelines = listPipelines(session, type).map((p) => ({ ...p, rulesByStage }));
  const fieldTypes = [...new Set(pipelines.map((p) => p.type))];
  return {
    pipelines,
    actions: listActionTypes(),
    users: [...listUsers(session).rows]
      .filter((u) => u.login !== systemLogin)
      .map((u) => ({ login: u.login, name: u.name })),
    customFields: [...new Set(fieldTypes.flatMap((t) => customFieldsOfType(session, t)))].sort(),
    events: triggerEvents,
  };
}

/** The global options to repeat in the printed command line: the store and the acting user. */
function globalWords(ctx: Context): string[] {
  const words: string[] = [];
  const db = ctx.globalOption('db');
  const as = ctx.globalOption('as');
  if (db !== undefined) words.push('--db', db);
  if (as !== undefined) words.push('--as', as);
  return words;
}

export async function ruleWizard(ctx: Context, flags: RuleFlags): Promise<RuleFlags> {
  const filled = await fillRuleFlags(ctx.prompter, choicesOf(ctx, flags.type), flags);
  ctx.note(`The same without questions:\n  ${ruleCommandLine(filled, globalWords(ctx))}`);
  return filled;
}

export async function triggerWizard(ctx: Context, flags: TriggerFlags): Promise<TriggerFlags> {
  const filled = await fillTriggerFlags(ctx.prompter, choicesOf(ctx, flags.type), flags);
  ctx.note(`The same without questions:\n  ${triggerCommandLine(filled, globalWords(ctx))}`);
  return filled;
}
