import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON read back from the command line
type Json = any;

// Issue 9 §6 (DESIGN §3, seeds 000 and 001): "Add to exceptions" from an item, and its undo.

const now = '2026-03-01T10:00:00Z';
type Cli = Awaited<ReturnType<typeof newStore>>['cli'];

async function ok(cli: Cli, argv: string[]) {
  const result = await cli(argv);
  expect(result.exitCode, `${argv.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

/** Everything a person could look at, to compare before and after an undo. */
async function state(cli: Cli) {
  const items = (await ok(cli, ['item', 'list', '--json'])).json();
  const contacts = (await ok(cli, ['contact', 'list', '--json'])).json();
  const companies = (await ok(cli, ['company', 'list', '--json'])).json();
  const exceptions = (await ok(cli, ['exceptions', 'list', '--json']))
    .json<Json[]>()
    .map((e) => e.value);
  const bin = (await ok(cli, ['recycle-bin', 'list', '--json'])).json();
  return { items, contacts, companies, exceptions, bin };
}

async function seeded() {
  const { cli } = await newStore({ now });
  await ok(cli, [
    'contact',
    'add',
    '--name',
    'Anna',
    '--phone',
    '+44 20 7946 0958',
    '--email',
    'anna@example.com',
  ]);
  await ok(cli, [
    'company',
    'add',
    '--name',
    'Oak',
    '--email',
    'info@oak.example',
    '--contact',
    '1',
  ]);
  await ok(cli, [
    'item',
    'add',
    '--type',
    'deal',
    '--title',
    'Spam deal',
    '--contact',
    '1',
    '--company',
    '1',
  ]);
  return cli;
}

async function addAndUndo(cli: Cli, id: string) {
  const before = await state(cli);
  const added = await ok(cli, ['item', 'add-to-exceptions', id]);
  const op = added.stdout.trim();
  const after = await state(cli);
  const undone = await ok(cli, ['undo', op]);
  expect(await state(cli)).toEqual(before);
  return { added, after, undone, op };
}

describe('item add-to-exceptions', () => {
  it('a deal: its contact’s and company’s values listed, the deal, contact and company binned; undo takes it all back', async () => {
    const cli = await seeded();
    const { added, after, undone } = await addAndUndo(cli, '1');
    expect(after.exceptions).toEqual(['+442079460958', 'anna@example.com', 'info@oak.example']);
    expect(after.items).toEqual([]);
    expect(after.contacts).toEqual([]);
    expect(after.companies).toEqual([]);
    expect(added.stderr).toMatch(
      /3 of 3 value\(s\) added to the exceptions list; moved item 1, contact 1, company 1/,
    );
    expect(undone.stderr).toMatch(
      /exceptions: removed 3 entries it added; recycle-bin: restored 3 records/,
    );
    const entries = (await ok(cli, ['exceptions', 'list', '--source', 'item', '--json'])).json();
    expect(entries).toEqual([]);
    // Seed 000: history records that the deal and its contact were deleted.
    const history = (await ok(cli, ['history', '--json'])).json<
      { action: string; entity: { type: string } }[]
    >();
    const deletions = history.filter((h) => h.action === 'deleted').map((h) => h.entity.type);
    expect(deletions).toEqual(['item', 'contact', 'company']);
    // Each bin entry names what the same operation deleted with it.
    await ok(cli, ['item', 'add-to-exceptions', '1']);
    const bin = (await ok(cli, ['recycle-bin', 'list', '--json'])).json<Json[]>();
    expect(bin.map((e) => [e.entityType, e.related])).toEqual([
      [
        'deal',
        [
          { entityType: 'contact', entityId: 1 },
          { entityType: 'company', entityId: 1 },
        ],
      ],
      [
        'contact',
        [
          { entityType: 'deal', entityId: 1 },
          { entityType: 'company', entityId: 1 },
        ],
      ],
      [
        'company',
        [
          { entityType: 'deal', entityId: 1 },
          { entityType: 'contact', entityId: 1 },
        ],
      ],
    ]);
  });

  it('a deal whose contact has another deal: the contact stays', async () => {
    const cli = await seeded();
    await ok(cli, ['item', 'add', '--type', 'deal', '--title', 'Real deal', '--contact', '1']);
    const { after, added } = await addAndUndo(cli, '1');
    expect(after.contacts).toHaveLength(1);
    expect(after.companies).toEqual([]);
    expect(added.stderr).toMatch(/contact 1 stays: it has 1 other item/);
  });

  it('a deal whose company has other contacts: the company stays', async () => {
    const cli = await seeded();
    await ok(cli, ['contact', 'add', '--name', 'Bob', '--company', '1']);
    const { after, added } = await addAndUndo(cli, '1');
    expect((after.companies as { id: number }[]).map((c) => c.id)).toEqual([1]);
    expect((after.contacts as { id: number }[]).map((c) => c.id)).toEqual([2]);
    expect(added.stderr).toMatch(/company 1 stays: it has other contacts \(2\)/);
  });

  it('a lead: its own values only, and its contact stays', async () => {
    const cli = await seeded();
    await ok(cli, [
      'item',
      'add',
      '--type',
      'lead',
      '--title',
      'Spam lead',
      '--phone',
      '+44 7911 123456',
      '--contact',
      '1',
    ]);
    const { after } = await addAndUndo(cli, '2');
    expect(after.exceptions).toEqual(['+447911123456']);
    expect(after.contacts).toHaveLength(1);
    expect((after.items as { id: number }[]).map((i) => i.id)).toEqual([1]);
  });

  it('undo removes only the entries the operation added: a value listed before stays', async () => {
    const cli = await seeded();
    await ok(cli, ['exceptions', 'add', 'anna@example.com;listed by hand']);
    const { after } = await addAndUndo(cli, '1');
    expect(after.exceptions).toHaveLength(3);
    expect(
      (await ok(cli, ['exceptions', 'list', '--json'])).json<Json[]>().map((e) => e.comment),
    ).toEqual(['listed by hand']);
  });

  it('nothing to add: exit 5 with a clear message, nothing changed', async () => {
    const cli = await seeded();
    await ok(cli, ['item', 'add', '--type', 'deal', '--title', 'Nobody']);
    const before = await state(cli);
    const refused = await cli(['item', 'add-to-exceptions', '2']);
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr).toMatch(
      /nothing to add to the exceptions list: deal 2 "Nobody": neither it nor its contact or company has a phone or email/,
    );
    expect(await state(cli)).toEqual(before);
    expect((await cli(['item', 'add-to-exceptions', '99'])).exitCode).toBe(4);
  });

  it('--dry-run reports it and changes nothing; restore --with-related is the other way back', async () => {
    const cli = await seeded();
    const before = await state(cli);
    const dry = (
      await ok(cli, ['item', 'add-to-exceptions', '1', '--dry-run', '--json'])
    ).json<Json>();
    expect(dry).toMatchObject({
      dryRun: true,
      operationId: null,
      values: ['+442079460958', 'anna@example.com', 'info@oak.example'],
    });
    expect(await state(cli)).toEqual(before);
    await ok(cli, ['item', 'add-to-exceptions', '1']);
    await ok(cli, ['recycle-bin', 'restore', '1', '--with-related']);
    const back = await state(cli);
    expect({ ...back, exceptions: [] }).toEqual({ ...before, exceptions: [] });
    expect(back.exceptions).toHaveLength(3);
  });

  it('an employee without exceptions.edit is refused (exit 6) before anything changes', async () => {
    const cli = await seeded();
    await ok(cli, ['user', 'add', 'emma', '--role', 'employee']);
    const refused = await cli(['item', 'add-to-exceptions', '1'], { as: 'emma' });
    expect(refused.exitCode).toBe(6);
    expect(refused.stderr).toMatch(/exceptions\.edit/);
  });
});

describe('item add-to-exceptions --comment', () => {
  it('a comment the list cannot take refuses the whole thing (exit 2), nothing deleted', async () => {
    const cli = await seeded();
    const before = await state(cli);
    const refused = await cli(['item', 'add-to-exceptions', '1', '--comment', 'a\0b']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/the comment cannot be used/);
    expect(await state(cli)).toEqual(before);
    const custom = await ok(cli, ['item', 'add-to-exceptions', '1', '--comment', 'spam; really']);
    expect(custom.exitCode).toBe(0);
    const comments = (await ok(cli, ['exceptions', 'list', '--json'])).json<
      { comment: string }[]
    >();
    expect(comments.map((c) => c.comment)).toEqual([
      'spam; really',
      'spam; really',
      'spam; really',
    ]);
  });
});
