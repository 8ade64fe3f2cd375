import { domainToUnicode } from 'node:url';
import { telephonySchema } from '../telephony/schema.js';
import type { Database } from './store.js';

/** A schema change in SQL, or a change of the data that SQL cannot express. */
type Migration = { version: number; name: string } & (
  | { sql: string }
  | { run: (db: Database) => void }
);

/**
 * Numbered schema changes, applied in order and tracked by `PRAGMA user_version`.
 * Never edit a released migration: add a new one.
 */
const migrations: Migration[] = [
  {
    version: 1,
    name: 'accounts, settings and pipelines',
    sql: `
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE roles (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        description TEXT NOT NULL DEFAULT '',
        builtin INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE role_permissions (
        role TEXT NOT NULL REFERENCES roles(name) ON DELETE CASCADE ON UPDATE CASCADE,
        permission TEXT NOT NULL,
        PRIMARY KEY (role, permission)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        login TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        role TEXT NOT NULL REFERENCES roles(name) ON UPDATE CASCADE,
        supervisor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE entity_types (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        builtin INTEGER NOT NULL DEFAULT 0,
        many_pipelines INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE pipelines (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL REFERENCES entity_types(name),
        name TEXT NOT NULL,
        is_default INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        UNIQUE (type, name COLLATE NOCASE)
      ) STRICT;

      CREATE TABLE stages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        position INTEGER NOT NULL,
        semantic TEXT NOT NULL CHECK (semantic IN ('process', 'success', 'failure')),
        UNIQUE (pipeline_id, name COLLATE NOCASE)
      ) STRICT;
      CREATE INDEX stages_by_pipeline ON stages(pipeline_id, position);
    `,
  },
  {
    version: 2,
    name: 'contacts, companies, items and history',
    sql: `
      CREATE TABLE companies (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE contacts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE contact_companies (
        contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
        company_id INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
        PRIMARY KEY (contact_id, company_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX contact_companies_by_company ON contact_companies(company_id);

      CREATE TABLE items (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL REFERENCES entity_types(name),
        pipeline_id INTEGER NOT NULL REFERENCES pipelines(id),
        stage_id INTEGER NOT NULL REFERENCES stages(id),
        title TEXT NOT NULL,
        amount REAL,
        currency TEXT,
        responsible_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
        contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
        company_id INTEGER REFERENCES companies(id) ON DELETE SET NULL,
        source TEXT NOT NULL DEFAULT 'manual',
        fields TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX items_by_stage ON items(stage_id);
      CREATE INDEX items_by_pipeline ON items(pipeline_id);
      CREATE INDEX items_by_contact ON items(contact_id);
      CREATE INDEX items_by_company ON items(company_id);
      CREATE INDEX items_by_responsible ON items(responsible_id);

      -- Phones and emails of items (leads), contacts and companies.
      CREATE TABLE contact_points (
        id INTEGER PRIMARY KEY,
        owner_type TEXT NOT NULL CHECK (owner_type IN ('item', 'contact', 'company')),
        owner_id INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('phone', 'email')),
        value TEXT NOT NULL,
        match_key TEXT NOT NULL,
        raw TEXT NOT NULL
      ) STRICT;
      CREATE INDEX contact_points_by_owner ON contact_points(owner_type, owner_id);
      CREATE INDEX contact_points_by_key ON contact_points(match_key);

      CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        cause_kind TEXT NOT NULL CHECK (cause_kind IN ('user', 'rule', 'trigger', 'system')),
        cause_id INTEGER,
        command TEXT,
        action TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        entity_id INTEGER NOT NULL,
        changes TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      CREATE INDEX history_by_entity ON history(entity_type, entity_id);
      CREATE INDEX history_by_actor ON history(actor COLLATE NOCASE);
      CREATE INDEX history_by_time ON history(at);
    `,
  },
  {
    version: 3,
    name: 'operations, exceptions list and communication log',
    sql: `
      -- One row per command that changed many records at once (an import, a bulk add):
      -- entries point back to it, so it can be reported and undone as a whole.
      CREATE TABLE operations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        actor TEXT NOT NULL,
        command TEXT,
        at TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT '{}',
        undone_at TEXT
      ) STRICT;

      CREATE TABLE exceptions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        type TEXT NOT NULL CHECK (type IN ('phone', 'email')),
        value TEXT NOT NULL,
        match_key TEXT NOT NULL UNIQUE,
        raw TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL CHECK (source IN ('manual', 'import', 'item', 'rule', 'telephony')),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        operation_id INTEGER REFERENCES operations(id),
        -- the line of its import file, to explain later duplicates of it
        line INTEGER
      ) STRICT;
      CREATE INDEX exceptions_by_operation ON exceptions(operation_id);

      -- Comments an import overwrote (--update-comments), so undoing it can put them back.
      CREATE TABLE exception_comment_changes (
        operation_id INTEGER NOT NULL REFERENCES operations(id),
        exception_id INTEGER NOT NULL REFERENCES exceptions(id) ON DELETE CASCADE,
        old_comment TEXT NOT NULL,
        PRIMARY KEY (operation_id, exception_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX exception_comment_changes_by_exception ON exception_comment_changes(exception_id);

      -- Inbound emails, calls, chats and form submissions, saved to the CRM or not.
      CREATE TABLE communications (
        id INTEGER PRIMARY KEY,
        channel TEXT NOT NULL CHECK (channel IN ('email', 'call', 'chat', 'form')),
        at TEXT NOT NULL,
        from_value TEXT NOT NULL,
        from_key TEXT,
        subject TEXT,
        message_id TEXT,
        in_reply_to TEXT,
        status TEXT NOT NULL,
        item_id INTEGER,
        reason TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE INDEX communications_by_message ON communications(message_id);
      CREATE INDEX communications_by_channel ON communications(channel, at);
    `,
  },
  {
    version: 4,
    name: 'emails with a punycode domain keyed by its Unicode spelling',
    run: rekeyPunycodeEmails,
  },
  {
    version: 5,
    name: 'an index of the exceptions list comments',
    sql: `CREATE INDEX exceptions_by_comment ON exceptions(comment) WHERE comment != '';`,
  },
  {
    version: 6,
    name: 'every change recorded under the operation of the command that made it',
    sql: `
      ALTER TABLE history ADD COLUMN operation_id INTEGER REFERENCES operations(id);
      CREATE INDEX history_by_operation ON history(operation_id);
    `,
  },
  {
    version: 7,
    name: 'the communication log keeps the decision taken and why a call was declined',
    sql: `
      ALTER TABLE communications ADD COLUMN decision TEXT;
      ALTER TABLE communications ADD COLUMN declined_reason TEXT;
      -- A sender's communications in time order: a number's calls in a window (auto-block).
      CREATE INDEX communications_by_sender ON communications(from_key, at);
    `,
  },
  {
    version: 8,
    name: 'entries a remove took off the exceptions list, kept whole so that undo puts them back',
    sql: `
      -- A removed entry, as it was (its own id, value, comment, origin, batch), under the remove
      -- that took it: undoing that remove inserts it again. An entry is off the list at most
      -- once at a time, so its id is the key.
      CREATE TABLE exception_removals (
        id INTEGER PRIMARY KEY,
        removal_id INTEGER NOT NULL REFERENCES operations(id),
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        match_key TEXT NOT NULL,
        raw TEXT NOT NULL,
        comment TEXT NOT NULL,
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        operation_id INTEGER REFERENCES operations(id),
        line INTEGER
      ) STRICT;
      CREATE INDEX exception_removals_by_removal ON exception_removals(removal_id);
      CREATE INDEX exception_removals_by_operation ON exception_removals(operation_id);

      -- The comments an import overwrote now outlive the entry's removal (no cascade), so an
      -- entry put back by undo finds them again under its own id.
      CREATE TABLE exception_comment_changes_v6 AS SELECT * FROM exception_comment_changes;
      DROP TABLE exception_comment_changes;
      CREATE TABLE exception_comment_changes (
        operation_id INTEGER NOT NULL REFERENCES operations(id),
        exception_id INTEGER NOT NULL,
        old_comment TEXT NOT NULL,
        PRIMARY KEY (operation_id, exception_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX exception_comment_changes_by_exception ON exception_comment_changes(exception_id);
      INSERT INTO exception_comment_changes (operation_id, exception_id, old_comment)
        SELECT operation_id, exception_id, old_comment FROM exception_comment_changes_v6;
      DROP TABLE exception_comment_changes_v6;
    `,
  },
  {
    version: 9,
    name: 'the recycle bin: deleted records kept whole, with keys to find them by',
    sql: `
      -- One deleted record (an item, contact or company) as it was: its original id, and the
      -- snapshot every feature that owned something of it captured (src/bin/contributor.ts).
      CREATE TABLE bin_entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('item', 'contact', 'company')),
        entity_id INTEGER NOT NULL,
        -- the item's type (lead, deal, …), or contact / company
        entity_type TEXT NOT NULL,
        title TEXT NOT NULL,
        deleted_at TEXT NOT NULL,
        deleted_by TEXT NOT NULL,
        operation_id INTEGER NOT NULL REFERENCES operations(id),
        -- records this one links to that the same operation deleted: [{ kind, entityType, entityId }]
        related TEXT NOT NULL DEFAULT '[]',
        snapshot TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX bin_entries_by_record ON bin_entries(kind, entity_id);
      CREATE INDEX bin_entries_by_time ON bin_entries(deleted_at);
      CREATE INDEX bin_entries_by_operation ON bin_entries(operation_id);
      CREATE INDEX bin_entries_by_deleter ON bin_entries(deleted_by COLLATE NOCASE, deleted_at);

      -- The phones (E.164) and emails (lower-cased) a bin entry is found by.
      CREATE TABLE bin_keys (
        bin_id INTEGER NOT NULL REFERENCES bin_entries(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        PRIMARY KEY (key, bin_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX bin_keys_by_entry ON bin_keys(bin_id);

      CREATE TABLE bin_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 10,
    name: 'automation: rules, triggers, scheduled jobs and the automation log',
    sql: `
      -- A rule of a stage (DESIGN §2): one action with its parameters, an optional condition
      -- (parsed, as JSON, and as written), its timing and its place in the stage's order.
      CREATE TABLE automation_rules (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
        stage_id INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT,
        action TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        condition TEXT,
        condition_text TEXT,
        delay_ms INTEGER NOT NULL DEFAULT 0,
        at_field TEXT,
        offset_ms INTEGER NOT NULL DEFAULT 0,
        working_hours INTEGER NOT NULL DEFAULT 0,
        after_previous INTEGER NOT NULL DEFAULT 0,
        enabled INTEGER NOT NULL DEFAULT 1,
        counter INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX automation_rules_by_stage ON automation_rules(stage_id, position);

      -- A trigger of a stage (seed 004): on its event it moves the item to its stage.
      CREATE TABLE automation_triggers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
        stage_id INTEGER NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
        name TEXT,
        event TEXT NOT NULL,
        params TEXT NOT NULL DEFAULT '{}',
        condition TEXT,
        condition_text TEXT,
        allow_back INTEGER NOT NULL DEFAULT 0,
        enabled INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX automation_triggers_by_pipeline ON automation_triggers(pipeline_id, event);

      -- A rule's run that waits: for its due time (pending), for the rule above it in its chain
      -- (waiting, after_job_id), for a condition (holding), or for a webhook's answer (sending).
      -- It ends once, as done, skipped, failed or cancelled, and the log then has its row.
      CREATE TABLE automation_jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        rule_id INTEGER NOT NULL,
        item_id INTEGER NOT NULL,
        stage_id INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'waiting', 'holding', 'sending',
          'done', 'skipped', 'failed', 'cancelled')),
        due_at TEXT,
        after_job_id INTEGER,
        chain_id INTEGER NOT NULL,
        hop INTEGER NOT NULL,
        path TEXT NOT NULL,
        started_at TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX automation_jobs_due ON automation_jobs(status, due_at, id);
      CREATE INDEX automation_jobs_by_item ON automation_jobs(item_id, status);
      CREATE INDEX automation_jobs_by_previous ON automation_jobs(after_job_id)
        WHERE after_job_id IS NOT NULL;

      -- What the automation did: each rule run's end (immediate ones have no job) and each
      -- trigger considered, with the condition and the values it saw.
      CREATE TABLE automation_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('rule', 'trigger')),
        rule_id INTEGER,
        trigger_id INTEGER,
        job_id INTEGER,
        item_id INTEGER NOT NULL,
        stage_id INTEGER,
        action TEXT,
        event TEXT,
        status TEXT NOT NULL CHECK (status IN ('done', 'skipped', 'failed', 'cancelled')),
        due_at TEXT,
        executed_at TEXT NOT NULL,
        condition TEXT,
        seen TEXT,
        detail TEXT NOT NULL,
        made TEXT,
        chain_id INTEGER,
        hop INTEGER,
        operation_id INTEGER
      ) STRICT;
      CREATE INDEX automation_log_by_item ON automation_log(item_id, id);
      CREATE INDEX automation_log_by_rule ON automation_log(rule_id) WHERE rule_id IS NOT NULL;
      CREATE INDEX automation_log_by_trigger ON automation_log(trigger_id)
        WHERE trigger_id IS NOT NULL;
      CREATE INDEX automation_log_by_chain ON automation_log(chain_id, item_id)
        WHERE chain_id IS NOT NULL;
    `,
  },
  {
    version: 11,
    name: 'what automation actions leave in the store: outbox, tasks, documents, notifications',
    sql: `
      -- Items may go to the recycle bin and come back with their ids: rows here keep their
      -- item id without a foreign key, so that they wait for it (the bin's contributors capture them).
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
        recipient TEXT NOT NULL,
        subject TEXT,
        text TEXT NOT NULL,
        item_id INTEGER,
        rule_id INTEGER,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        operation_id INTEGER REFERENCES operations(id)
      ) STRICT;
      CREATE INDEX outbox_by_item ON outbox(item_id);
      CREATE INDEX outbox_by_time ON outbox(created_at);

      CREATE TABLE tasks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        title TEXT NOT NULL,
        assignee TEXT,
        deadline TEXT,
        item_id INTEGER NOT NULL,
        stage_id INTEGER,
        rule_id INTEGER,
        status TEXT NOT NULL CHECK (status IN ('open', 'done')),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        completed_at TEXT,
        completed_by TEXT,
        operation_id INTEGER REFERENCES operations(id)
      ) STRICT;
      CREATE INDEX tasks_by_item ON tasks(item_id, status);
      CREATE INDEX tasks_by_assignee ON tasks(assignee COLLATE NOCASE, status);

      CREATE TABLE documents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        body TEXT NOT NULL,
        item_id INTEGER,
        rule_id INTEGER,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        operation_id INTEGER REFERENCES operations(id)
      ) STRICT;
      CREATE INDEX documents_by_item ON documents(item_id);

      CREATE TABLE notifications (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        login TEXT NOT NULL COLLATE NOCASE,
        text TEXT NOT NULL,
        item_id INTEGER,
        source TEXT NOT NULL,
        rule_id INTEGER,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        read_at TEXT,
        operation_id INTEGER REFERENCES operations(id)
      ) STRICT;
      CREATE INDEX notifications_by_login ON notifications(login, read_at);
    `,
  },
  {
    version: 12,
    name: 'telephony: blacklist, allow-list, settings and the call log',
    sql: telephonySchema,
  },
  {
    version: 13,
    name: 'the communication log indexes only what is looked up',
    sql: `
      -- Calls are counted from the call log (calls_by_number) since version 12: nothing reads
      -- communications by sender, and keeping that index in order cost every call a random write.
      DROP INDEX communications_by_sender;
      -- Only emails carry a Message-ID: calls and chats add nothing to this index.
      DROP INDEX communications_by_message;
      CREATE INDEX communications_by_message_id ON communications(message_id)
        WHERE message_id IS NOT NULL;
    `,
  },
];

/**
 * Emails are compared by their Unicode domain (bücher.de, not xn--bcher-kva.de) since version 4.
 * Earlier stores keyed a punycode spelling as typed: re-key those rows; an exceptions entry that
 * now repeats one already listed is merged into it (the older entry stays).
 */
function rekeyPunycodeEmails(db: Database): void {
  const unicode = (address: string): string => {
    const at = address.lastIndexOf('@');
    const domain = domainToUnicode(address.slice(at + 1));
    return domain === '' ? address : `${address.slice(0, at + 1)}${domain}`;
  };
  const punycode = "match_key LIKE '%@%xn--%'";
  const listedElsewhere = db.prepare('SELECT 1 FROM exceptions WHERE match_key = ? AND id != ?');
  const dropEntry = db.prepare('DELETE FROM exceptions WHERE id = ?');
  const rekeyEntry = db.prepare('UPDATE exceptions SET value = ?, match_key = ? WHERE id = ?');
  const entries = db
    .prepare(`SELECT id, value FROM exceptions WHERE type = 'email' AND ${punycode} ORDER BY id`)
    .all() as { id: number; value: string }[];
  for (const { id, value } of entries) {
    const address = unicode(value);
    if (listedElsewhere.get(address.toLowerCase(), id)) dropEntry.run(id);
    else rekeyEntry.run(address, address.toLowerCase(), id);
  }
  const rekeyPoint = db.prepare('UPDATE contact_points SET value = ?, match_key = ? WHERE id = ?');
  const points = db
    .prepare(`SELECT id, value FROM contact_points WHERE kind = 'email' AND ${punycode}`)
    .all() as { id: number; value: string }[];
  for (const { id, value } of points) {
    const address = unicode(value);
    rekeyPoint.run(address, address.toLowerCase(), id);
  }
  const rekeySender = db.prepare('UPDATE communications SET from_key = ? WHERE id = ?');
  const senders = db
    .prepare(`SELECT id, from_key FROM communications WHERE from_key LIKE '%@%xn--%'`)
    .all() as { id: number; from_key: string }[];
  for (const { id, from_key } of senders) rekeySender.run(unicode(from_key), id);
}

export const latestVersion = migrations.at(-1)?.version ?? 0;

/**
 * The tables and indexes crmctl's schema has at `version`, read from the migrations' SQL: how a
 * store made before crmctl stamped its `application_id` is recognised, and how a `user_version`
 * changed by hand is caught (its tables then belong to another version).
 */
export function schemaAt(version: number): ReadonlySet<string> {
  schemas ??= schemaByVersion();
  return schemas[Math.max(0, Math.min(version, latestVersion))] ?? new Set();
}

let schemas: Set<string>[] | undefined;

function schemaByVersion(): Set<string>[] {
  const names = new Set<string>();
  const byVersion = [new Set<string>()];
  for (const migration of migrations) {
    // Numbers not used (yet) hold the schema of the version before.
    for (let v = byVersion.length; v < migration.version; v++) byVersion[v] = new Set(names);
    const sql = 'sql' in migration ? migration.sql.replace(/--[^\n]*/g, '') : '';
    for (const [, verb, name = ''] of sql.matchAll(
      /\b(CREATE|DROP)\s+(?:UNIQUE\s+)?(?:TABLE|INDEX|VIEW|TRIGGER)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?["`]?(\w+)/gi,
    )) {
      if (verb?.toUpperCase() === 'DROP') names.delete(name);
      else names.add(name);
    }
    byVersion[migration.version] = new Set(names);
  }
  return byVersion;
}

/**
 * Applies the migrations after the store's current version up to `target`, inside the
 * caller's write transaction. Returns true when it built a brand-new store to the latest version.
 */
export function migrate(db: Database, target: number): boolean {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current >= target) return false; // another process migrated while we waited for the lock
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    if ('sql' in migration) db.exec(migration.sql);
    else migration.run(db);
    db.pragma(`user_version = ${migration.version}`);
  }
  return current === 0 && target === latestVersion;
}
