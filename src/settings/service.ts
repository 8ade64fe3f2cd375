import { isCountryCode } from '../contact-details/phone.js';
import { NotFoundError, UsageError } from '../errors.js';
import { recordChange } from '../history/service.js';
import type { Session } from '../session.js';
import { forgetSettingsRead, storedSetting } from './kept.js';
import { deleteSetting, selectSettings, upsertSetting } from './repo.js';
import { workingTimeCommandHint, workingTimeKey } from './working-time.js';

interface SettingDefinition {
  description: string;
  defaultValue: string | null;
  /** Returns the value to store, or throws a UsageError saying what is accepted. */
  parse(value: string): string;
}

/** Store-wide settings; each feature that needs one adds it here. */
const definitions: Record<string, SettingDefinition> = {
  'default-country': {
    description: 'ISO country used to read phone numbers written in national format (e.g. GB)',
    defaultValue: null,
    parse(value) {
      const code = value.trim().toUpperCase();
      if (!isCountryCode(code)) {
        throw new UsageError(`"${value}" is not a known ISO country code such as GB, DE or US`);
      }
      return code;
    },
  },
  currency: {
    description: 'currency of item amounts when none is given (ISO 4217, e.g. EUR)',
    defaultValue: 'USD',
    parse(value) {
      const code = value.trim().toUpperCase();
      if (!/^[A-Z]{3}$/.test(code)) {
        throw new UsageError(`"${value}" is not a three-letter currency code such as EUR`);
      }
      return code;
    },
  },
  'leads-from-calls': {
    description: 'inbound calls from unknown numbers start a lead (on or off)',
    defaultValue: 'on',
    parse: onOff,
  },
};

function onOff(value: string): string {
  const word = value.trim().toLowerCase();
  if (word !== 'on' && word !== 'off') throw new UsageError(`"${value}" is neither on nor off`);
  return word;
}

/** Whether a call from a number no open item holds starts a lead (default on). */
export function leadsFromCalls(session: Session): boolean {
  return getSetting(session, 'leads-from-calls').value !== 'off';
}

export interface Setting {
  key: string;
  value: string | null;
  isDefault: boolean;
  description: string;
}

/** The settings of one value; the working-time calendar is shown by its own command. */
export function listSettings(session: Session): Setting[] {
  const stored = new Map(selectSettings(session.db).map((row) => [row.key, row.value]));
  return Object.entries(definitions).map(([key, definition]) => ({
    key,
    value: stored.get(key) ?? definition.defaultValue,
    isDefault: !stored.has(key),
    description: definition.description,
  }));
}

export function getSetting(session: Session, key: string): Setting {
  const definition = requireDefinition(key);
  const stored = storedSetting(session, key);
  return {
    key,
    value: stored ?? definition.defaultValue,
    isDefault: stored === undefined,
    description: definition.description,
  };
}

/** Sets a setting; an empty value restores the default. */
export function setSetting(session: Session, key: string, value: string): Setting {
  const definition = requireDefinition(key);
  const parsed = value.trim() === '' ? null : definition.parse(value);
  session.requireWrite();
  const before = getSetting(session, key);
  if (
    before.value === (parsed ?? definition.defaultValue) &&
    before.isDefault === (parsed === null)
  ) {
    return before;
  }
  forgetSettingsRead(session);
  if (parsed === null) deleteSetting(session.db, key);
  else upsertSetting(session.db, key, parsed);
  recordChange(session, {
    action: 'setting-changed',
    entity: { type: 'settings', id: 0 },
    changes: { [key]: { from: before.value, to: parsed ?? definition.defaultValue } },
  });
  return getSetting(session, key);
}

export function defaultCountry(session: Session): string | undefined {
  return getSetting(session, 'default-country').value ?? undefined;
}

function requireDefinition(key: string): SettingDefinition {
  if (key === workingTimeKey) throw new UsageError(workingTimeCommandHint());
  const definition = Object.hasOwn(definitions, key) ? definitions[key] : undefined;
  if (!definition) {
    throw new NotFoundError(
      `no setting "${key}"; settings: ${Object.keys(definitions).join(', ')}`,
    );
  }
  return definition;
}
