import { describe, expect, it } from 'vitest';
import { escapeControls, escapeJsonControls } from '../../src/cli/escape.js';
import { withDb } from '../e2e/support.js';
import { newStore } from '../helpers.js';

const now = '2026-03-01T09:00:00.000Z';

// What a hostile value can carry: a colour (CSI), a window title (OSC … BEL), a C1 CSI that
// clears the screen, a bidi override, DEL, a line break and a tab.
const hostile = 'red\u001b[31mX\u001b]0;owned\u0007\u009b2J\u202Eevil\u007F\nnext\tcell';
const shown = 'red\\x1b[31mX\\x1b]0;owned\\x07\\x9b2J\\u202eevil\\x7f\\nnext\\tcell';

/** Any character a terminal would obey instead of showing (line breaks aside). */
const obeyed = /(?!\n)[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

describe('escapeControls', () => {
  it('shows C0, DEL, C1, line separators and bidi controls as JavaScript escapes', () => {
    expect(escapeControls(hostile)).toBe(shown);
    expect(escapeControls('\u2028\u2029\u2066\u2069\u0000')).toBe(
      '\\u2028\\u2029\\u2066\\u2069\\x00',
    );
    // Everything else is left alone: accents, CJK, emoji, a backslash.
    expect(escapeControls('Zoë 漢字 🙂 a\\b')).toBe('Zoë 漢字 🙂 a\\b');
  });

  it('in JSON text: the same data, shown safely, still valid JSON', () => {
    const json = JSON.stringify({ v: hostile }, null, 2);
    const safe = escapeJsonControls(json);
    expect(safe).not.toMatch(obeyed);
    expect(JSON.parse(safe)).toEqual({ v: hostile });
    // Its layout (line breaks between keys) stays.
    expect(safe.split('\n')).toHaveLength(3);
  });
});

async function storeWithHostileText() {
  const s = await newStore({ now });
  const added = await s.cli(['item', 'add', '--title', 'Sofa', '--field', `note=${hostile}`]);
  expect(added.exitCode, added.stderr).toBe(0);
  // The mail joins the sender's lead (a new lead would take the subject as its title).
  await s.cli(['item', 'add', '--type', 'lead', '--title', 'Anna', '--email', 'a@b.example']);
  const mail = await s.cli(['email', 'incoming', '--from', 'a@b.example', '--subject', hostile]);
  expect(mail.exitCode, mail.stderr).toBe(0);
  withDb(s.db, (db) => {
    db.prepare(
      `INSERT INTO exceptions (type, value, match_key, raw, comment, source, created_at, created_by)
       VALUES ('email', 'x@y.example', 'x@y.example', 'x@y.example', ?, 'import', ?, 'admin')`,
    ).run(hostile, now);
  });
  return s;
}

const commands = [
  ['item', 'list', '--fields', 'id,fields'],
  ['item', 'show', '1', '--fields', 'id,fields'],
  ['email', 'log', '--fields', 'id,subject'],
  ['exceptions', 'list', '--fields', 'id,comment'],
];

describe('stored text on a terminal (DESIGN §8)', () => {
  it('every format shows control characters escaped', async () => {
    const { cli } = await storeWithHostileText();
    for (const argv of commands) {
      for (const format of ['table', 'json', 'jsonl', 'csv', 'tsv']) {
        const label = `${argv.join(' ')} -o ${format}`;
        const result = await cli([...argv, '-o', format], { tty: true, env: { NO_COLOR: '1' } });
        expect(result.exitCode, label).toBe(0);
        // CSV rows end in CRLF and TSV cells are apart by tabs: that is the format, not the data.
        const layout = format === 'csv' ? '\r\n' : format === 'tsv' ? '\t' : '\n';
        expect(result.stdout.replaceAll(layout, '\n'), label).not.toMatch(obeyed);
        if (format === 'json' || format === 'jsonl') {
          expect(result.stdout, label).toContain('\\u001b[31mX');
          expect(result.stdout, label).toContain('\\u009b2J\\u202eevil\\u007f\\nnext\\tcell');
        } else if (format === 'tsv') {
          expect(result.stdout, label).toContain('\\x1b[31mX\\x1b]0;owned\\x07\\x9b2J\\u202eevil');
        } else {
          expect(result.stdout, label).toContain(shown);
        }
      }
    }
  });

  it('JSON shown on a terminal still reads back as the exact data', async () => {
    const { cli } = await storeWithHostileText();
    const result = await cli(['exceptions', 'list', '--json'], { tty: true });
    expect(result.json<{ comment: string }[]>()[0]?.comment).toBe(hostile);
    const show = await cli(['item', 'show', '1', '--json'], { tty: true });
    expect(show.stdout).not.toMatch(obeyed);
    expect(show.json<{ fields: { note: string } }>().fields.note).toBe(hostile);
  });

  it('piped or redirected, csv, tsv, json and jsonl are the exact data', async () => {
    const { cli } = await storeWithHostileText();
    const csv = await cli(['exceptions', 'list', '-o', 'csv', '--fields', 'comment']);
    expect(csv.stdout).toBe(`comment\r\n"${hostile}"\r\n`);
    const json = await cli(['exceptions', 'list', '--json', '--fields', 'comment']);
    expect(json.json()).toEqual([{ comment: hostile }]);
    expect(json.stdout).toContain('\u009b2J\u202Eevil\u007F');
    const jsonl = await cli(['email', 'log', '-o', 'jsonl', '--fields', 'subject']);
    expect(jsonl.stdout).toBe(`${JSON.stringify({ subject: hostile })}\n`);
    const tsv = await cli(['email', 'log', '-o', 'tsv', '--fields', 'subject']);
    // TSV escapes only what would break its rows (tabs, line breaks, backslashes).
    expect(tsv.stdout).toBe(`subject\n${hostile.replace('\n', '\\n').replace('\t', '\\t')}\n`);
  });
});

describe('pipeline drawings', () => {
  it('Mermaid labels escape <, >, &, quotes and # as entity codes; the drawing escapes controls', async () => {
    const { cli } = await newStore({ now });
    const added = await cli([
      'pipeline',
      'add',
      'Shop',
      '--stages',
      `<img src=x onerror=alert(1)>,"quoted" & 'single',#amp; not an entity,Won:success,Lost:failure`,
    ]);
    expect(added.exitCode).toBe(0);
    const mermaid = await cli(['pipeline', 'show', 'Shop', '--format', 'mermaid']);
    expect(mermaid.stdout).toContain('["#lt;img src=x onerror=alert(1)#gt;<br/>0 items"]');
    expect(mermaid.stdout).toContain('["#quot;quoted#quot; #amp; #39;single#39;<br/>0 items"]');
    expect(mermaid.stdout).toContain('["#35;amp; not an entity<br/>0 items"]');
    expect(mermaid.stdout).not.toMatch(/<img|"quoted"/);
  });
});
