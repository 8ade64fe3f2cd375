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
  | { type: 'item-deleted'; itemId: number }
  | OutsideEvent;

/**
 * Things that happen to an item from outside it (DESIGN §2), which triggers react to: fired by
 * the features where they happen (`task complete`, `email incoming`, `call incoming`) or by hand
 * with `crmctl event NAME --item ID`. `responsible-changed` and `field-changed` come from the
 * item events above.
 */
export const outsideEventNames = [
  'email-opened',
  'email-received',
  'email-sent',
  'call-incoming',
  'call-missed',
  'payment-received',
  'task-completed',
  'form-submitted',
  'document-viewed',
  'webhook',
] as const;

export type OutsideEventName = (typeof outsideEventNames)[number];

export interface OutsideEvent {
  type: 'outside-event';
  event: OutsideEventName;
  itemId: number;
  /** What the event carries, e.g. `code` for `webhook`, `amount` for `payment-received`. */
  params: Readonly<Record<string, string>>;
}
