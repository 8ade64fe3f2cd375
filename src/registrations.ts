import type { EventSubscriber } from './session.js';
import type { UndoHandler } from './undo/handler.js';

/**
 * What features plug into the shared machinery, listed in one place the way
 * src/cli/registry.ts lists commands: the rooms below (items, the Session, undo) never import
 * the features that react to them.
 * - eventSubscribers: react to item events inside the command's transaction (the automation
 *   engine, once it exists).
 * - undoHandlers: take back what an operation did to their feature (`crmctl undo OP`), loaded
 *   only by `undo`, so that no other command pays for them at start-up.
 */
export const eventSubscribers: readonly EventSubscriber[] = [];

export const undoHandlers: readonly (() => Promise<UndoHandler>)[] = [
  () => import('./exceptions/undo.js').then((module) => module.exceptionsUndo),
  () => import('./telephony/undo.js').then((module) => module.blacklistUndo),
];
