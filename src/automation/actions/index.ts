import type { ActionType } from '../action.js';

/**
 * Every action type, in the order of DESIGN §2's table (`rule actions` lists them so): one
 * file per action under this folder, one line here.
 */
export const actionTypes: readonly ActionType[] = [];

export function actionTypeNamed(name: string): ActionType | undefined {
  return actionTypes.find((type) => type.name === name);
}
