import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

describe('pipeline add --stages', () => {
  it('keeps the order given and fills in the missing success stage before the failures', async () => {
    const { cli } = await newStore();
    const added = await cli([
      'pipeline',
      'add',
      'Wholesale',
      '--stages',
      'New,Quote,Spam:failure',
      '--json',
    ]);
    expect(added.exitCode, added.stderr).toBe(0);
    const names = added
      .json<{ stages: { name: string; semantic: string }[] }>()
      .stages.map((s) => `${s.name}:${s.semantic}`);
    expect(names).toEqual(['New:process', 'Quote:process', 'Won:success', 'Spam:failure']);
  });

  it('refuses a stage in progress after a final one instead of reordering it', async () => {
    const { cli } = await newStore();
    const refused = await cli(['pipeline', 'add', 'Odd', '--stages', 'A,Won:success,B']);
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr).toContain('final stages come last');
    expect(
      (await cli(['pipeline', 'list', '--type', 'deal', '--json'])).json<unknown[]>(),
    ).toHaveLength(1);
  });

  it('refuses a list with no stage in progress', async () => {
    const { cli } = await newStore();
    const refused = await cli(['pipeline', 'add', 'Empty', '--stages', 'Won:success,Lost:failure']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('at least one stage that is not final');
    const empty = await cli(['pipeline', 'add', 'Empty', '--stages', '']);
    expect(empty.exitCode).toBe(2);
    expect(empty.stderr).toContain('--stages needs a value');
  });
});

describe('stored control characters', () => {
  it('are shown as escapes in tables and records, and kept exactly in JSON', async () => {
    const { cli } = await newStore();
    const escapeSequence = '\u001b[31mred\u001b[0m';
    await cli(['item', 'add', '--title', 'Plain', '--field', `note=${escapeSequence}`]);
    const record = await cli(['item', 'show', '1', '--fields', 'fields'], {
      tty: true,
      env: { NO_COLOR: '1' },
    });
    expect(record.stdout).toContain('note=\\x1b[31mred\\x1b[0m');
    expect(record.stdout).not.toContain('\u001b[31m');
    const json = await cli(['item', 'show', '1', '--json']);
    expect(json.json<{ fields: { note: string } }>().fields.note).toBe(escapeSequence);
  });
});

describe('unlinking and no-op changes', () => {
  it('contact update --company none unlinks every company', async () => {
    const { cli } = await newStore();
    await cli(['company', 'add', '--name', 'Oak']);
    await cli(['contact', 'add', '--name', 'Anna', '--company', '1']);
    const updated = await cli(['contact', 'update', '1', '--company', 'none', '--json']);
    expect(updated.json<{ companyIds: number[] }>().companyIds).toEqual([]);
    expect(
      (await cli(['company', 'show', '1', '--json'])).json<{ contactIds: number[] }>().contactIds,
    ).toEqual([]);
  });

  it('setting a setting to its current value records no change', async () => {
    const { cli } = await newStore();
    await cli(['settings', 'set', 'default-country', 'GB']);
    await cli(['settings', 'set', 'default-country', 'gb']);
    const changes = (await cli(['history', '--json']))
      .json<{ action: string }[]>()
      .filter((e) => e.action === 'setting-changed');
    expect(changes).toHaveLength(1);
  });

  it('records the responsible login as stored, whatever its spelling on the command line', async () => {
    const { cli } = await newStore();
    await cli(['user', 'add', 'anna']);
    await cli(['item', 'add', '--title', 'T']);
    await cli(['item', 'update', '1', '--responsible', 'ANNA']);
    const [entry] = (await cli(['history', '--item', '1', '--json']))
      .json<{ action: string; changes: { responsible?: { to: string } } }[]>()
      .filter((e) => e.action === 'updated');
    expect(entry?.changes.responsible?.to).toBe('anna');
  });
});
