import { Option } from '@commander-js/extra-typings';
import type { View } from '../../cli/output.js';

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
