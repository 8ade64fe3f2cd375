import { expect } from 'vitest';
import type { CallResult } from '../../src/telephony/calls.js';
import { type CliResult, newStore } from '../helpers.js';

export type Cli = Awaited<ReturnType<typeof newStore>>['cli'];

/** Monday 1 June 2026; the default calendar works mon-fri 09:00–19:00 UTC. */
export const monday = '2026-06-01';
export const at = (time: string) => new Date(`${monday}T${time}Z`).toISOString();

export function ok(result: CliResult, what = ''): CliResult {
  expect(result.exitCode, `${what} stderr: ${result.stderr}\nstdout: ${result.stdout}`).toBe(0);
  return result;
}

/** A store, set up by these command lines (each must succeed). */
export async function storeWith(setup: string[][], now = at('12:00')) {
  const { cli, db } = await newStore({ now });
  for (const argv of setup) ok(await cli(argv), argv.join(' '));
  return { cli, db };
}

/** `call incoming --json` at a time: what the call got. */
export async function callAt(
  cli: Cli,
  time: string,
  from: string,
  more: string[] = [],
): Promise<CallResult> {
  const result = await cli(['call', 'incoming', '--from', from, ...more, '--json'], { now: time });
  return ok(result, `call at ${time}`).json<CallResult>();
}

/** What each call of a series got: `accepted` or `declined:blacklist` / `declined:auto-block`. */
export async function verdicts(cli: Cli, from: string, times: string[]): Promise<string[]> {
  const got: string[] = [];
  for (const time of times) {
    const { telephony } = await callAt(cli, time, from);
    got.push(telephony.verdict === 'declined' ? `declined:${telephony.by}` : 'accepted');
  }
  return got;
}
