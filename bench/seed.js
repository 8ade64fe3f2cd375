// Fills a store made by `crmctl init` with many items quickly, straight through SQLite,
// the way a store looks after months of use. Used by the benchmarks only.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function seedItems(dbPath, count) {
  const Database = require('better-sqlite3');
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  const pipeline = db
    .prepare("SELECT id FROM pipelines WHERE type = 'deal' AND is_default = 1")
    .get();
  const stages = db
    .prepare('SELECT id FROM stages WHERE pipeline_id = ? ORDER BY position')
    .all(pipeline.id);
  const userId = db.prepare('SELECT id FROM users ORDER BY id LIMIT 1').pluck().get();
  const insertContact = db.prepare(
    'INSERT INTO contacts (name, created_at, updated_at) VALUES (?, ?, ?)',
  );
  const insertPoint = db.prepare(
    `INSERT INTO contact_points (owner_type, owner_id, kind, value, match_key, raw)
     VALUES ('contact', ?, 'phone', ?, ?, ?)`,
  );
  const insertItem = db.prepare(
    `INSERT INTO items (type, pipeline_id, stage_id, title, amount, currency, responsible_id,
       contact_id, company_id, source, fields, created_at, updated_at)
     VALUES ('deal', ?, ?, ?, ?, 'USD', ?, ?, NULL, 'manual', '{}', ?, ?)`,
  );
  const at = '2026-01-01T00:00:00.000Z';
  db.transaction(() => {
    for (let i = 1; i <= count; i++) {
      const contactId = Number(insertContact.run(`Contact ${i}`, at, at).lastInsertRowid);
      const phone = `+4420${String(70000000 + i).padStart(8, '0')}`;
      insertPoint.run(contactId, phone, phone, phone);
      insertItem.run(
        pipeline.id,
        stages[i % stages.length].id,
        `Deal ${i}`,
        i % 5000,
        userId,
        contactId,
        at,
        at,
      );
    }
  })();
  db.close();
}
