import type { ActionType } from '../action.js';
import { addComment } from './add-comment.js';
import { changeResponsible } from './change-responsible.js';
import { changeStage } from './change-stage.js';
import { completeTasks } from './complete-tasks.js';
import { convertLead } from './convert-lead.js';
import { createDocument } from './create-document.js';
import { createTask } from './create-task.js';
import { notify } from './notify.js';
import { sendEmail } from './send-email.js';
import { sendSms } from './send-sms.js';
import { setField } from './set-field.js';
import { wait } from './wait.js';
import { webhook } from './webhook.js';

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
  changeResponsible,
  createDocument,
  setField,
  changeStage,
  addComment,
  convertLead,
  webhook,
  wait,
];

export function actionTypeNamed(name: string): ActionType | undefined {
  return actionTypes.find((type) => type.name === name);
}
