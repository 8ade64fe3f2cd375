// The bare reference for the import benchmark: split lines, normalise with libphonenumber-js
// (emails: trim and lower-case the domain), insert with one prepared statement in one
// transaction. No validation extras, no reporting, no batch bookkeeping.
//
//   node bench/reference-import.js FILE STORE
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const parsePhone = require('libphonenumber-js/max').default;

const [file, store] = process.argv.slice(2);
const db = new Database(store);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
const insert = db.prepare(
  `INSERT OR IGNORE INTO exceptions (type, value, match_key, raw, comment, source, created_at, created_by)
   VALUES (?, ?, ?, ?, ?, 'import', ?, 'bench')`,
);
const at = new Date().toISOString();

function handle(line) {
  const semi = line.indexOf(';');
  const raw = (semi === -1 ? line : line.slice(0, semi)).trim();
  if (raw === '') return;
  const comment = semi === -1 ? '' : line.slice(semi + 1);
  if (raw.includes('@')) {
    const at = raw.lastIndexOf('@');
    const value = raw.slice(0, at) + raw.slice(at).toLowerCase();
    insert.run('email', value, value.toLowerCase(), raw, comment, at);
    return;
  }
  const phone = parsePhone(raw, { defaultCountry: 'GB', extract: false });
  if (phone?.isValid()) insert.run('phone', phone.number, phone.number, raw, comment, at);
}

db.exec('BEGIN IMMEDIATE');
let rest = '';
for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
  const lines = (rest + chunk).split('\n');
  rest = lines.pop() ?? '';
  for (const line of lines) handle(line);
}
handle(rest);
db.exec('COMMIT');
db.close();
