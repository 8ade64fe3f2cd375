import { Option } from '@commander-js/extra-typings';
import type { FlagHint } from '../../cli/flag-hints.js';
import type { View } from '../../cli/output.js';
import { MoveIntoRemovedError } from '../../items/service.js';
import { AmbiguousPipelineError, HoldsItemsError, type StageRefOptions } from '../service.js';

export const typeView: View = {
  fields: ['id', 'name', 'title', 'builtin', 'manyPipelines', 'pipelines', 'createdAt'],
  columns: ['name', 'title', 'builtin', 'manyPipelines', 'pipelines'],
};

export const pipelineView: View = {
  fields: ['id', 'type', 'name', 'isDefault', 'stages', 'createdAt'],
  columns: ['id', 'type', 'name', 'isDefault', 'stages'],
};

export const removedPipelineView: View = {
  ...pipelineView,
  fields: [...pipelineView.fields, 'movedItems'],
};

/** `pipeline show` as a record: its stages with how many items each holds. */
export const pipelineShowView: View = {
  ...pipelineView,
  cells: {
    stages: (value) =>
      ((value ?? []) as { name: string; items: number }[])
        .map((s) => `${s.name} (${s.items})`)
        .join(', '),
  },
};

export const stageView: View = {
  fields: ['id', 'pipelineId', 'name', 'position', 'semantic', 'items'],
  columns: ['id', 'position', 'name', 'semantic', 'items'],
};

export const pipelineOption = () =>
  new Option(
    '--pipeline <pipeline>',
    'pipeline name or id (default: the default pipeline of --type)',
  );
export const typeOption = () =>
  new Option('--type <type>', 'entity type: lead, deal, quote, invoice or a smart process');

/** The stage a verb names: STAGE (name or id) of --pipeline, else of the default pipeline of --type. */
export function stageRef(
  stage: string,
  options: { pipeline?: string; type?: string },
): StageRefOptions {
  return { pipeline: options.pipeline, type: options.type, stage };
}

/** A pipeline name that pipelines of several types have: --type tells them apart. */
export const pipelineTypeHint: FlagHint = (error) =>
  error instanceof AmbiguousPipelineError
    ? `${error.candidates}: add --type or give the id`
    : undefined;

/** `pipeline remove` and `stage remove`: where the items go is --move-items-to. */
export const moveItemsToHint: FlagHint = (error) => {
  if (error instanceof HoldsItemsError) {
    return error.what === 'pipeline'
      ? `pipeline "${error.removed}" holds items: move them first with --move-items-to`
      : `stage "${error.removed}" holds items: name where they go with --move-items-to`;
  }
  if (error instanceof MoveIntoRemovedError) {
    return error.removing === 'pipeline'
      ? `--move-items-to names the pipeline being removed ("${error.removed}"): name another ${error.target.type} pipeline for its items`
      : `--move-items-to names the stage being removed ("${error.removed}"): name another stage of "${error.target.name}" for its items`;
  }
  return undefined;
};
