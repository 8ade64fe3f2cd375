import { UsageError } from '../../errors.js';
import { updateItem } from '../../items/service.js';
import { getUser } from '../../users/service.js';
import type { ActionType } from '../action.js';
import { takeRuleTurn } from '../repo.js';

const modes = ['fixed', 'round-robin', 'random'] as const;

function loginsOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((login) => login.trim())
    .filter(Boolean);
}

/**
 * `change-responsible`: gives the item to a user: the first of `users` (fixed), each in turn
 * (round-robin, counted per rule), or one drawn by the run's seed (random: the same run draws
 * the same user).
 */
export const changeResponsible: ActionType = {
  name: 'change-responsible',
  description: 'Make a user responsible for the item: fixed, round-robin or random over a list',
  parameters: [
    { name: 'users', description: 'comma-separated logins', required: true },
    { name: 'mode', description: 'fixed, round-robin or random', default: 'fixed' },
  ],
  check(session, params) {
    const logins = loginsOf(params.users);
    if (logins.length === 0) throw new UsageError('--param users: name at least one login');
    for (const login of logins) {
      try {
        getUser(session, login);
      } catch {
        throw new UsageError(`--param users: no user "${login}" (see crmctl user list)`);
      }
    }
    const mode = params.mode ?? 'fixed';
    if (!(modes as readonly string[]).includes(mode)) {
      throw new UsageError(`--param mode: "${mode}" is not one of ${modes.join(', ')}`);
    }
  },
  run({ session, item, params, rule, seed }) {
    const logins = loginsOf(params.users);
    const index =
      params.mode === 'round-robin'
        ? takeRuleTurn(session.db, rule.id) % logins.length
        : params.mode === 'random'
          ? seed % logins.length
          : 0;
    const login = getUser(session, logins[index] ?? '').login;
    if (item.responsible?.toLowerCase() === login.toLowerCase()) {
      return { status: 'skipped', detail: `${login} is already responsible` };
    }
    updateItem(session, item.id, { responsible: login });
    return { status: 'done', detail: `made ${login} responsible`, made: { responsible: login } };
  },
};
