import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { automationStore, type LogJson } from './support.js';

// Issue 10: random pipelines of rules and triggers under random events never hang, never go
// past the hop limit, and every job ends exactly once (done, skipped, failed or cancelled).

const stages = [
  'New',
  'Preparing documents',
  'Prepayment invoice',
  'In progress',
  'Final invoice',
  'Won',
];

const rule = fc.record({
  stage: fc.constantFrom(...stages),
  action: fc.constantFrom('change-stage', 'set-field', 'add-comment'),
  target: fc.constantFrom(...stages),
  field: fc.constantFrom('a', 'b'),
  delay: fc.constantFrom(undefined, '30m', '2h'),
  afterPrevious: fc.boolean(),
  condition: fc.constantFrom(undefined, 'amount > 50', 'fields.a is not empty'),
});

const trigger = fc.record({
  stage: fc.constantFrom(...stages),
  on: fc.constantFrom('payment-received', 'field-changed'),
  field: fc.constantFrom('a', 'b'),
  allowBack: fc.boolean(),
});

const step = fc.oneof(
  fc.record({
    kind: fc.constant('move' as const),
    item: fc.integer({ min: 1, max: 3 }),
    stage: fc.constantFrom(...stages),
  }),
  fc.record({
    kind: fc.constant('field' as const),
    item: fc.integer({ min: 1, max: 3 }),
    field: fc.constantFrom('a', 'b'),
    value: fc.constantFrom('x', 'y', ''),
  }),
  fc.record({ kind: fc.constant('pay' as const), item: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('run' as const), hours: fc.integer({ min: 0, max: 5 }) }),
);

describe('automation properties', () => {
  it('never hangs, never exceeds the hop limit, every job ends exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rule, { maxLength: 6 }),
        fc.array(trigger, { maxLength: 4 }),
        fc.array(step, { minLength: 1, maxLength: 6 }),
        async (rules, triggers, steps) => {
          const s = await automationStore();
          for (const r of rules) {
            const params =
              r.action === 'change-stage'
                ? ['--param', `stage=${r.target}`]
                : r.action === 'set-field'
                  ? ['--param', `field=${r.field}`, '--param', 'value={{updatedAt}}']
                  : ['--param', 'text=hello {{title}}'];
            await s.ok([
              'rule',
              'add',
              '--stage',
              r.stage,
              '--action',
              r.action,
              ...params,
              ...(r.delay ? ['--delay', r.delay] : []),
              ...(r.afterPrevious ? ['--after-previous'] : []),
              ...(r.condition ? ['--if', r.condition] : []),
            ]);
          }
          for (const t of triggers) {
            await s.ok([
              'trigger',
              'add',
              '--stage',
              t.stage,
              '--on',
              t.on,
              ...(t.on === 'field-changed' ? ['--param', `fields=${t.field}`] : []),
              ...(t.allowBack ? ['--allow-back'] : []),
            ]);
          }
          for (const amount of ['10', '100', '1000'])
            await s.ok(['item', 'add', '--title', 'T', '--amount', amount]);
          let hour = 9;
          const at = () => `2026-12-01T${String(hour).padStart(2, '0')}:00:00Z`;
          for (const st of steps) {
            if (st.kind === 'move')
              await s.ok(['item', 'move', String(st.item), '--stage', st.stage], at());
            else if (st.kind === 'field') {
              const current = await s.cli(
                ['item', 'update', String(st.item), '--field', `${st.field}=${st.value}`],
                { now: at() },
              );
              expect(current.exitCode, current.stderr).toBe(0);
            } else if (st.kind === 'pay')
              await s.ok(['event', 'payment-received', '--item', String(st.item)], at());
            else {
              hour = Math.min(23, hour + st.hours);
              await s.ok(['automation', 'run', '--until', at()], at());
            }
          }
          await s.ok(['automation', 'run', '--until', '2026-12-31T00:00:00Z'], at());
          const log = (await s.ok(['automation', 'log', '--json'])).json<LogJson[]>();
          for (const entry of log) expect(entry.hop ?? 0).toBeLessThanOrEqual(20);
          const db = new Database(s.db, { readonly: true });
          try {
            const jobs = db.prepare('SELECT id, status FROM automation_jobs').all() as {
              id: number;
              status: string;
            }[];
            const ends = new Map<number, number>();
            for (const entry of log)
              if (entry.jobId !== null) ends.set(entry.jobId, (ends.get(entry.jobId) ?? 0) + 1);
            for (const job of jobs) {
              expect(['done', 'skipped', 'failed', 'cancelled']).toContain(job.status);
              expect(ends.get(job.id), `job ${job.id}`).toBe(1);
            }
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 25, seed: 1010 },
    );
  }, 120_000);
});
