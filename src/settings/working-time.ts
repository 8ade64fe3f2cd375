import {
  checkWorkingTime,
  defaultWorkingTime,
  describeWorkingTime,
  parseWorkingTime,
  type WorkingTime,
  type WorkingTimeFlags,
} from '../calendar/working-time.js';
import { InputError } from '../errors.js';
import { recordChange } from '../history/service.js';
import type { Session } from '../session.js';
import { forgetSettingsRead, storedSetting } from './kept.js';
import { deleteSetting, selectSetting, upsertSetting } from './repo.js';

/** The settings key the calendar is stored under, as JSON (the fields of WorkingTime). */
export const workingTimeKey = 'working-time';

/** The calendar as `settings working-time` shows it. */
export interface WorkingTimeSetting {
  days: string[];
  from: string;
  to: string;
  timeZone: string;
  holidays: string[];
  /** True when nothing is stored: the default calendar. */
  isDefault: boolean;
  /** `mon-fri 09:00-19:00 Europe/London, 1 holiday`. */
  summary: string;
}

/**
 * The store's working-time calendar, for the automation engine and telephony. The same stored
 * value gives the same (frozen) object, so the calendar's caches stay warm across calls.
 */
export function workingTimeOf(session: Session): WorkingTime {
  const stored = storedSetting(session, workingTimeKey);
  return stored === undefined ? defaultWorkingTime : parseStored(stored);
}

export function workingTimeSetting(session: Session): WorkingTimeSetting {
  const calendar = workingTimeOf(session);
  return settingOf(calendar, calendar === defaultWorkingTime);
}

export interface SetWorkingTimeOptions extends WorkingTimeFlags {
  /** Start from the default calendar instead of the stored one (a broken stored one included). */
  reset?: boolean;
}

export interface SetWorkingTimeResult {
  setting: WorkingTimeSetting;
  changed: boolean;
}

/**
 * Changes the calendar: the flags given replace those parts of it (`--holiday` adds); a
 * calendar equal to the default is stored as no value. History records each part that changed.
 */
export function setWorkingTime(
  session: Session,
  options: SetWorkingTimeOptions,
): SetWorkingTimeResult {
  session.requireWrite();
  const stored = selectSetting(session.db, workingTimeKey);
  // A stored value that cannot be read is replaced by --reset, and shown as null in history.
  const previous =
    stored === undefined
      ? defaultWorkingTime
      : options.reset
        ? storedOrNull(stored)
        : parseStored(stored);
  const after = parseWorkingTime(
    options,
    options.reset ? defaultWorkingTime : (previous ?? defaultWorkingTime),
  );
  const isDefault = sameCalendar(after, defaultWorkingTime);
  const setting = settingOf(after, isDefault);
  if (previous !== null && sameCalendar(previous, after)) return { setting, changed: false };
  forgetSettingsRead(session);
  if (isDefault) deleteSetting(session.db, workingTimeKey);
  else upsertSetting(session.db, workingTimeKey, JSON.stringify(after));
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const part of ['days', 'from', 'to', 'timeZone', 'holidays'] as const) {
    const from = previous === null ? null : previous[part];
    if (JSON.stringify(from) !== JSON.stringify(after[part])) {
      changes[`${workingTimeKey}.${part}`] = { from, to: after[part] };
    }
  }
  recordChange(session, {
    action: 'setting-changed',
    entity: { type: 'settings', id: 0 },
    changes,
  });
  return { setting, changed: true };
}

function settingOf(calendar: WorkingTime, isDefault: boolean): WorkingTimeSetting {
  return {
    days: [...calendar.days],
    from: calendar.from,
    to: calendar.to,
    timeZone: calendar.timeZone,
    holidays: [...calendar.holidays],
    isDefault,
    summary: describeWorkingTime(calendar),
  };
}

function sameCalendar(a: WorkingTime, b: WorkingTime): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The last stored value read and its calendar: read once per command, or once per call. */
let lastStored: { text: string; calendar: WorkingTime } | undefined;

function parseStored(text: string): WorkingTime {
  if (lastStored?.text === text) return lastStored.calendar;
  let calendar: WorkingTime;
  try {
    calendar = checkWorkingTime(JSON.parse(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(
      `the ${workingTimeKey} setting in the store cannot be used (${reason}): set it again with crmctl settings working-time --reset and the flags you need`,
    );
  }
  lastStored = { text, calendar };
  return calendar;
}

function storedOrNull(text: string): WorkingTime | null {
  try {
    return parseStored(text);
  } catch {
    return null;
  }
}

/** For `settings get|set working-time`: the calendar has its own command. */
export function workingTimeCommandHint(): string {
  return `${workingTimeKey} has its own command: crmctl settings working-time shows it, and flags such as --days mon-fri --from 09:00 --to 19:00 --tz Europe/London --holiday 2026-12-25 change it`;
}
