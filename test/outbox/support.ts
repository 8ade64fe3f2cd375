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
