import { expect } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { crmPartOf } from '../../src/inbound/decide.js';
import { Session } from '../../src/session.js';
import { openStore } from '../../src/store/store.js';
import {
  addToBlacklist,
  allowNumber,
  disallowNumber,
  removeFromBlacklist,
  setBlacklistSettings,
} from '../../src/telephony/blacklist.js';
import { explainCall, receiveIncomingCall } from '../../src/telephony/calls.js';
import { osLogin } from '../e2e/support.js';
import { newStore } from '../helpers.js';

/** A seeded PRNG (mulberry32): the same seed, the same cases. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T,
  };
}

/** 40 numbers of the London drama range, so that histories build up across cases. */
export const pool = Array.from({ length: 40 }, (_, i) => `+44207946${String(i).padStart(4, '0')}`);

/** A week of times, in minutes from Monday 1 June 2026 00:00 UTC. */
const weekStart = Date.parse('2026-06-01T00:00:00Z');

/**
 * Issue 11 acceptance: `blacklist explain` and `call incoming` agree, on random (number, time,
 * history) cases: per case random settings, allow-list and blacklist changes, earlier calls in
 * the minutes before, then explain at T and a call at T through the very services the commands
 * call. Returns how many of each verdict it saw.
 */
export async function checkAgreement(cases: number, seed: number): Promise<Record<string, number>> {
  const { db } = await newStore({ now: '2026-06-01T00:00:00Z' });
  const store = openStore(db, { busyTimeoutMs: 1000 });
  const base = new Session({
    store,
    clock: fixedClock(new Date(weekStart)),
    actor: { login: osLogin, cause: { kind: 'user', id: null }, command: 'test agreement' },
  });
  const rng = random(seed);
  const seen: Record<string, number> = {};
  try {
    for (let n = 0; n < cases; n++) {
      const number = rng.pick(pool);
      const t = weekStart + rng.int(0, 7 * 24 * 60 - 1) * 60_000 + rng.int(0, 59) * 1000;
      const session = (ms: number) => base.withClock(fixedClock(new Date(ms)));
      const setup = session(t - 20 * 60_000);
      setup.write(() => {
        if (rng.chance(0.3)) {
          setBlacklistSettings(setup, {
            autoBlock: rng.chance(0.8),
            calls: rng.int(1, 6),
            minutes: rng.int(1, 10),
            banMinutes: rng.chance(0.5) ? null : rng.int(1, 30),
            registerInCrm: rng.chance(0.5),
          });
        }
        if (rng.chance(0.05)) allowNumber(setup, number);
        if (rng.chance(0.05)) disallowNumber(setup, number);
        if (rng.chance(0.05)) removeFromBlacklist(setup, [number]);
        if (rng.chance(0.05)) {
          const expiresAt = rng.chance(0.5)
            ? undefined
            : new Date(t - 20 * 60_000 + rng.int(1, 40) * 60_000).toISOString();
          addToBlacklist(setup, { entries: [number], expiresAt });
        }
      });
      let earlier = t - rng.int(0, 12) * 60_000;
      for (let k = rng.int(0, 6); k > 0 && earlier < t; k--) {
        const before = session(earlier);
        before.write(() => receiveIncomingCall(before, { from: number, missed: rng.chance(0.2) }));
        earlier += rng.int(0, 3) * 60_000 + rng.int(0, 59) * 1000;
      }
      const now = session(t);
      const explained = explainCall(now, number);
      const called = now.write(() => receiveIncomingCall(now, { from: number }));
      const where = `case ${n} (seed ${seed}): ${number} at ${new Date(t).toISOString()}`;
      expect(called.telephony, where).toEqual(explained.next.telephony);
      expect(called.crm, where).toEqual(crmPartOf(explained.next.crm));
      const key =
        called.telephony.verdict === 'accepted'
          ? `accepted:${called.telephony.because}`
          : `declined:${called.telephony.by}`;
      seen[key] = (seen[key] ?? 0) + 1;
    }
  } finally {
    store.close();
  }
  return seen;
}
