import { automationBinContributor } from './automation/bin.js';
import { automationSubscriber } from './automation/engine.js';
import type { BinContributor } from './bin/contributor.js';
import type { CleanupTask } from './cleanup/task.js';
import { contactDetailsBinContributor, partiesBinContributor } from './contacts/bin.js';
import { documentsBinContributor } from './documents/bin.js';
import { itemLinksBinContributor, itemsBinContributor } from './items/bin.js';
import { notificationsBinContributor } from './notifications/bin.js';
import { outboxBinContributor } from './outbox/bin.js';
import type { EventSubscriber } from './session.js';
import { tasksBinContributor } from './tasks/bin.js';
import type { UndoHandler } from './undo/handler.js';

/**
 * What features plug into the shared machinery, listed in one place the way
 * src/cli/registry.ts lists commands: the rooms below (items, the Session, undo) never import
 * the features that react to them.
 * - eventSubscribers: react to item events inside the command's transaction (the automation
 *   engine).
 * - undoHandlers: take back what an operation did to their feature (`crmctl undo OP`), loaded
 *   only by `undo`, so that no other command pays for them at start-up.
 * - binContributors: capture, remove and put back what a feature owns of a deleted record
 *   (src/bin/contributor.ts), in this order: the owners of rows first, features that point at
 *   them after.
 * - cleanupTasks: the nightly `crmctl cleanup` (src/cleanup/task.ts), loaded only by it.
 */
export const eventSubscribers: readonly EventSubscriber[] = [automationSubscriber];

export const undoHandlers: readonly (() => Promise<UndoHandler>)[] = [
  () => import('./exceptions/undo.js').then((module) => module.exceptionsUndo),
  () => import('./bin/undo.js').then((module) => module.binUndo),
  () => import('./telephony/undo.js').then((module) => module.blacklistUndo),
];

export const binContributors: readonly BinContributor[] = [
  itemsBinContributor,
  partiesBinContributor,
  contactDetailsBinContributor,
  itemLinksBinContributor,
  tasksBinContributor,
  outboxBinContributor,
  documentsBinContributor,
  notificationsBinContributor,
  automationBinContributor,
];

export const cleanupTasks: readonly (() => Promise<CleanupTask>)[] = [
  () => import('./bin/cleanup.js').then((module) => module.purgePastRetention),
  () => import('./automation/cleanup.js').then((module) => module.runDueAutomationTask),
  () => import('./telephony/cleanup.js').then((module) => module.expireBlacklistTask),
];
