import { parseDuration } from '../../clock.js';
import { UsageError } from '../../errors.js';
import type { ActionType } from '../action.js';
import { evaluateCondition, itemFields, itemValues, parseCondition } from '../condition.js';

/**
 * `wait` (a helper): holds its chain until a condition holds (`until`, checked when the item
 * changes and at each `automation run`) or for a time (`for`); the --after-previous rule below
 * it then runs.
 */
export const wait: ActionType = {
  name: 'wait',
  description:
    'Wait until a condition holds or for a time; the --after-previous rule below then runs',
  parameters: [
    { name: 'until', description: 'a condition, as for --if' },
    { name: 'for', description: 'a duration such as 2h or 3d' },
  ],
  check(_session, params) {
    if ((params.until === undefined) === (params.for === undefined)) {
      throw new UsageError('wait takes one of --param until=CONDITION or --param for=DURATION');
    }
    if (params.until !== undefined)
      parseCondition(params.until, itemFields, { flag: '--param until' });
    if (params.for !== undefined) {
      if (parseDuration(params.for, '--param for') <= 0) {
        throw new UsageError('--param for takes a duration longer than nothing, such as 2h');
      }
    }
  },
  run({ session, item, params, startedAt }) {
    const now = session.clock.now();
    if (params.for !== undefined) {
      const end = new Date(startedAt.getTime() + parseDuration(params.for, '--param for'));
      if (now.getTime() >= end.getTime()) return { status: 'done', detail: `waited ${params.for}` };
      return { status: 'waiting', detail: `waiting ${params.for}`, until: end };
    }
    const condition = parseCondition(params.until ?? '', itemFields, { flag: '--param until' });
    const { result, seen } = evaluateCondition(condition, itemValues(item), now);
    if (result) {
      return {
        status: 'done',
        detail: `the condition holds: ${params.until}`,
        made: { seen: JSON.stringify(seen) },
      };
    }
    return { status: 'waiting', detail: `waiting until ${params.until}` };
  },
};
