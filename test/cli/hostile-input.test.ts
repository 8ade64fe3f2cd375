import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { unguardFormula } from '../../src/formats/csv.js';
import { newStore } from '../helpers.js';

const now = '2026-03-01T09:00:00.000Z';

/** Text that must be stored and shown exactly as given, never run or interpreted. */
const nasty = [
  "'); DROP TABLE items; --",
  "Robert'); DELETE FROM users WHERE ('1'='1",
  '$(rm -rf ~) `reboot` && echo pwned | sh; exit 1',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell placeholder that must stay literal
  '%s%s%n%x %d {0} ${HOME} {{title}} %(name)s',
  '🛋️ Sofa 👨‍👩‍👧‍👦 — ✓ 𝕌𝕟𝕚𝕔𝕠𝕕𝕖',
  'أريكة جلدية \u202Bمع\u202C שלום עולם',
  '\u202Eevil\u202C mirrored \u2066isolate\u2069',
  'zero\u200Bwidth\uFEFFjoiner\u200D',
  'backslash \\0 \\n \\t "quotes", commas, \'single\'',
  '=HYPERLINK("http://evil.example","click")',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '<script>alert(1)</script> &amp; <!-- -->',
  'percent 100% under_score LIKE \\%',
];

/**
 * The same as names and titles, which refuse bidi overrides and isolates (DESIGN §8: they
 * reorder a terminal's text): each becomes a right-to-left mark, which names may hold.
 */
const names = nasty.map((text) => text.replace(/[\u202A-\u202E\u2066-\u2069]/g, '\u200F'));

type Cli = Awaited<ReturnType<typeof newStore>>['cli'];

