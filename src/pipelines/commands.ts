import { examples } from '../cli/parse.js';
import type { CommandModule } from '../cli/registry.js';
import { pipelineAdd } from './commands/pipeline/add.js';
import { pipelineList } from './commands/pipeline/list.js';
import { pipelineRemove } from './commands/pipeline/remove.js';
import { pipelineRename } from './commands/pipeline/rename.js';
import { pipelineShow } from './commands/pipeline/show.js';
import { stageAdd } from './commands/stage/add.js';
import { stageList } from './commands/stage/list.js';
import { stageMove } from './commands/stage/move.js';
import { stageRemove } from './commands/stage/remove.js';
import { stageRename } from './commands/stage/rename.js';
import { typeAdd } from './commands/type/add.js';
import { typeList } from './commands/type/list.js';

export const commands: CommandModule['commands'] = {
  type(program, ctx) {
    const type = program
      .command('type')
      .description('Entity types: lead, deal, quote, invoice and your own smart processes')
      .addHelpText(
        'after',
        examples('crmctl type list', 'crmctl type add delivery --title "Deliveries"'),
      );

    typeList(type, ctx);
    typeAdd(type, ctx);
  },

  pipeline(program, ctx) {
    const pipeline = program
      .command('pipeline')
      .description('Pipelines: the ordered stages an item goes through')
      .addHelpText(
        'after',
        examples('crmctl pipeline list --type deal', 'crmctl pipeline show "Furniture store"'),
      );

    pipelineList(pipeline, ctx);
    pipelineShow(pipeline, ctx);
    pipelineAdd(pipeline, ctx);
    pipelineRename(pipeline, ctx);
    pipelineRemove(pipeline, ctx);
  },

  stage(program, ctx) {
    const stage = program
      .command('stage')
      .description(
        'Stages of a pipeline: one success stage and at least one failure stage, finals last',
      )
      .addHelpText(
        'after',
        examples(
          'crmctl stage list --pipeline "Furniture store"',
          'crmctl stage add Spam --semantic failure',
        ),
      );

    stageList(stage, ctx);
    stageAdd(stage, ctx);
    stageRename(stage, ctx);
    stageMove(stage, ctx);
    stageRemove(stage, ctx);
  },
};
