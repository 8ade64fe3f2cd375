/**
 * Does a call ring, or is it declined (DESIGN §4 step (a))? Decided here from facts gathered
 * beforehand (gatherCallFacts in calls.ts), with no store and no clock, so that `blacklist
 * explain` and `call incoming` take the one decision and never disagree.
 */

import { latestDueMs } from '../clock.js';

export const minuteMs = 60_000;

/** The blacklist's settings (`blacklist settings`). */
export interface BlacklistSettings {
  autoBlock: boolean;
  /** N: this many calls from one number within `minutes` block it. */
  calls: number;
  /** M: the window, in minutes. */
  minutes: number;
  /** Who hears of an auto-block; null: nobody. */
  notify: string | null;
  /** How long an auto-block lasts; null: permanent. */
  banMinutes: number | null;
  /** Declined calls are saved to the CRM too. */
  registerInCrm: boolean;
}

export const defaultBlacklistSettings: BlacklistSettings = Object.freeze({
  autoBlock: false,
  calls: 5,
  minutes: 5,
  notify: null,
  banMinutes: null,
  registerInCrm: false,
});

/** A blacklist entry as the decision needs it. */
export interface ListedNumber {
  source: 'manual' | 'auto';
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
}

export type CallStatus = 'answered' | 'missed' | 'declined';
export const callStatuses: CallStatus[] = ['answered', 'missed', 'declined'];
export type DeclinedBy = 'blacklist' | 'auto-block';

/** An earlier call from the same number, as the call log keeps it. */
export interface EarlierCall {
  at: string;
  outsideHours: boolean;
  status: CallStatus;
  declinedBy: DeclinedBy | null;
}

/** What the store said when the call came in. */
export interface CallFacts {
  /** The caller, in E.164. */
  number: string;
  /** When the call comes in (ISO-8601 UTC). */
  at: string;
  /** Its blacklist entry, expired or not; null when not listed. */
  entry: ListedNumber | null;
  allowed: boolean;
  /** Working time by the calendar at `at`. */
  workingTime: boolean;
  settings: BlacklistSettings;
  /** The number's calls from `at` − minutes up to `at`, in time order (those after `at` ignored). */
  recent: readonly EarlierCall[];
}

/** Why an accepted call was not auto-blocked. */
export type AcceptedBecause = 'auto-block-off' | 'allowed' | 'working-time' | 'below-threshold';

/** What counting the window found: the calls that count, with this one, and the threshold. */
export interface WindowCount {
  /** From this instant on (ISO): `at` − minutes, or just after the number's last auto-block. */
  since: string;
  /** The times of the earlier calls that count. */
  counted: string[];
  /** With this call. */
  total: number;
  threshold: number;
}

export type CallDecision =
  | { verdict: 'declined'; by: 'blacklist'; code: 423; reason: string; expiresAt: string | null }
  | {
      verdict: 'declined';
      by: 'auto-block';
      code: 423;
      reason: string;
      window: WindowCount;
      /** The new entry's expiry; null: permanent. */
      expiresAt: string | null;
    }
  | { verdict: 'accepted'; because: AcceptedBecause; reason: string; window: WindowCount | null };

/** The call log's words for a call declined by the blacklist (seed 003). */
export const hungupByBlacklist = 'Hungup call by blacklist';
export const declinedCode = 423;

/** Whether an entry still applies at `at`: permanent, or not yet expired. */
export function inForce(entry: ListedNumber | null, at: string): boolean {
  return entry !== null && (entry.expiresAt === null || entry.expiresAt > at);
}

/**
 * DESIGN §4 (a): a number listed (and not expired) is declined. Otherwise, with auto-block on,
 * a number not allow-listed calling outside working time is counted: the calls from it outside
 * working time that rang (declined ones never rang) within the last M minutes — since its last
 * auto-block, so a ban served starts the count again — and this one; reaching N blocks it, and
 * this call is declined.
 */
export function decideCall(facts: CallFacts): CallDecision {
  const { number, at, entry, settings } = facts;
  if (entry && inForce(entry, at)) {
    const until = entry.expiresAt === null ? '' : ` until ${entry.expiresAt}`;
    return {
      verdict: 'declined',
      by: 'blacklist',
      code: declinedCode,
      reason: `${hungupByBlacklist} (${declinedCode}): ${number} is on the blacklist${until} (${entry.source}, added ${entry.createdAt} by ${entry.createdBy})`,
      expiresAt: entry.expiresAt,
    };
  }
  if (!settings.autoBlock) {
    return {
      verdict: 'accepted',
      because: 'auto-block-off',
      reason: 'auto-block is off',
      window: null,
    };
  }
  if (facts.allowed) {
    return {
      verdict: 'accepted',
      because: 'allowed',
      reason: `${number} is allow-listed: never auto-blocked`,
      window: null,
    };
  }
  if (facts.workingTime) {
    return {
      verdict: 'accepted',
      because: 'working-time',
      reason: 'working time: calls are not counted for auto-block',
      window: null,
    };
  }
  const window = countWindow(facts);
  const calls = `${window.total} ${window.total === 1 ? 'call' : 'calls'} outside working time within ${settings.minutes} min`;
  if (window.total >= window.threshold) {
    // A ban that would end after 9999-12-31 is permanent: stored as "+010099-…" it would sort
    // before every time in 9999 and count as expired at once.
    const ends =
      settings.banMinutes === null ? null : Date.parse(at) + settings.banMinutes * minuteMs;
    const expiresAt = ends === null || ends > latestDueMs ? null : new Date(ends).toISOString();
    return {
      verdict: 'declined',
      by: 'auto-block',
      code: declinedCode,
      reason: `${hungupByBlacklist} (${declinedCode}): auto-blocked, ${calls} (threshold ${window.threshold}); blacklisted ${expiresAt === null ? 'permanently' : `until ${expiresAt}`}`,
      window,
      expiresAt,
    };
  }
  return {
    verdict: 'accepted',
    because: 'below-threshold',
    reason: `${calls}, below the threshold of ${window.threshold}`,
    window,
  };
}

/** The window of M minutes up to the call, and the earlier calls in it that count. */
export function countWindow(facts: CallFacts): WindowCount {
  const { at, settings } = facts;
  let since = new Date(Date.parse(at) - settings.minutes * minuteMs).toISOString();
  for (const call of facts.recent) {
    if (call.declinedBy === 'auto-block' && call.at >= since && call.at <= at) {
      since = new Date(Date.parse(call.at) + 1).toISOString();
    }
  }
  const counted = facts.recent
    .filter((call) => call.at >= since && call.at <= at && counts(call))
    .map((call) => call.at);
  return { since, counted, total: counted.length + 1, threshold: settings.calls };
}

/** Only calls outside working time that rang count towards an auto-block. */
export function counts(call: EarlierCall): boolean {
  return call.outsideHours && call.status !== 'declined';
}
