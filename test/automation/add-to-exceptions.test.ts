import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

const now = '2026-11-23T09:00:00Z';

async function spamStage() {
  const { cli } = await newStore({ now });
  const ok = async (argv: string[]) => {
    const result = await cli(argv);
    expect(result.exitCode, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout.trim();
  };
  await ok(['settings', 'set', 'default-country', 'GB']);
  await ok(['rule', 'add', '--stage', 'Lost', '--action', 'add-to-exceptions']);
  return { cli, ok };
}

describe('the add-to-exceptions action', () => {
  it('lists a deal’s contact phone and email with source rule and its comment, and bins the deal and contact', async () => {
    const { cli, ok } = await spamStage();
    const contact = await ok([
      'contact',
      'add',
      '--name',
      'Spammer',
      '--phone',
      '020 7946 0999',
      '--email',
      'spam@example.com',
    ]);
    const deal = await ok(['item', 'add', '--title', 'Free sofa', '--contact', contact]);
    await ok(['item', 'move', deal, '--stage', 'Lost']);
    const entries = (await cli(['exceptions', 'list', '--json'])).json<
      { value: string; source: string; comment: string }[]
    >();
    expect(entries.map((e) => [e.value, e.source, e.comment])).toEqual([
      ['+442079460999', 'rule', 'Added by automation rule'],
      ['spam@example.com', 'rule', 'Added by automation rule'],
    ]);
    expect((await cli(['item', 'show', deal])).exitCode).toBe(4);
    const bin = (await cli(['recycle-bin', 'list', '--json'])).json<
      { entityType: string; title: string }[]
    >();
    expect(bin.map((e) => [e.entityType, e.title]).sort()).toEqual([
      ['contact', 'Spammer'],
      ['deal', 'Free sofa'],
    ]);
    // The deal's automation log went to the bin with it: its entry holds the rule's run.
    expect((await cli(['automation', 'log', '--json'])).json()).toEqual([]);
    const entry = (await cli(['recycle-bin', 'list', '--type', 'deal', '--json'])).json<
      { id: number }[]
    >()[0];
    const shown = (await cli(['recycle-bin', 'show', String(entry?.id), '--json'])).json<{
      deleted: { automation: { log: { what: string; status: string; detail: string }[] } };
    }>();
    const log = shown.deleted.automation.log;
    expect(log).toMatchObject([{ what: 'add-to-exceptions', status: 'done' }]);
    expect(log[0]?.detail).toContain('deleted to the recycle bin: item #');
  });

  it('fails, naming why, when there is nothing to list; the deal stays', async () => {
    const { cli, ok } = await spamStage();
    const deal = await ok(['item', 'add', '--title', 'No contact']);
    await ok(['item', 'move', deal, '--stage', 'Lost']);
    const log = (await cli(['automation', 'log', '--json'])).json<
      { status: string; detail: string }[]
    >();
    expect(log).toMatchObject([{ status: 'failed' }]);
    expect(log[0]?.detail).toContain('nothing to add to the exceptions list');
    expect((await cli(['item', 'show', deal])).exitCode).toBe(0);
    expect((await cli(['exceptions', 'list', '--json'])).json()).toEqual([]);
  });

  it('leaves quotes alone: leads and deals only', async () => {
    const { cli, ok } = await spamStage();
    await ok([
      'rule',
      'add',
      '--type',
      'quote',
      '--stage',
      'Declined',
      '--action',
      'add-to-exceptions',
    ]);
    const contact = await ok(['contact', 'add', '--name', 'C', '--phone', '020 7946 0111']);
    const quote = await ok([
      'item',
      'add',
      '--type',
      'quote',
      '--title',
      'Q',
      '--contact',
      contact,
    ]);
    await ok(['item', 'move', quote, '--stage', 'Declined']);
    const log = (await cli(['automation', 'log', '--json'])).json<
      { status: string; detail: string }[]
    >();
    expect(log).toMatchObject([
      { status: 'skipped', detail: 'only leads and deals go to the exceptions list, not a quote' },
    ]);
    expect((await cli(['item', 'show', quote])).exitCode).toBe(0);
  });
});
