import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallResult } from '../../src/telephony/calls.js';
import { at, callAt, storeWith } from './support.js';

// Issue 11 §6: the README's table of outcomes, every row run through the CLI on a store set up
// as the row says: blacklisted or not × working time or not × register-in-crm × exceptions
// listed or not × known or unknown caller.

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const table = /<!-- outcomes:start -->\n([\s\S]*?)<!-- outcomes:end -->/.exec(readme)?.[1] ?? '';
const rows = table
  .split('\n')
  .slice(2)
  .filter((line) => line.startsWith('|'))
  .map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );

const caller = '+442079460018';

function described(result: CallResult): string[] {
  const { telephony, call, crm, event } = result;
  const crmText =
    crm === null
      ? 'not saved'
      : crm.action === 'blocked'
        ? 'not saved (exceptions list)'
        : crm.action === 'attach'
          ? 'attached to the open deal'
          : crm.action === 'create-lead'
            ? 'new lead'
            : crm.action;
  return [
    telephony.verdict === 'accepted' ? 'accepted' : `declined: ${telephony.by}`,
    `${call.status} ${call.code}`,
    crmText,
    event && event.itemIds.length > 0 ? event.name : '—',
  ];
}

describe('the README table of call outcomes', () => {
  it('has all 32 rows', () => {
    expect(rows).toHaveLength(32);
    expect(new Set(rows.map((row) => row.slice(0, 5).join(' '))).size).toBe(32);
  });

  for (const row of rows) {
    const [blacklisted, working, register, exceptions, known, ...expected] = row as string[];
    it(row.slice(0, 5).join(' / '), async () => {
      const setup = [
        [
          'blacklist',
          'settings',
          '--auto-block',
          'on',
          '--calls',
          '1',
          '--register-in-crm',
          register ?? '',
        ],
      ];
      if (blacklisted === 'yes') setup.push(['blacklist', 'add', caller]);
      if (exceptions === 'listed') setup.push(['exceptions', 'add', caller]);
      if (known === 'known') {
        setup.push(['contact', 'add', '--name', 'Olivia', '--phone', caller]);
        setup.push(['item', 'add', '--type', 'deal', '--title', 'Sofa', '--contact', '1']);
      }
      const { cli } = await storeWith(setup);
      const result = await callAt(cli, at(working === 'yes' ? '10:00' : '21:00'), caller);
      expect(described(result)).toEqual(expected);
      if (expected[2] === 'attached to the open deal') expect(result.call.itemId).toBe(1);
      if (expected[2] === 'new lead') expect(result.call.itemId).toBe(known === 'known' ? 2 : 1);
      if (expected[2]?.startsWith('not saved')) expect(result.call.itemId).toBeNull();
    });
  }
});
