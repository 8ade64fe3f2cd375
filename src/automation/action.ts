import type { Item } from '../items/service.js';
import type { AutomationChain, Session } from '../session.js';

/**
 * An action type of DESIGN §2 (`send-sms`, `create-task`, …): its parameters, checked when a
 * rule is added, and what it does when the rule runs. Each lives in its own file under
 * src/automation/actions/ and is listed in src/automation/actions/index.ts; the engine knows
 * no action by name.
 */
export interface ActionType {
  name: string;
  /** One line for `rule actions`. */
  description: string;
  parameters: readonly ActionParameter[];
  /**
   * Checks the parameters beyond their names (a user exists, a duration parses, a stage of the
   * rule's pipeline) when the rule is added or updated: throws a UsageError naming the parameter.
   * Unknown and missing parameters and template fields are checked by the engine before it.
   */
  check?(session: Session, params: ActionParams, where: RulePlace): void;
  /** Does the action inside the command's unit of work; its outcome goes to the automation log. */
  run(run: ActionRun): ActionOutcome;
}

export interface ActionParameter {
  name: string;
  description: string;
  required?: boolean;
  /** Used when the parameter is left out; shown in `rule actions`. */
  default?: string;
  /** A text whose `{{field}}` placeholders are checked at add time (src/automation/template.ts). */
  template?: boolean;
}

export type ActionParams = Readonly<Record<string, string>>;

/** Where a rule sits. */
export interface RulePlace {
  pipelineId: number;
  stageId: number;
}

export interface ActionRun {
  /** The command's unit of work, acting as the system with the rule as cause. */
  session: Session;
  /** The item as it is now, read just before the action runs. */
  item: Item;
  /** The rule's parameters with the defaults filled in. */
  params: ActionParams;
  rule: RulePlace & { id: number };
  /** The automatic chain the rule runs in: an action that moves the item counts a hop of it. */
  chain: AutomationChain;
  /** A number fixed by the rule, the item and the chain: randomness that repeats (`random`). */
  seed: number;
  /** When this run first started: a `wait` that runs again knows how long it has waited. */
  startedAt: Date;
}

export interface ActionOutcome {
  /**
   * `waiting`: not finished yet (a `wait`): the engine runs it again at `until`, or, without
   * it, whenever the item changes and at each `automation run`.
   */
  status: 'done' | 'skipped' | 'failed' | 'waiting';
  /** For `waiting`: when to run again. */
  until?: Date;
  /**
   * Work that must wait until the command's transaction has committed (a webhook's HTTP call):
   * the engine runs it then, and records its outcome in its own small write.
   */
  afterCommit?: () => Promise<ActionOutcome>;
  /** One sentence for the automation log: `SMS #12 to +442079460018 queued`. */
  detail: string;
  /** The records it made or changed, for `automation log -o json`: `{ outboxId: 12 }`. */
  made?: Readonly<Record<string, number | string | null>>;
}
