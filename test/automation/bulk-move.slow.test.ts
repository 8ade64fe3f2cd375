import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { automationStore, type LogJson } from './support.js';

const docs = 'Preparing documents';

describe('item move of 10,000 ids', () => {
  it('is one transaction with all its automation: one operation, and a dry run keeps nothing', async () => {
    const s = await automationStore();
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'set-field',
      '--param',
      'field=state',
      '--param',
      'value=docs',
    ]);
    await s.ok([
      'rule',
      'add',
      '--stage',
      docs,
      '--action',
      'add-comment',
      '--param',
      'text=later',
      '--delay',
      '1h',
    ]);
    await s.ok(['item', 'add', '--title', 'First']);
    const db = new Database(s.db);
    db.exec(`INSERT INTO items (type, pipeline_id, stage_id, title, fields, created_at, updated_at, source)
      WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
      SELECT type, pipeline_id, stage_id, 'Item ' || i, '{}', created_at, updated_at, source FROM items, n WHERE items.id = 1`);
    db.close();
    const ids = Array.from({ length: 10_000 }, (_, i) => String(i + 1));
    const dry = await s.ok(['item', 'move', ...ids, '--stage', docs, '--dry-run', '--json']);
    expect(dry.json<{ moved: number }>().moved).toBe(10_000);
    expect(await s.log('--limit', '1')).toEqual([]);
    const moved = await s.ok(['item', 'move', ...ids, '--stage', docs, '--json']);
    expect(moved.json<{ moved: number }>().moved).toBe(10_000);
    const log = (await s.ok(['automation', 'log', '-o', 'json'])).json<
      (LogJson & { operationId: number })[]
    >();
    expect(log).toHaveLength(10_000);
    expect(new Set(log.map((e) => e.operationId)).size).toBe(1);
    const check = new Database(s.db, { readonly: true });
    const pending = check
      .prepare(`SELECT count(*) FROM automation_jobs WHERE status = 'pending'`)
      .pluck()
      .get();
    check.close();
    expect(pending).toBe(10_000);
    expect((await s.fieldsOf(10_000)).state).toBe('docs');
  }, 60_000);
});
