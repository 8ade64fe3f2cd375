import type { ActionType } from '../action.js';
import { completeTasks } from './complete-tasks.js';
import { createDocument } from './create-document.js';
import { createTask } from './create-task.js';
import { notify } from './notify.js';
import { sendEmail } from './send-email.js';
import { sendSms } from './send-sms.js';

/**
 * Every action type, in the order of DESIGN §2's table (`rule actions` lists them so): one
 * file per action under this folder, one line here.
 */
export const actionTypes: readonly ActionType[] = [
  sendSms,
  sendEmail,
  notify,
  createTask,
  completeTasks,
  createDocument,
];

export function actionTypeNamed(name: string): ActionType | undefined {
  return actionTypes.find((type) => type.name === name);
}
