// The call replay of the telephony benchmark, in one process: CALLS simulated calls from NUMBERS
// numbers over a simulated week, each through receiveIncomingCall (the service `call incoming`
// runs) in its own unit of work (one session.write), with auto-block on. Prints one JSON line.
//
//   node bench/telephony-replay.js STORE [CALLS] [NUMBERS]
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './lib.js';
import { random } from './telephony.js';

const [store, calls = '1000000', numbers = '50000'] = process.argv.slice(2);
const load = (path) => import(pathToFileURL(join(root, 'dist', path)).href);
const [
  { fixedClock },
  { Session },
  { openStore },
  { receiveIncomingCall },
  { setBlacklistSettings },
  { setSetting },
] = await Promise.all([
  load('clock.js'),
  load('session.js'),
  load('store/store.js'),
  load('telephony/calls.js'),
  load('telephony/blacklist.js'),
  load('settings/service.js'),
]);
// BENCH_LEADS=off: calls from numbers no item holds start no lead (settings leads-from-calls).
const leads = process.env.BENCH_LEADS ?? 'on';

if (!existsSync(store)) throw new Error(`no store at ${store}: make one with crmctl init`);
const callCount = Number(calls);
const numberCount = Number(numbers);

// London numbers +44 20 7xxx xxxx and 8xxx xxxx, spelled three ways.
const next = random(3);
const spellings = [];
for (let i = 0; i < numberCount; i++) {
  const digits = String(70_000_000 + Math.floor(next() * 19_999_999)).padStart(8, '0');
  const style = next();
  spellings.push(
    style < 0.5
      ? `+4420${digits}`
      : style < 0.8
        ? `+44 20 ${digits.slice(0, 4)} ${digits.slice(4)}`
        : `020 ${digits.slice(0, 4)} ${digits.slice(4)}`,
  );
}
// Robocallers: 1% of the numbers call in bursts, a few calls seconds apart, now and then.
const burstNumbers = Math.max(1, Math.floor(numberCount / 100));
const week = 7 * 24 * 3600 * 1000;
const start = Date.parse('2026-06-01T00:00:00Z');
const step = week / callCount;
let burst = { from: '', left: 0 };
function nextCaller() {
  if (burst.left === 0 && next() < 0.01) {
    burst = {
      from: spellings[Math.floor(next() * burstNumbers)],
      left: 4 + Math.floor(next() * 6),
    };
  }
  if (burst.left > 0 && next() < 0.5) {
    burst.left--;
    return burst.from;
  }
  return spellings[Math.floor(next() * numberCount)];
}

const opened = openStore(store, { busyTimeoutMs: 5000 });
const base = new Session({
  store: opened,
  clock: fixedClock(new Date(start)),
  actor: {
    login: process.env.BENCH_LOGIN ?? userInfo().username,
    cause: { kind: 'user', id: null },
    command: 'call incoming',
  },
});
base.write(() => {
  setBlacklistSettings(base, { autoBlock: true, calls: 5, minutes: 5, banMinutes: 60 });
  setSetting(base, 'leads-from-calls', leads);
});
const verdicts = { accepted: 0, blacklist: 0, 'auto-block': 0 };
// Calls are written in units of work of `batch` calls (BENCH_BATCH; 1: one transaction a call,
// as the command runs it): a gateway replaying its log would do the same.
const batch = Number(process.env.BENCH_BATCH ?? 1000);
const started = process.hrtime.bigint();
let clock = new Date(start);
const session = base.withClock({ now: () => clock });
for (let i = 0; i < callCount; i += batch) {
  session.write(() => {
    for (let j = i; j < Math.min(callCount, i + batch); j++) {
      const from = nextCaller();
      clock = new Date(start + Math.floor(j * step));
      const { telephony } = receiveIncomingCall(session, {
        from,
        country: 'GB',
        missed: next() < 0.2,
      });
      verdicts[telephony.verdict === 'accepted' ? 'accepted' : telephony.by]++;
    }
  });
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
opened.close();
console.log(
  JSON.stringify({
    leads,
    batch,
    calls: callCount,
    numbers: numberCount,
    seconds,
    callsPerSecond: callCount / seconds,
    verdicts,
  }),
);
