import { describe, expect, it } from 'vitest';
import { notify } from '../../src/automation/actions/notify.js';
import { badIds, effectsStore } from '../outbox/support.js';

interface NoticeJson {
  id: number;
  user: string;
  read: boolean;
  text: string;
}

describe('crmctl notification', () => {
  it('lists the acting user’s own, marks them read, --unread and --all', async () => {
    const { cli, runAction } = await noticeStore();
    for (const text of ['one', 'two', 'three']) runAction(notify, 1, { text });
    runAction(notify, 1, { to: 'supervisor', text: 'for the boss' });
    const mine = await cli(['notification', 'list', '--json'], { as: 'anna' });
    expect(mine.json<NoticeJson[]>().map((n) => [n.id, n.text, n.read])).toEqual([
      [1, 'one', false],
      [2, 'two', false],
      [3, 'three', false],
    ]);
    const read = await cli(['notification', 'read', '2', '2', '--json'], { as: 'anna' });
    expect(read.exitCode, read.stderr).toBe(0);
    expect(read.json<NoticeJson[]>().map((n) => n.id)).toEqual([2]);
    expect(read.stderr).toBe('Marked 1 read\n');
    const unread = await cli(['notification', 'list', '--unread', '--fields', 'id', '-o', 'tsv'], {
      as: 'anna',
    });
    expect(unread.stdout).toBe('id\n1\n3\n');
    const all = await cli(['notification', 'read', '--all'], { as: 'anna' });
    expect(all.stderr).toBe('Marked 2 read\n');
    const twice = await cli(['notification', 'read', '1'], { as: 'anna' });
    expect(twice.exitCode).toBe(0);
    expect(twice.stderr).toBe('Marked 0 read; 1 read already (1)\n');
    const boss = await cli(['notification', 'list', '--json'], { as: 'boss' });
    expect(boss.json<NoticeJson[]>().map((n) => n.text)).toEqual(['for the boss']);
  });

  it('another user’s notifications need users.manage (the admin has it)', async () => {
    const { cli, runAction } = await noticeStore();
    runAction(notify, 1, { text: 'private' });
    const peek = await cli(['notification', 'list', '--user', 'anna'], { as: 'boss' });
    expect(peek.exitCode).toBe(6);
    expect(peek.stderr).toMatch(/lacks users\.manage/);
    const mark = await cli(['notification', 'read', '1'], { as: 'boss' });
    expect(mark.exitCode).toBe(6);
    const admin = await cli(['notification', 'list', '--user', 'ANNA', '--json']);
    expect(admin.json<NoticeJson[]>()).toHaveLength(1);
    expect((await cli(['notification', 'list', '--user', 'ghost'])).exitCode).toBe(4);
    expect((await cli(['notification', 'list'], { as: 'outsider' })).exitCode).toBe(6);
    const unread = await cli(['notification', 'list', '--unread', '--json'], { as: 'anna' });
    expect(unread.json()).toHaveLength(1);
  });

  it('refuses malformed input', async () => {
    const { cli } = await noticeStore();
    for (const id of badIds)
      expect((await cli(['notification', 'read', id])).exitCode, `read ${id}`).toBe(2);
    expect((await cli(['notification', 'read'])).exitCode).toBe(2);
    expect((await cli(['notification', 'read', '1', '--all'])).exitCode).toBe(2);
    expect((await cli(['notification', 'read', '404'])).exitCode).toBe(4);
    expect((await cli(['notification', 'list', '--user', ''])).exitCode).toBe(2);
    expect((await cli(['notification', 'list', '--user', 'x'.repeat(100_000)])).exitCode).toBe(4);
  });
});

/** cliStore's users and lead, with a Session on the same store to run notify as rule 7. */
async function noticeStore() {
  const effects = await effectsStore();
  const { cli } = effects;
  for (const argv of [
    ['role', 'add', 'outsider', '--permissions', 'exceptions.view'],
    ['user', 'add', 'outsider', '--role', 'outsider'],
    ['user', 'add', 'boss', '--role', 'supervisor'],
    ['user', 'add', 'anna', '--role', 'employee', '--supervisor', 'boss'],
    ['item', 'add', '--type', 'lead', '--title', 'Sofa', '--responsible', 'anna'],
  ])
    expect((await cli(argv)).exitCode).toBe(0);
  return effects;
}
