import { latestVersion, schemaAt } from './migrations.js';
import type { Database } from './store.js';

/**
 * `PRAGMA application_id` of every crmctl store: the ASCII bytes "CRMC" (0x43524D43), a
 * positive 32-bit number, so `file(1)` and crmctl itself can tell its stores from other SQLite
 * files. Stores made before crmctl stamped it have 0 and are recognised by their tables.
 */
export const crmctlApplicationId = 0x43524d43;

/** What an SQLite file says about itself, read without changing anything in it. */
export interface StoreFacts {
  applicationId: number;
  userVersion: number;
  /** Its tables and indexes, SQLite's own (`sqlite_…`) left out. */
  tables: string[];
  indexes: string[];
}

export type StoreIdentity =
  /** Nothing in it yet: a new store may be made here. */
  | { kind: 'empty' }
  /** A crmctl store at `version`; `stamped` once it carries crmctl's application_id. */
  | { kind: 'crmctl'; version: number; stamped: boolean }
  /** Not a store this crmctl may use; `problem` follows the file's name in the message. */
  | { kind: 'refused'; problem: string };

/** Reads the facts: three pragmas and the schema table, all reads. */
export function readStoreFacts(db: Database): StoreFacts {
  const objects = db
    .prepare(
      "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .all() as { type: string; name: string }[];
  return {
    applicationId: db.pragma('application_id', { simple: true }) as number,
    userVersion: db.pragma('user_version', { simple: true }) as number,
    tables: objects.filter((o) => o.type === 'table').map((o) => o.name),
    indexes: objects.filter((o) => o.type === 'index').map((o) => o.name),
  };
}

/** Decides from its facts whether a file is empty, a crmctl store (and of which version), or neither. */
export function identifyStore(facts: StoreFacts): StoreIdentity {
  const { applicationId, userVersion } = facts;
  const names = new Set([...facts.tables, ...facts.indexes]);
  const stamped = applicationId === crmctlApplicationId;
  if (names.size === 0 && userVersion === 0 && (applicationId === 0 || stamped)) {
    return { kind: 'empty' };
  }
  if (!stamped && applicationId !== 0) {
    return {
      kind: 'refused',
      problem: `is not a crmctl store: it belongs to another program (application_id ${hex(applicationId)}): check --db`,
    };
  }
  if (stamped && userVersion > latestVersion)
    return { kind: 'refused', problem: newer(userVersion) };
  const matching = versionsMatching(names);
  if (userVersion >= 1 && matching.includes(userVersion)) {
    return { kind: 'crmctl', version: userVersion, stamped };
  }
  const tablesOf = matching[0];
  if (tablesOf !== undefined) {
    return {
      kind: 'refused',
      problem:
        `is a crmctl store whose schema version was changed by hand: its user_version is ${userVersion}, ` +
        `but its tables are those of version ${tablesOf}. Restore it from a backup ` +
        `(or, if only that number was changed, set PRAGMA user_version back to ${tablesOf})`,
    };
  }
  if (stamped || [...schemaAt(1)].every((name) => names.has(name))) {
    return {
      kind: 'refused',
      problem:
        `is a crmctl store whose tables match no crmctl schema version (its user_version is ${userVersion}): ` +
        'it was changed by hand or is damaged. Restore it from a backup',
    };
  }
  return {
    kind: 'refused',
    problem:
      `is not a crmctl store: it is an SQLite database of another program (tables: ${listed(facts.tables)}). ` +
      'crmctl makes its store only in a new or empty file: check --db',
  };
}

/** The schema versions whose tables and indexes are exactly crmctl's among `names`, lowest first. */
function versionsMatching(names: Set<string>): number[] {
  const all = new Set<string>();
  for (let version = 1; version <= latestVersion; version++) {
    for (const name of schemaAt(version)) all.add(name);
  }
  const found = new Set([...names].filter((name) => all.has(name)));
  const versions: number[] = [];
  for (let version = 1; version <= latestVersion; version++) {
    const expected = schemaAt(version);
    if (expected.size === found.size && [...expected].every((name) => found.has(name))) {
      versions.push(version);
    }
  }
  return versions;
}

function newer(version: number): string {
  return (
    `was made by a newer crmctl (schema version ${version}; this one knows versions 1 to ${latestVersion}), ` +
    'or its user_version was changed by hand: upgrade crmctl, or restore the store from a backup'
  );
}

function hex(id: number): string {
  return `0x${(id >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

function listed(names: string[]): string {
  const shown = names.slice(0, 5).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown || 'none';
}
