import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON read back from the command line
type Json = any;

// Issue 9 §1–3: delete moves records to the bin whole; list, show and restore them with their ids.

const now = '2026-03-01T10:00:00Z';

type Cli = Awaited<ReturnType<typeof newStore>>['cli'];

async function ok(cli: Cli, argv: string[], more: Parameters<Cli>[1] = {}) {
  const result = await cli(argv, more);
  expect(result.exitCode, `${argv.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

async function seeded() {
  const store = await newStore({ now });
  const { cli } = store;
  await ok(cli, ['settings', 'set', 'default-country', 'GB']);
  await ok(cli, [
    'contact',
    'add',
    '--name',
    'Anna',
    '--phone',
    '020 7946 0958',
    '--email',
    'Anna@Example.com',
  ]);
  await ok(cli, [
    'company',
    'add',
    '--name',
    'Oak & Co',
    '--phone',
    '+44 20 7946 0000',
    '--contact',
    '1',
  ]);
  await ok(cli, [
    'item',
    'add',
    '--type',
    'deal',
    '--title',
    'Sofa',
    '--contact',
    '1',
    '--company',
    '1',
    '--field',
    'colour=red',
    '--amount',
    '900',
  ]);
  await ok(cli, [
    'item',
    'add',
    '--type',
    'lead',
    '--title',
    'Web enquiry',
    '--phone',
    '+44 7911 123456',
    '--email',
    'lead@example.org',
  ]);
  return store;
}

describe('item delete → recycle-bin list/show/restore', () => {
  it('moves the item out of every list and count, keeps it whole, and brings it back with its id', async () => {
    const { cli } = await seeded();
    const shownItem = async () => {
      const { timeline: _, ...item } = (await ok(cli, ['item', 'show', '1', '--json'])).json<
        Record<string, unknown>
      >();
      return item;
    };
    const before = await shownItem();
    const deleted = await ok(cli, ['item', 'delete', '1']);
    const op = Number(deleted.stdout.trim());
    expect(op).toBeGreaterThan(0);
    expect(deleted.stderr).toMatch(/1 item moved to the recycle bin \(operation \d+; crmctl undo/);
    expect((await cli(['item', 'show', '1'])).exitCode).toBe(4);
    expect(
      (await ok(cli, ['item', 'list', '--json'])).json<{ id: number }[]>().map((i) => i.id),
    ).toEqual([2]);
    expect((await ok(cli, ['item', 'list', '--phone', '020 7946 0958', '--json'])).json()).toEqual(
      [],
    );

    const list = (await ok(cli, ['recycle-bin', 'list', '--json'])).json<
      Record<string, unknown>[]
    >();
    expect(list).toEqual([
      {
        id: 1,
        kind: 'item',
        entityType: 'deal',
        entityId: 1,
        title: 'Sofa',
        deletedAt: '2026-03-01T10:00:00.000Z',
        deletedBy: expect.any(String),
        operationId: op,
        related: [],
      },
    ]);
    // Piped: greppable tab-separated lines.
    const plain = (await ok(cli, ['recycle-bin', 'list'])).stdout;
    expect(plain.split('\n')[0]?.split('\t').slice(0, 5)).toEqual([
      '1',
      'deal',
      '1',
      'Sofa',
      '2026-03-01T10:00:00.000Z',
    ]);
    // Found by its contact's phone in another spelling, and by its title.
    for (const search of ['+44 20 7946 0958', '02079460958', 'anna@example.COM', 'sof']) {
      const found = (await ok(cli, ['recycle-bin', 'list', '--search', search, '--json'])).json<
        { id: number }[]
      >();
      expect(
        found.map((e) => e.id),
        search,
      ).toEqual([1]);
    }
    expect(
      (await ok(cli, ['recycle-bin', 'list', '--search', '+44 7911 123456', '--json'])).json(),
    ).toEqual([]);

    const shown = (await ok(cli, ['recycle-bin', 'show', '1', '--json'])).json<Json>();
    expect(shown.deleted.item).toMatchObject({
      title: 'Sofa',
      fields: { colour: 'red' },
      amount: 900,
      contactId: 1,
      companyId: 1,
    });
    expect(shown.history.map((h: { action: string }) => h.action)).toEqual(['created', 'deleted']);
    expect(shown.restore).toEqual({ restores: ['deal 1'], notes: [], refused: null });

    const restored = await ok(cli, ['recycle-bin', 'restore', '1']);
    expect(restored.stderr).toContain('Restored deal 1 "Sofa"');
    expect(await shownItem()).toEqual(before);
    expect((await ok(cli, ['recycle-bin', 'list', '--json'])).json()).toEqual([]);
    const again = await cli(['recycle-bin', 'restore', '1']);
    expect(again.exitCode).toBe(4);
    expect(again.stderr).toMatch(/bin entry 1 is not in the recycle bin/);
    const history = (await ok(cli, ['history', '--item', '1', '--json'])).json<
      { action: string; actor: string; cause: { kind: string } }[]
    >();
    expect(history.map((h) => h.action)).toEqual(['created', 'deleted', 'restored']);
    expect(history[1]?.cause.kind).toBe('user');
  });

  it('a lead in the bin no longer matches inbound calls and emails, and a reply to its thread is not attached', async () => {
    const { cli } = await seeded();
    await ok(cli, [
      'email',
      'incoming',
      '--from',
      'lead@example.org',
      '--subject',
      'Hi',
      '--message-id',
      'm1@x.org',
    ]);
    const leads = (await ok(cli, ['item', 'list', '--type', 'lead', '--json'])).json<
      { id: number }[]
    >();
    await ok(cli, ['item', 'delete', ...leads.map((l) => String(l.id))]);
    const reply = (
      await ok(cli, [
        'email',
        'incoming',
        '--from',
        'someone@example.net',
        '--subject',
        'Re: Hi',
        '--in-reply-to',
        'm1@x.org',
        '--json',
      ])
    ).json<Json>();
    expect(reply.communication.itemId).not.toBe(2);
    expect(reply.decision).not.toBe('attach-to-thread');
  });

  it('deleting by stage takes --yes (or a dry run), and counts what it did', async () => {
    const { cli } = await seeded();
    await ok(cli, ['item', 'add', '--type', 'deal', '--title', 'Table', '--stage', 'Won']);
    await ok(cli, ['item', 'add', '--type', 'deal', '--title', 'Chair', '--stage', 'Won']);
    const refused = await cli(['item', 'delete', '--stage', 'Won', '--type', 'deal']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/2 item\(s\) in stage "Won": add --yes/);
    const dry = (
      await ok(cli, ['item', 'delete', '--stage', 'Won', '--type', 'deal', '--dry-run', '--json'])
    ).json<Json>();
    expect(dry).toMatchObject({ operationId: null, dryRun: true, deleted: { item: 2 } });
    expect(
      (await ok(cli, ['item', 'list', '--stage', 'Won', '--type', 'deal', '--json'])).json(),
    ).toHaveLength(2);
    const real = (
      await ok(cli, ['item', 'delete', '--stage', 'Won', '--type', 'deal', '--yes', '--json'])
    ).json<Json>();
    expect(real).toMatchObject({ dryRun: false, deleted: { item: 2 } });
    expect(
      (
        await ok(cli, ['recycle-bin', 'list', '--operation', String(real.operationId), '--json'])
      ).json(),
    ).toHaveLength(2);
    await ok(cli, ['recycle-bin', 'restore', '--with-related', String(real.entries[0].binId)]);
    const asked: string[] = [];
    const answer = (yes: boolean) => ({
      confirm: async (message: string) => {
        asked.push(message);
        return yes;
      },
      input: async () => '',
      select: async () => '' as never,
    });
    const declined = await cli(['item', 'delete', '--stage', 'Won', '--type', 'deal'], {
      tty: true,
      prompter: answer(false),
    });
    expect(declined.exitCode).toBe(5);
    expect(asked).toEqual(['Delete the 2 item(s) in stage "Won"?']);
    await ok(cli, ['item', 'delete', '--stage', 'Won', '--type', 'deal'], {
      tty: true,
      prompter: answer(true),
    });
    expect(
      (await ok(cli, ['item', 'list', '--stage', 'Won', '--type', 'deal', '--json'])).json(),
    ).toEqual([]);
    const none = await ok(cli, ['item', 'delete', '--stage', 'Won', '--type', 'deal', '--yes']);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/Nothing to delete/);
  });

  it('contact delete cuts the links of its items (restored with it), or takes them along with --with-items', async () => {
    const { cli } = await seeded();
    const contactBefore = (await ok(cli, ['contact', 'show', '1', '--json'])).json();
    const op = Number((await ok(cli, ['contact', 'delete', '1'])).stdout);
    expect((await ok(cli, ['item', 'show', '1', '--json'])).json<Json>().contactId).toBeNull();
    expect((await ok(cli, ['company', 'show', '1', '--json'])).json<Json>().contactIds).toEqual([]);
    await ok(cli, ['undo', String(op)]);
    expect((await ok(cli, ['contact', 'show', '1', '--json'])).json()).toEqual(contactBefore);
    expect((await ok(cli, ['item', 'show', '1', '--json'])).json<Json>().contactId).toBe(1);

    const both = (await ok(cli, ['contact', 'delete', '1', '--with-items', '--json'])).json<Json>();
    expect(both.deleted).toEqual({ item: 1, contact: 1, company: 0 });
    const entries = (await ok(cli, ['recycle-bin', 'list', '--json'])).json<Json[]>();
    expect(entries.map((e) => [e.entityType, e.entityId])).toEqual([
      ['deal', 1],
      ['contact', 1],
    ]);
    expect(entries[0].related).toEqual([{ entityType: 'contact', entityId: 1 }]);
    // The item alone: its contact stays in the bin, so the link is lost and said so.
    const plan = await ok(cli, ['recycle-bin', 'restore', String(entries[0].id), '--plan']);
    expect(plan.stdout).toContain('would restore\t');
    expect(plan.stdout).toMatch(/link to contact 1 is lost: that contact is in the bin/);
    expect((await ok(cli, ['recycle-bin', 'list', '--json'])).json()).toHaveLength(2);
    await ok(cli, ['recycle-bin', 'restore', String(entries[0].id), '--with-related']);
    expect((await ok(cli, ['item', 'show', '1', '--json'])).json<Json>().contactId).toBe(1);
    expect((await ok(cli, ['contact', 'show', '1', '--json'])).json()).toEqual(contactBefore);
  });

  it('a removed stage or pipeline falls back, said aloud; a restored value on the exceptions list warns', async () => {
    const { cli } = await seeded();
    await ok(cli, [
      'pipeline',
      'add',
      'Wholesale',
      '--type',
      'deal',
      '--stages',
      'New,Packing,Final invoice',
    ]);
    await ok(cli, [
      'item',
      'add',
      '--type',
      'deal',
      '--title',
      'Pallet',
      '--pipeline',
      'Wholesale',
      '--stage',
      'Packing',
      '--contact',
      '1',
    ]);
    await ok(cli, ['item', 'delete', '3']);
    await ok(cli, ['stage', 'remove', 'Packing', '--pipeline', 'Wholesale']);
    await ok(cli, ['exceptions', 'add', '+44 20 7946 0958']);
    const restored = await ok(cli, ['recycle-bin', 'restore', '1']);
    expect(restored.stderr).toMatch(
      /stage "Packing" no longer exists: restored to stage "New" of "Wholesale"/,
    );
    expect(restored.stderr).toMatch(/\+442079460958 is on the exceptions list/);
    await ok(cli, ['item', 'delete', '3']);
    await ok(cli, ['pipeline', 'remove', 'Wholesale', '--type', 'deal']);
    const again = await ok(cli, ['recycle-bin', 'restore', '2', '--json']);
    expect(again.json<Json>().notes[0]).toMatch(
      /pipeline "Wholesale" no longer exists: restored to the default deal pipeline "Default", stage "New"/,
    );
    expect((await ok(cli, ['item', 'show', '3', '--json'])).json<Json>()).toMatchObject({
      pipeline: { name: 'Default' },
      stage: { name: 'New' },
    });
  });

  it('a link to a record purged since refuses the restore (exit 5, naming it) unless --drop-links', async () => {
    const { cli } = await seeded();
    await ok(cli, ['item', 'delete', '1']);
    await ok(cli, ['company', 'delete', '1', '--permanently']);
    const refused = await cli(['recycle-bin', 'restore', '1']);
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr).toMatch(
      /company 1, which item 1 links to, was purged or deleted permanently/,
    );
    expect((await ok(cli, ['recycle-bin', 'list', '--json'])).json()).toHaveLength(1);
    const dropped = await ok(cli, ['recycle-bin', 'restore', '1', '--drop-links']);
    expect(dropped.stderr).toMatch(/link to company 1 is lost/);
    expect((await ok(cli, ['item', 'show', '1', '--json'])).json<Json>()).toMatchObject({
      contactId: 1,
      companyId: null,
    });
  });

  it('--permanently needs bin.purge, skips the bin, and history still records it', async () => {
    const { cli } = await seeded();
    await ok(cli, ['user', 'add', 'emma', '--role', 'employee']);
    const refused = await cli(['item', 'delete', '2', '--permanently'], { as: 'emma' });
    expect(refused.exitCode).toBe(6);
    expect(refused.stderr).toMatch(/bin\.purge/);
    expect((await ok(cli, ['item', 'show', '2'])).exitCode).toBe(0);
    await ok(cli, ['item', 'delete', '2', '--permanently']);
    expect((await ok(cli, ['recycle-bin', 'list', '--json'])).json()).toEqual([]);
    expect((await cli(['item', 'show', '2'])).exitCode).toBe(4);
    const history = (await ok(cli, ['history', '--item', '2', '--json'])).json<
      { action: string }[]
    >();
    expect(history.map((h) => h.action)).toEqual(['created', 'deleted-permanently']);
    // Ids are never reused.
    const next = await ok(cli, ['item', 'add', '--title', 'New one']);
    expect(Number(next.stdout)).toBe(3);
  });

  it('emits item-deleted for the automation, and no event on restore', async () => {
    const { cli } = await seeded();
    const seen: string[] = [];
    const subscribers = [(_s: unknown, e: { type: string }) => void seen.push(e.type)];
    await ok(cli, ['contact', 'delete', '1', '--with-items'], { subscribers });
    expect(seen).toEqual(['item-deleted']);
    seen.length = 0;
    await ok(cli, ['recycle-bin', 'restore', '1', '--with-related'], { subscribers });
    expect(seen).toEqual([]);
  });

  it('with no ids on a terminal, restore offers a picker; piped, it is a usage error', async () => {
    const { cli } = await seeded();
    await ok(cli, ['item', 'delete', '1', '2']);
    const asked: string[] = [];
    const prompter = {
      confirm: async () => false,
      input: async () => '',
      select: async <T extends string>(message: string, choices: { value: T; name?: string }[]) => {
        asked.push(message, ...choices.map((c) => c.name ?? ''));
        return choices[1]?.value as T;
      },
    };
    const picked = await cli(['recycle-bin', 'restore'], { tty: true, prompter });
    expect(picked.exitCode, picked.stderr).toBe(0);
    expect(asked[0]).toBe('Restore which?');
    expect(asked[2]).toMatch(/^2 +lead 2 +Web enquiry$/);
    expect((await ok(cli, ['item', 'show', '2'])).exitCode).toBe(0);
    expect((await cli(['recycle-bin', 'restore'])).exitCode).toBe(2);
  });
});

describe('crmctl undo of a delete', () => {
  it('refuses (exit 5) when a later operation restored or purged part of it, naming it', async () => {
    const { cli } = await seeded();
    const op = (await ok(cli, ['item', 'delete', '1', '2'])).stdout.trim();
    const restored = await ok(cli, ['recycle-bin', 'restore', '1', '--json']);
    const restoreOp = restored.json<Json>().operationId;
    const refused = await cli(['undo', op]);
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr).toContain(
      `operation ${restoreOp} (recycle-bin-restore) restored item 1 it deleted`,
    );
    await ok(cli, ['item', 'delete', '1']);
    const purge = (await ok(cli, ['recycle-bin', 'purge', '--yes', '--json'])).json<Json>();
    const again = await cli(['undo', op]);
    expect(again.exitCode).toBe(5);
    expect(again.stderr).toContain(
      `operation ${purge.operationId} (recycle-bin-purge) purged item 2 it deleted`,
    );
    expect((await cli(['recycle-bin', 'list', '--type', 'dela'])).exitCode).toBe(4);
  });
});
