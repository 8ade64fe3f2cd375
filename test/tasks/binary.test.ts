import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli, tempDir } from '../helpers.js';

// The built program as a cron job or a script runs it: tasks made and completed, a document
// exported, a notification list, each its own process against one store file.
describe('the built crmctl', () => {
  it('task add | complete, notification list and document export, piped', async () => {
    const dir = tempDir();
    const env = { CRMCTL_DB: join(dir, 'crm.db'), CRMCTL_NOW: '2026-12-01T10:00:00Z' };
    const crm = (...args: string[]) => spawnCli(args, { env });
    expect((await crm('init')).exitCode).toBe(0);
    expect((await crm('item', 'add', '--title', 'Sofa')).exitCode).toBe(0);
    const added = await crm('task', 'add', '--item', '1', '--title', 'Call', '--deadline', '2h');
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.stdout).toContain('deadline\t2026-12-01T12:00:00.000Z\n');
    const done = await crm('task', 'complete', '1', '-o', 'csv', '--fields', 'id,status');
    expect(done.stdout).toBe('id,status\r\n1,done\r\n');
    expect((await crm('task', 'complete', '1')).exitCode).toBe(5);
    expect((await crm('task', 'show', '2')).exitCode).toBe(4);
    expect((await crm('notification', 'list', '--json')).stdout).toBe('[]\n');
    expect((await crm('outbox', 'list')).stdout).toBe('');
    const missing = await crm('document', 'export', '1', join(dir, 'doc.txt'));
    expect(missing.exitCode).toBe(4);
    const nostore = await spawnCli(['task', 'list'], { env: { CRMCTL_DB: join(dir, 'none.db') } });
    expect(nostore.exitCode).toBe(4);
  });
});
