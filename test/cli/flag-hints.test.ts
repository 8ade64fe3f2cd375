import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { ContactValueError, parseContactDetails } from '../../src/contacts/service.js';
import { CrmError } from '../../src/errors.js';
import {
  addItem,
  ClientDetailsError,
  FieldError,
  MoveIntoRemovedError,
  removePipelineMovingItems,
  removeStageMovingItems,
} from '../../src/items/service.js';
import {
  AmbiguousPipelineError,
  addPipeline,
  getPipeline,
  HoldsItemsError,
  NoOpenStageError,
  removePipeline,
  removeStage,
} from '../../src/pipelines/service.js';
import { Session } from '../../src/session.js';
import { openStore, type Store } from '../../src/store/store.js';
import { osLogin } from '../e2e/support.js';
import { newStore } from '../helpers.js';

// Services speak of the domain (the automation log shows their errors); the command that called
// them names the flag to change, with the same code and exit code.

const now = '2026-11-23T09:00:00Z';
const stores: Store[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

async function setUp() {
  const { db, cli } = await newStore({ now });
  const store = openStore(db, { busyTimeoutMs: 1000 });
  stores.push(store);
  const session = new Session({
    store,
    clock: fixedClock(new Date(now)),
    actor: { login: osLogin, cause: { kind: 'user', id: null }, command: 'test' },
  });
  /** The error `work` throws inside a write (rolled back). */
  const thrown = (work: () => unknown): CrmError => {
    try {
      session.write(work);
    } catch (error) {
      if (error instanceof CrmError) return error;
      throw error;
    }
    throw new Error('nothing was thrown');
  };
  return { cli, session, thrown };
}

/** In the domain's words: no flag, no command line. */
function expectDomainWords(error: CrmError) {
  expect(error.message).not.toMatch(/--|crmctl /);
}

describe('a domain error, worded by the command for its flags', () => {
  it('a phone or email that cannot be stored: --phone, --email', async () => {
    const { cli, session, thrown } = await setUp();
    const error = thrown(() => parseContactDetails(session, { emails: ['@'] }));
    expect(error).toBeInstanceOf(ContactValueError);
    expect(error).toMatchObject({ kind: 'email', raw: '@', reason: 'not-an-email' });
    expectDomainWords(error);
    for (const argv of [
      ['contact', 'add', '--name', 'Anna', '--email', '@'],
      ['company', 'list', '--email', '@'],
      ['item', 'add', '--type', 'lead', '--title', 'x', '--email', '@'],
      ['item', 'list', '--email', '@'],
    ]) {
      const result = await cli(argv);
      expect(result.exitCode, argv.join(' ')).toBe(2);
      expect(result.stderr, argv.join(' ')).toBe(`error: --${error.message}\n`);
    }
    const phone = await cli(['contact', 'update', '1', '--phone', 'abc']);
    expect(phone.stderr).toMatch(/^error: --phone "abc": .* \(not-a-number\)\n$/);
  });

  it('custom fields: --field', async () => {
    const { cli, session, thrown } = await setUp();
    const badName = thrown(() => addItem(session, { title: 'x', fields: { '1bad': 'x' } }));
    expect(badName).toBeInstanceOf(FieldError);
    expectDomainWords(badName);
    expect((await cli(['item', 'add', '--title', 'x', '--field', '1bad=x'])).stderr).toBe(
      `error: --field "1bad": a field name is a letter or '_' then letters, digits, '_', '.', '-'\n`,
    );
    const noValue = thrown(() => addItem(session, { title: 'x', fields: { empty: '' } }));
    expect(noValue).toMatchObject({ key: 'empty', problem: 'no-value' });
    expectDomainWords(noValue);
  });

  it('phones of a deal: its contact, --contact', async () => {
    const { session, thrown } = await setUp();
    const error = thrown(() => addItem(session, { type: 'deal', title: 'x', phones: ['+1'] }));
    expect(error).toBeInstanceOf(ClientDetailsError);
    expectDomainWords(error);
  });

  it('a pipeline name several types share: --type, or the id where there is no --type', async () => {
    const { cli, session, thrown } = await setUp();
    const error = thrown(() => getPipeline(session, 'Default'));
    expect(error).toBeInstanceOf(AmbiguousPipelineError);
    expectDomainWords(error);
    const list = await cli(['stage', 'list', '--pipeline', 'Default']);
    expect(list.exitCode).toBe(2);
    expect(list.stderr).toBe(
      'error: several pipelines are called "Default" (lead #1, deal #2, quote #3, invoice #4): add --type or give the id\n',
    );
    const move = await cli([
      'item',
      'move',
      '--from-stage',
      'New',
      '--from-pipeline',
      'Default',
      '--stage',
      'Won',
    ]);
    expect(move.stderr).toBe(
      'error: several pipelines are called "Default" (lead #1, deal #2, quote #3, invoice #4): give the id\n',
    );
    // The same code and exit code as the service's error.
    const json = await cli(['stage', 'list', '--pipeline', 'Default', '--json']);
    expect(JSON.parse(json.stderr)).toEqual({
      error: { code: 'usage', exitCode: 2, message: list.stderr.slice(7, -1) },
    });
  });

  it('a pipeline or stage that holds items, or items moved into what is removed: --move-items-to', async () => {
    const { session, thrown } = await setUp();
    session.write(() => addPipeline(session, { type: 'deal', name: 'Shop' }));
    session.write(() => addItem(session, { pipeline: 'Shop', title: 'Sofa' }));
    const errors = [
      thrown(() => removePipeline(session, 'Shop')),
      thrown(() => removeStage(session, { pipeline: 'Shop', stage: 'New' })),
      thrown(() => removePipelineMovingItems(session, 'Shop', { moveItemsTo: 'Shop' })),
      thrown(() =>
        removeStageMovingItems(session, { pipeline: 'Shop', stage: 'New', moveItemsTo: 'new' }),
      ),
    ];
    expect(errors.map((e) => e.constructor)).toEqual([
      HoldsItemsError,
      HoldsItemsError,
      MoveIntoRemovedError,
      MoveIntoRemovedError,
    ]);
    expect(errors.map((e) => e.exitCode)).toEqual([5, 5, 2, 2]);
    for (const error of errors) expectDomainWords(error);
  });

  it('a new pipeline with only final stages: --stages', async () => {
    const { cli, session, thrown } = await setUp();
    const error = thrown(() =>
      addPipeline(session, { type: 'deal', name: 'E', stages: ['Won:success', 'Lost:failure'] }),
    );
    expect(error).toBeInstanceOf(NoOpenStageError);
    expectDomainWords(error);
    const result = await cli(['pipeline', 'add', 'E', '--stages', 'Won:success,Lost:failure']);
    expect(result.stderr).toBe('error: --stages needs at least one stage that is not final\n');
  });
});
