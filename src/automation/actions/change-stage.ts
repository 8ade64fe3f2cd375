import { getPipeline, stageOf } from '../../pipelines/service.js';
import type { ActionType } from '../action.js';
import { automaticMove, LoopStop } from '../loop-guard.js';

/** `change-stage`: moves the item to another stage of its pipeline (one hop of its chain). */
export const changeStage: ActionType = {
  name: 'change-stage',
  description: 'Move the item to another stage of its pipeline',
  parameters: [
    { name: 'stage', description: 'a stage of the rule’s pipeline, by name or id', required: true },
  ],
  check(session, params, where) {
    stageOf(getPipeline(session, String(where.pipelineId)), params.stage ?? '');
  },
  run({ session, item, params, rule, chain }) {
    const stage = stageOf(getPipeline(session, String(item.pipeline.id)), params.stage ?? '');
    if (stage.id === item.stage.id) {
      return { status: 'skipped', detail: `the item is already in ${stage.name}` };
    }
    const moved = automaticMove(session, { kind: 'rule', id: rule.id }, chain, item, stage.id);
    if (moved instanceof LoopStop) return { status: 'failed', detail: moved.detail };
    return { status: 'done', detail: `moved the item from ${item.stage.name} to ${stage.name}` };
  },
};
