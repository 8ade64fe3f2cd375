import type { EventSubscriber } from './session.js';

/**
 * What features plug into the shared machinery, listed in one place the way
 * src/cli/registry.ts lists commands: the rooms below (items, the Session) never import the
 * features that react to them.
 * - eventSubscribers: react to item events inside the command's transaction (the automation
 *   engine, once it exists).
 */
export const eventSubscribers: readonly EventSubscriber[] = [];
