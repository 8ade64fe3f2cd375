import { onTestFinished } from 'vitest';
import type { ActionOutcome, ActionParams, ActionType } from '../../src/automation/action.js';
import { fixedClock } from '../../src/clock.js';
import { getItem, type Item } from '../../src/items/service.js';
import { type QueuedEvent, Session, systemLogin } from '../../src/session.js';
import { openStore } from '../../src/store/store.js';
import { osLogin } from '../e2e/support.js';
import { newStore } from '../helpers.js';

/**
 * What the tests of the automation's side effects share: a real store made by `init`, a
 * Session on it acting as its admin (the OS login) with an event recorder, the same unit of
 * work acting as rule `ruleId`, and the CLI on the same store.
 */
export async function effectsStore(now = '2026-12-01T10:00:00Z') {
  const { db, cli } = await newStore({ now });
  const store = openStore(db, { busyTimeoutMs: 1000 });
  onTestFinished(() => store.close());
  const events: QueuedEvent[] = [];
  const session = new Session({
    store,
    clock: fixedClock(new Date(now)),
    actor: { login: osLogin, cause: { kind: 'user', id: null }, command: 'test effects' },
    subscribers: [(_session, event) => events.push(event)],
  });
  const asRule = (ruleId: number) =>
    session.as({ login: systemLogin, cause: { kind: 'rule', id: ruleId }, command: null });
  /** Runs `action` for `itemId` inside one write, as rule `ruleId` of the item's stage would. */
  const runAction = (
    action: ActionType,
    itemId: number,
    params: ActionParams,
    ruleId = 7,
  ): ActionOutcome =>
    session.write(() => {
      const item: Item = getItem(session, itemId);
      return action.run({
        session: asRule(ruleId),
        item,
        params,
        rule: { id: ruleId, pipelineId: item.pipeline.id, stageId: item.stage.id },
      });
    });
  return { db, cli, store, session, events, asRule, runAction };
}

/**
 * A store for CLI tests, with `viewer` (items.view only), `outsider` (no items permission) and
 * `anna` (employee, supervised by `boss`), and one lead with a phone and an email.
 */
export async function cliStore(now = '2026-12-01T10:00:00Z') {
  const { db, cli } = await newStore({ now });
  const setup = [
    ['role', 'add', 'viewer', '--permissions', 'items.view'],
    ['role', 'add', 'outsider', '--permissions', 'exceptions.view'],
    ['user', 'add', 'viewer', '--role', 'viewer'],
    ['user', 'add', 'outsider', '--role', 'outsider'],
    ['user', 'add', 'boss', '--role', 'supervisor'],
    ['user', 'add', 'anna', '--role', 'employee', '--supervisor', 'boss'],
    [
      'item',
      'add',
      '--type',
      'lead',
      '--title',
      'Corner sofa',
      '--phone',
      '+44 20 7946 0958',
      '--email',
      'buyer@example.com',
      '--responsible',
      'anna',
    ],
  ];
  for (const argv of setup) {
    const done = await cli(argv);
    if (done.exitCode !== 0) throw new Error(`${argv.join(' ')}: ${done.stderr}`);
  }
  return { db, cli };
}

/** Ids that are not ids, as a command line may give them. */
export const badIds = ['abc', '0', '-1', '1.5', '1e3', '', ' ', '9'.repeat(40), '\u001b[2J'];
