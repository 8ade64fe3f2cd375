/**
 * What items record on the Session's queue as they change (items/service.ts), for the features
 * that react (src/registrations.ts): the automation engine runs a stage's rules on
 * `stage-entered`, its triggers on the others. Items never import those features.
 */
export type ItemEvent =
  | { type: 'item-created'; itemId: number; pipelineId: number; stageId: number }
  | {
      type: 'stage-entered';
      itemId: number;
      from: { pipelineId: number; stageId: number };
      to: { pipelineId: number; stageId: number };
    }
  | { type: 'responsible-changed'; itemId: number; from: string | null; to: string | null }
  | {
      type: 'fields-changed';
      itemId: number;
      changes: Record<string, { from: unknown; to: unknown }>;
    }
  | { type: 'item-deleted'; itemId: number };
