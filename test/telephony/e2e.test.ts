import { describe, expect, it } from 'vitest';
import { osLogin } from '../e2e/support.js';
import { spawnCli, tempStorePath } from '../helpers.js';

// The built binary, as a cron job or a script runs it: exit codes and output byte for byte.
describe('telephony through bin/crmctl.js', () => {
  it('add, check (0 / 1), a declined call, the call log as plain rows', async () => {
    const env = { CRMCTL_DB: tempStorePath(), CRMCTL_NOW: '2026-06-01T21:00:00Z' };
    expect((await spawnCli(['init', '--quiet'], { env })).exitCode).toBe(0);
    const added = await spawnCli(['blacklist', 'add', '+44 20 7946 0018;robocaller'], { env });
    expect(added).toMatchObject({
      exitCode: 0,
      stdout: '+442079460018\n',
      stderr: 'Added 1, 0 already listed, 0 rejected\n',
    });
    expect(
      (await spawnCli(['-q', 'blacklist', 'check', '00442079460018', '--country', 'GB'], { env }))
        .exitCode,
    ).toBe(0);
    const unlisted = await spawnCli(['blacklist', 'check', '+44 20 7946 0019'], { env });
    expect(unlisted).toMatchObject({ exitCode: 1, stdout: '+442079460019 is not listed\n' });
    const call = await spawnCli(
      ['call', 'incoming', '--from', '+44 20 7946 0018', '--to', 'main'],
      { env },
    );
    expect(call).toEqual({
      exitCode: 0,
      stdout: '',
      stderr:
        `Declined (423, by the blacklist): Hungup call by blacklist (423): +442079460018 is on the blacklist (manual, added 2026-06-01T21:00:00.000Z by ${osLogin})\n` +
        'CRM: not saved (declined calls are not registered: blacklist settings --register-in-crm)\n',
      json: expect.any(Function),
    });
    const log = await spawnCli(['call', 'log', '--fields', 'at,from,line,status,code'], { env });
    expect(log).toMatchObject({
      exitCode: 0,
      stdout: '2026-06-01T21:00:00.000Z\t+442079460018\tmain\tdeclined\t423\n',
    });
  });

  it('read-only verbs on a missing store exit 4 and create nothing', async () => {
    const env = { CRMCTL_DB: tempStorePath() };
    for (const argv of [
      ['blacklist', 'list'],
      ['blacklist', 'check', '+442079460018'],
      ['blacklist', 'settings'],
      ['blacklist', 'allowed'],
      ['blacklist', 'explain', '+442079460018'],
      ['call', 'log'],
    ]) {
      expect((await spawnCli(argv, { env })).exitCode, argv.join(' ')).toBe(4);
    }
  });
});
