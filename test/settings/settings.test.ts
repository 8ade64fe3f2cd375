import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

const admin = userInfo().username;
const now = '2026-03-01T09:00:00.000Z';

interface SettingJson {
  key: string;
  value: string | null;
  isDefault: boolean;
  description: string;
}

describe('settings', () => {
  it('lists every setting with its default', async () => {
    const { cli } = await newStore({ now });
    const list = await cli(['settings', 'list', '--json']);
    expect(list.json()).toEqual([
      {
        key: 'default-country',
        value: null,
        isDefault: true,
        description: 'ISO country used to read phone numbers written in national format (e.g. GB)',
      },
      {
        key: 'currency',
        value: 'USD',
        isDefault: true,
        description: 'currency of item amounts when none is given (ISO 4217, e.g. EUR)',
      },
      {
        key: 'leads-from-calls',
        value: 'on',
        isDefault: true,
        description: 'inbound calls from unknown numbers start a lead (on or off)',
      },
    ]);
    const text = await cli(['settings', 'list', '--fields', 'key,value']);
    expect(text.stdout).toBe('default-country\t\ncurrency\tUSD\nleads-from-calls\ton\n');
  });

  it('get prints the bare value, or the record in a format', async () => {
    const { cli } = await newStore({ now });
    expect(await cli(['settings', 'get', 'currency'])).toMatchObject({
      exitCode: 0,
      stdout: 'USD\n',
    });
    expect((await cli(['settings', 'get', 'default-country'])).stdout).toBe('\n');
    const json = await cli(['settings', 'get', 'currency', '--json']);
    expect(json.json<SettingJson>()).toMatchObject({
      key: 'currency',
      value: 'USD',
      isDefault: true,
    });
    const csv = await cli(['settings', 'get', 'currency', '-o', 'csv', '--fields', 'key,value']);
    expect(csv.stdout).toBe('key,value\r\ncurrency,USD\r\n');
  });

  it('set normalises and stores a value, printing it, and records the change', async () => {
    const { cli } = await newStore({ now });
    const set = await cli(['settings', 'set', 'default-country', ' gb '], {
      now: '2026-03-02T00:00:00Z',
    });
    expect(set).toMatchObject({
      exitCode: 0,
      stdout: 'GB\n',
      stderr: 'default-country is now GB\n',
    });
    expect((await cli(['settings', 'get', 'default-country', '--json'])).json()).toMatchObject({
      value: 'GB',
      isDefault: false,
    });
    const history = (await cli(['history', '--json'])).json<Record<string, unknown>[]>();
    expect(history.at(-1)).toMatchObject({
      at: '2026-03-02T00:00:00.000Z',
      actor: admin,
      command: 'settings set',
      action: 'setting-changed',
      changes: { 'default-country': { from: null, to: 'GB' } },
    });
    // The setting is used: a national number now reads as British.
    const contact = await cli([
      'contact',
      'add',
      '--name',
      'A',
      '--phone',
      '020 7946 0958',
      '--json',
    ]);
    expect(contact.json<{ phones: string[] }>().phones).toEqual(['+442079460958']);
  });

  it('an empty value restores the default', async () => {
    const { cli } = await newStore({ now });
    await cli(['settings', 'set', 'currency', 'eur']);
    expect((await cli(['settings', 'get', 'currency'])).stdout).toBe('EUR\n');
    const reset = await cli(['settings', 'set', 'currency', '']);
    expect(reset).toMatchObject({ exitCode: 0, stderr: 'currency is now USD\n' });
    expect((await cli(['settings', 'get', 'currency', '--json'])).json()).toMatchObject({
      value: 'USD',
      isDefault: true,
    });
    await cli(['settings', 'set', 'default-country', 'DE']);
    const cleared = await cli(['settings', 'set', 'default-country', '  ', '--json']);
    expect(cleared.json()).toMatchObject({ value: null, isDefault: true });
  });

  it('refuses bad values (2) and unknown keys (4), changing nothing', async () => {
    const { cli } = await newStore({ now });
    await cli(['settings', 'set', 'default-country', 'GB']);
    const before = (await cli(['settings', 'list', '--json'])).stdout;
    const country = await cli(['settings', 'set', 'default-country', 'XX']);
    expect(country).toMatchObject({
      exitCode: 2,
      stdout: '',
      stderr: 'error: "XX" is not a known ISO country code such as GB, DE or US\n',
    });
    for (const bad of ['GBR', 'G', '44', 'United Kingdom']) {
      expect((await cli(['settings', 'set', 'default-country', bad])).exitCode, bad).toBe(2);
    }
    for (const bad of ['EURO', '€', 'E1R']) {
      expect((await cli(['settings', 'set', 'currency', bad])).exitCode, bad).toBe(2);
    }
    const unknown = await cli(['settings', 'set', 'colour', 'blue']);
    expect(unknown).toMatchObject({
      exitCode: 4,
      stderr: 'error: no setting "colour"; settings: default-country, currency, leads-from-calls\n',
    });
    expect((await cli(['settings', 'get', 'colour'])).exitCode).toBe(4);
    expect((await cli(['settings', 'set', 'currency'])).exitCode).toBe(2);
    expect((await cli(['settings', 'list', '--json'])).stdout).toBe(before);
  });
});
