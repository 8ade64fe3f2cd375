import { expect } from 'vitest';
import { newStore } from '../helpers.js';

/** A log entry as `automation log -o json` prints it (the keys the tests read). */
export interface LogJson {
  id: number;
  kind: 'rule' | 'trigger';
  ruleId: number | null;
  triggerId: number | null;
  jobId: number | null;
  itemId: number;
  action: string | null;
  event: string | null;
  status: string;
  dueAt: string | null;
  executedAt: string;
  condition: string | null;
  seen: Record<string, unknown> | null;
  detail: string;
  made: Record<string, unknown> | null;
  chain: number | null;
  hop: number | null;
}

/** A store at a fixed time, and helpers that fail the test on an unexpected exit code. */
export async function automationStore(now = '2026-12-01T09:00:00Z') {
  const store = await newStore({ now });
  const ok = async (argv: string[], at?: string) => {
    const result = await store.cli(argv, at ? { now: at } : {});
    expect(result.exitCode, `${argv.join(' ')}\n${result.stderr}`).toBe(0);
    return result;
  };
  const log = async (...filter: string[]) =>
    (await ok(['automation', 'log', '--json', ...filter])).json<LogJson[]>();
  const stageOf = async (id: number) =>
    (await ok(['item', 'show', String(id), '--json'])).json<{ stage: { name: string } }>().stage
      .name;
  const fieldsOf = async (id: number) =>
    (await ok(['item', 'show', String(id), '--json'])).json<{ fields: Record<string, string> }>()
      .fields;
  return { ...store, ok, log, stageOf, fieldsOf };
}

/** Each rule run in the log as `rule:status`, in order. */
export function runs(log: LogJson[]): string[] {
  return log.map((e) =>
    e.kind === 'rule' ? `${e.ruleId}:${e.status}` : `t${e.triggerId}:${e.status}`,
  );
}
