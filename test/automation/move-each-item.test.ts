import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { automationStore } from './support.js';

const docs = 'Preparing documents';

describe('item move of several items', () => {
  it("runs each item's rules right after it moves, before the next one moves", async () => {
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
    for (const title of ['First', 'Second', 'Third']) await s.ok(['item', 'add', '--title', title]);
    await s.ok(['item', 'move', '1', '2', '3', '--stage', docs]);
    const db = new Database(s.db, { readonly: true });
    const history = db
      .prepare(
        `SELECT entity_id || ' ' || action FROM history
         WHERE entity_type = 'item' AND action != 'created' ORDER BY id`,
      )
      .pluck()
      .all();
    db.close();
    expect(history).toEqual([
      '1 stage-changed',
      '1 updated',
      '2 stage-changed',
      '2 updated',
      '3 stage-changed',
      '3 updated',
    ]);
  });
});
