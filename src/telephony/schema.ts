/** Migration 12 (src/store/migrations.ts): telephony's tables (DESIGN §4). */
export const telephonySchema = `
  -- The blacklist: numbers in E.164, whatever spelling they were given in.
  CREATE TABLE blacklist (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL UNIQUE,
    raw TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL CHECK (source IN ('manual', 'auto')),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    -- null: permanent; else the first instant it no longer applies
    expires_at TEXT,
    operation_id INTEGER REFERENCES operations(id),
    line INTEGER
  ) STRICT;
  CREATE INDEX blacklist_by_operation ON blacklist(operation_id);
  CREATE INDEX blacklist_by_expiry ON blacklist(expires_at) WHERE expires_at IS NOT NULL;

  -- Entries a remove (or the nightly expiry) took off, kept whole so that undo puts them back.
  CREATE TABLE blacklist_removals (
    id INTEGER PRIMARY KEY,
    removal_id INTEGER NOT NULL REFERENCES operations(id),
    number TEXT NOT NULL,
    raw TEXT NOT NULL,
    comment TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    expires_at TEXT,
    operation_id INTEGER REFERENCES operations(id),
    line INTEGER
  ) STRICT;
  CREATE INDEX blacklist_removals_by_removal ON blacklist_removals(removal_id);

  -- Comments an import overwrote (--update-comments), so that undoing it puts them back.
  CREATE TABLE blacklist_comment_changes (
    operation_id INTEGER NOT NULL REFERENCES operations(id),
    entry_id INTEGER NOT NULL,
    old_comment TEXT NOT NULL,
    PRIMARY KEY (operation_id, entry_id)
  ) STRICT, WITHOUT ROWID;

  -- Numbers never auto-blocked (fail2ban's ignoreip).
  CREATE TABLE blacklist_allowed (
    number TEXT PRIMARY KEY,
    comment TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE telephony_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT, WITHOUT ROWID;

  -- Every inbound call, accepted or declined, with what telephony decided and why.
  CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    number TEXT NOT NULL,
    line TEXT,
    duration INTEGER,
    status TEXT NOT NULL CHECK (status IN ('answered', 'missed', 'declined')),
    declined_by TEXT CHECK (declined_by IN ('blacklist', 'auto-block')),
    code INTEGER NOT NULL,
    outside_hours INTEGER NOT NULL,
    reason TEXT NOT NULL,
    communication_id INTEGER REFERENCES communications(id)
  ) STRICT;
  CREATE INDEX calls_by_number ON calls(number, at);
  CREATE INDEX calls_by_time ON calls(at);
`;