async function ok(cli: Cli, argv: string[]) {
  const result = await cli(argv);
  expect(result.exitCode, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
  return result;
}

describe('hostile text is stored and read back byte for byte', () => {
  it('item titles and custom fields', async () => {
    const { cli } = await newStore({ now });
    for (const [i, text] of nasty.entries()) {
      await ok(cli, [
        'item',
        'add',
        '--title',
        names[i] ?? '',
        '--field',
        `note=${text}`,
        '--field',
        `k${i}=x`,
      ]);
    }
    const items = (await ok(cli, ['item', 'list', '--json'])).json<
      { title: string; fields: Record<string, string> }[]
    >();
    expect(items.map((i) => i.title)).toEqual(names);
    expect(items.map((i) => i.fields.note)).toEqual(nasty);

    // --search finds exactly the item, with LIKE wildcards taken literally.
    for (const [i, text] of names.entries()) {
      const found = (await ok(cli, ['item', 'list', '--search', text, '--fields', 'id'])).stdout;
      expect(found, text).toBe(`${i + 1}\n`);
    }

    // CSV export parses back to the same text once the formula guard is undone.
    const csv = (await ok(cli, ['item', 'list', '-o', 'csv', '--fields', 'id,title'])).stdout;
    const rows = parse(csv, { columns: true }) as { id: string; title: string }[];
    expect(rows.map((r) => unguardFormula(r.title))).toEqual(names);

    // Updating to the same hostile text is recorded verbatim in history.
    await ok(cli, ['item', 'update', '1', '--title', nasty[2] ?? '']);
    const history = (await ok(cli, ['history', '--item', '1', '--json'])).json<
      { changes: Record<string, unknown> }[]
    >();
    expect(history.at(-1)?.changes).toEqual({ title: { from: nasty[0], to: nasty[2] } });
  });

  it('contact and company names', async () => {
    const { cli } = await newStore({ now });
    for (const text of names) {
      await ok(cli, ['contact', 'add', '--name', text]);
      await ok(cli, ['company', 'add', '--name', text]);
    }
    for (const kind of ['contact', 'company']) {
      const names = (await ok(cli, [kind, 'list', '--json']))
        .json<{ name: string }[]>()
        .map((p) => p.name);
      expect(names).toEqual(names);
    }
    await ok(cli, ['contact', 'update', '1', '--name', names[4] ?? '']);
    expect((await ok(cli, ['contact', 'show', '1', '--json'])).json<{ name: string }>().name).toBe(
      names[4],
    );
    expect(
      (await ok(cli, ['contact', 'list', '--search', names[6] ?? '', '--fields', 'id'])).stdout,
    ).toBe('7\n');
  });

  it('user names and role descriptions', async () => {
    const { cli } = await newStore({ now });
    for (const [i, text] of names.entries()) {
      await ok(cli, ['user', 'add', `user${i}`, '--name', text]);
      await ok(cli, [
        'role',
        'add',
        `role-${i}`,
        '--permissions',
        'items.view',
        '--description',
        text,
      ]);
    }
    const users = (await ok(cli, ['user', 'list', '--json'])).json<
      { login: string; name: string }[]
    >();
    expect(names.map((_, i) => users.find((u) => u.login === `user${i}`)?.name)).toEqual(names);
    const roles = (await ok(cli, ['role', 'list', '--json'])).json<
      { name: string; description: string }[]
    >();
    expect(names.map((_, i) => roles.find((r) => r.name === `role-${i}`)?.description)).toEqual(
      names,
    );
  });

  it('pipeline, stage and type names', async () => {
    const { cli } = await newStore({ now });
    for (const [i, text] of names.entries()) {
      const added = await ok(cli, ['pipeline', 'add', text]);
      // (--stages is a comma-separated list, so a stage name with a comma comes by stage add.)
      await ok(cli, ['stage', 'add', text, '--pipeline', added.stdout.trim()]);
      await ok(cli, ['type', 'add', `sp-${i}`, '--title', text]);
    }
    const pipelines = (await ok(cli, ['pipeline', 'list', '--type', 'deal', '--json'])).json<
      { name: string; stages: { name: string }[] }[]
    >();
    expect(pipelines.slice(1).map((p) => p.name)).toEqual(names);
    expect(pipelines.slice(1).map((p) => p.stages[5]?.name)).toEqual(names);
    const types = (await ok(cli, ['type', 'list', '--json'])).json<
      { name: string; title: string }[]
    >();
    expect(names.map((_, i) => types.find((t) => t.name === `sp-${i}`)?.title)).toEqual(names);
    // Addressed by that name again: shown, a stage added after a hostile one, renamed.
    const target = names[5] ?? '';
    expect(
      (await ok(cli, ['pipeline', 'show', target, '--json'])).json<{ name: string }>().name,
    ).toBe(target);
    await ok(cli, ['stage', 'add', names[1] ?? '', '--pipeline', target, '--after', target]);
    await ok(cli, ['stage', 'rename', names[1] ?? '', names[3] ?? '', '--pipeline', target]);
    const stages = (await ok(cli, ['stage', 'list', '--pipeline', target, '--json'])).json<
      { name: string }[]
    >();
    expect(stages.slice(4).map((s) => s.name)).toEqual([
      'Final invoice',
      target,
      names[3],
      'Won',
      'Lost',
    ]);
    const id = (
      await ok(cli, ['item', 'add', '--pipeline', target, '--stage', target, '--title', 't'])
    ).stdout.trim();
    await ok(cli, ['item', 'move', id, '--stage', names[3] ?? '']);
    expect(
      (await ok(cli, ['item', 'show', id, '--json'])).json<{ stage: { name: string } }>().stage
        .name,
    ).toBe(names[3]);
    await ok(cli, ['pipeline', 'rename', target, `${names[0]} (2)`]);
    expect((await cli(['pipeline', 'show', target])).exitCode).toBe(4);
  });
});

describe('huge input', () => {
  const megabyte = 'x'.repeat(1024 * 1024);

  it('a 1 MB title, name or pipeline is refused (exit 2) with a short one-line message', async () => {
    const { cli } = await newStore({ now });
    await ok(cli, ['item', 'add', '--title', 'existing']);
    const attempts: [string[], string][] = [
      [
        ['item', 'add', '--title', megabyte],
        'error: a title needs 1 to 500 printable characters\n',
      ],
      [
        ['item', 'update', '1', '--title', megabyte],
        'error: a title needs 1 to 500 printable characters\n',
      ],
      [
        ['contact', 'add', '--name', megabyte],
        'error: a contact name needs 1 to 200 printable characters\n',
      ],
      [
        ['company', 'add', '--name', megabyte],
        'error: a company name needs 1 to 200 printable characters\n',
      ],
      [['pipeline', 'add', megabyte], ''],
      [['stage', 'add', megabyte], ''],
      [['user', 'add', 'big', '--name', megabyte], ''],
      [
        ['type', 'add', 'big', '--title', megabyte],
        'error: a type title needs 1 to 100 printable characters\n',
      ],
    ];
    for (const [argv, message] of attempts) {
      const result = await cli(argv);
      const label = argv.slice(0, 2).join(' ');
      expect(result.exitCode, label).toBe(2);
      expect(result.stdout, label).toBe('');
      expect(result.stderr.split('\n'), label).toHaveLength(2);
      expect(result.stderr.length, label).toBeLessThan(300);
      if (message) expect(result.stderr, label).toBe(message);
    }
    expect((await ok(cli, ['item', 'list', '--fields', 'title'])).stdout).toBe('existing\n');
    expect((await ok(cli, ['contact', 'list', '--json'])).json()).toEqual([]);
    expect(
      (await ok(cli, ['pipeline', 'list', '--type', 'deal', '--json'])).json<unknown[]>(),
    ).toHaveLength(1);
    expect((await cli(['user', 'show', 'big'])).exitCode).toBe(4);
  });

  it('limits are inclusive: a 500-character title and a 200-character name are fine', async () => {
    const { cli } = await newStore({ now });
    const title = '🛋'.repeat(250); // 500 UTF-16 units
    await ok(cli, ['item', 'add', '--title', title]);
    expect((await ok(cli, ['item', 'show', '1', '--json'])).json<{ title: string }>().title).toBe(
      title,
    );
    expect((await cli(['item', 'add', '--title', `${title}x`])).exitCode).toBe(2);
    await ok(cli, ['contact', 'add', '--name', 'n'.repeat(200)]);
    expect((await cli(['contact', 'add', '--name', 'n'.repeat(201)])).exitCode).toBe(2);
  });

  it('a 1 MB custom field value is stored and read back exactly', async () => {
    const { cli } = await newStore({ now });
    const value = `${'é'.repeat(512 * 1024)}🛋`;
    await ok(cli, ['item', 'add', '--title', 'big field', '--field', `blob=${value}`]);
    const item = (await ok(cli, ['item', 'show', '1', '--json'])).json<{
      fields: Record<string, string>;
    }>();
    expect(item.fields.blob === value).toBe(true);
  });
});

describe('control characters', () => {
  it('are refused in titles and names, which are shown on terminals (exit 2)', async () => {
    const { cli } = await newStore({ now });
    for (const bad of ['tab\there', 'new\nline', 'esc\x1b[31mred', 'bell\x07', 'nul\x00']) {
      const label = JSON.stringify(bad);
      expect((await cli(['item', 'add', '--title', bad])).exitCode, label).toBe(2);
      expect((await cli(['contact', 'add', '--name', bad])).exitCode, label).toBe(2);
      expect((await cli(['pipeline', 'add', bad])).exitCode, label).toBe(2);
      expect((await cli(['user', 'add', 'u1', '--name', bad])).exitCode, label).toBe(2);
      expect((await cli(['type', 'add', 'tt', '--title', bad])).exitCode, label).toBe(2);
      expect(
        (await cli(['role', 'add', 'rr', '--permissions', 'items.view', '--description', bad]))
          .exitCode,
        label,
      ).toBe(2);
    }
    expect((await ok(cli, ['item', 'list', '--json'])).json()).toEqual([]);
    expect((await cli(['user', 'show', 'u1'])).exitCode).toBe(4);
    expect((await cli(['role', 'show', 'rr'])).exitCode).toBe(4);
  });

  it('an empty user name is refused; no --name means the login', async () => {
    const { cli } = await newStore({ now });
    expect((await cli(['user', 'add', 'anna', '--name', ' '])).exitCode).toBe(2);
    await ok(cli, ['user', 'add', 'anna']);
    expect((await ok(cli, ['user', 'show', 'anna', '--json'])).json<{ name: string }>().name).toBe(
      'anna',
    );
  });
});

describe('bad ids are usage errors (exit 2)', () => {
  const badIds = ['0', '-1', '1e3', 'abc', '1.5', '0x10', '', ' ', '１', '9'.repeat(16)];

  it('in every command that takes an id', async () => {
    const { cli } = await newStore({ now });
    await ok(cli, ['item', 'add', '--title', 'x']);
    await ok(cli, ['contact', 'add', '--name', 'c']);
    await ok(cli, ['company', 'add', '--name', 'k']);
    const commands = (id: string): string[][] => [
      ['item', 'show', id],
      ['item', 'update', id, '--title', 'y'],
      ['item', 'move', id, '--stage', 'Won'],
      ['item', 'add', '--title', 'y', '--contact', id],
      ['item', 'add', '--title', 'y', '--company', id],
      ['item', 'update', '1', '--contact', id],
      ['contact', 'show', id],
      ['contact', 'update', id, '--name', 'y'],
      ['contact', 'add', '--name', 'y', '--company', id],
      ['company', 'show', id],
      ['company', 'update', id, '--name', 'y'],
      ['company', 'add', '--name', 'y', '--contact', id],
      ['history', '--item', id],
    ];
    const before = (await ok(cli, ['history', '--json'])).stdout;
    for (const id of badIds) {
      for (const argv of commands(id)) {
        const result = await cli(argv);
        expect(result.exitCode, `${argv.join(' ')}`).toBe(2);
        expect(result.stdout, argv.join(' ')).toBe('');
        expect(result.stderr, argv.join(' ')).toMatch(
          /must be a positive whole number|unknown option|argument missing|needs a value/,
        );
      }
    }
    expect((await ok(cli, ['history', '--json'])).stdout).toBe(before);
  });

  it('a well-formed id that does not exist is not found (exit 4)', async () => {
    const { cli } = await newStore({ now });
    for (const argv of [
      ['item', 'show', '1'],
      ['item', 'update', '1', '--title', 'x'],
      ['contact', 'show', '1'],
      ['company', 'update', '1', '--name', 'x'],
      ['item', 'add', '--title', 'x', '--contact', '999999999999999'],
    ]) {
      expect((await cli(argv)).exitCode, argv.join(' ')).toBe(4);
    }
  });
});
