import { describe, expect, it } from 'vitest';
import { crmctlApplicationId, identifyStore, type StoreFacts } from '../../src/store/identity.js';
import { latestVersion, schemaAt } from '../../src/store/migrations.js';

// DESIGN §8 "Store": only a missing or empty file becomes a store; anything else must be a
// crmctl store this version knows, recognised by its application_id or, made before crmctl
// stamped one, by its tables.

function factsOf(version: number, more: Partial<StoreFacts> = {}): StoreFacts {
  const names = [...schemaAt(version)];
  return {
    applicationId: crmctlApplicationId,
    userVersion: version,
    tables: names.filter((n) => !/_by_|index/.test(n)),
    indexes: names.filter((n) => /_by_|index/.test(n)),
    ...more,
  };
}

describe('schemaAt', () => {
  it('grows with the migrations: each version has the objects of the one before but those it drops', () => {
    expect(schemaAt(0).size).toBe(0);
    expect([...schemaAt(1)]).toEqual(
      expect.arrayContaining(['settings', 'roles', 'users', 'stages', 'stages_by_pipeline']),
    );
    expect(schemaAt(2).has('items')).toBe(true);
    expect(schemaAt(3).has('operations')).toBe(true);
    expect(schemaAt(3).has('exceptions')).toBe(true);
    expect(schemaAt(3).has('-- One row per command')).toBe(false);
    expect(schemaAt(5).has('exceptions_by_comment')).toBe(true);
    expect(schemaAt(4).has('exceptions_by_comment')).toBe(false);
    const dropped: Record<number, string[]> = {
      13: ['communications_by_sender', 'communications_by_message'],
    };
    expect(schemaAt(12).has('communications_by_sender')).toBe(true);
    expect(schemaAt(13).has('communications_by_sender')).toBe(false);
    expect(schemaAt(13).has('communications_by_message_id')).toBe(true);
    for (let v = 1; v <= latestVersion; v++) {
      for (const name of schemaAt(v - 1)) {
        const kept = !dropped[v]?.includes(name);
        expect(schemaAt(v).has(name), `${name} at ${v}`).toBe(kept);
      }
    }
  });
});

describe('identifyStore', () => {
  it('an SQLite file with nothing in it is empty, whatever made it', () => {
    const empty = { applicationId: 0, userVersion: 0, tables: [], indexes: [] };
    expect(identifyStore(empty)).toEqual({ kind: 'empty' });
    expect(identifyStore({ ...empty, applicationId: crmctlApplicationId })).toEqual({
      kind: 'empty',
    });
  });

  it('a stamped store of every known version is crmctl’s', () => {
    for (let v = 1; v <= latestVersion; v++) {
      expect(identifyStore(factsOf(v))).toEqual({ kind: 'crmctl', version: v, stamped: true });
    }
  });

  it('a store made before the stamp (application_id 0) is recognised by its tables', () => {
    for (let v = 1; v <= latestVersion; v++) {
      expect(identifyStore(factsOf(v, { applicationId: 0 }))).toEqual({
        kind: 'crmctl',
        version: v,
        stamped: false,
      });
    }
  });

  it('tables a person added to a crmctl store do not make it foreign', () => {
    const facts = factsOf(latestVersion);
    expect(identifyStore({ ...facts, tables: [...facts.tables, 'my_notes'] })).toMatchObject({
      kind: 'crmctl',
    });
  });

  it.each([
    [
      'another program’s database',
      { applicationId: 0, userVersion: 0, tables: ['users'] },
      /another program \(tables: users\)/,
    ],
    [
      'one that uses user_version too',
      { applicationId: 0, userVersion: 3, tables: ['users', 'orders'] },
      /another program \(tables: users, orders\)/,
    ],
    [
      'one with its own application_id',
      { applicationId: 0x0f055112, userVersion: 0, tables: [] },
      /belongs to another program \(application_id 0x0F055112\)/,
    ],
  ])('refuses %s', (_what, facts, problem) => {
    const identity = identifyStore({ indexes: [], ...facts });
    expect(identity).toMatchObject({ kind: 'refused', problem: expect.stringMatching(problem) });
  });

  it('refuses a store of a newer crmctl', () => {
    expect(identifyStore(factsOf(latestVersion, { userVersion: 99 }))).toMatchObject({
      kind: 'refused',
      problem: expect.stringContaining(
        `newer crmctl (schema version 99; this one knows versions 1 to ${latestVersion})`,
      ),
    });
  });

  it.each([
    [2, true],
    [0, true],
    [-1, true],
    [99, false],
    [2, false],
    [0, false],
    [-7, false],
  ])(
    'refuses a user_version changed by hand to %i (stamped: %s), naming the version its tables have',
    (userVersion, stamped) => {
      const facts = factsOf(latestVersion, {
        userVersion,
        applicationId: stamped ? crmctlApplicationId : 0,
      });
      expect(identifyStore(facts)).toMatchObject({
        kind: 'refused',
        problem: expect.stringContaining(
          `changed by hand: its user_version is ${userVersion}, but its tables are those of version ${latestVersion}`,
        ),
      });
    },
  );

  it('refuses a crmctl store whose tables match no version', () => {
    const facts = factsOf(latestVersion);
    const damaged = { ...facts, tables: facts.tables.filter((t) => t !== 'items') };
    expect(identifyStore(damaged)).toMatchObject({
      kind: 'refused',
      problem: expect.stringContaining('tables match no crmctl schema version'),
    });
    expect(identifyStore({ ...damaged, applicationId: 0 })).toMatchObject({
      kind: 'refused',
      problem: expect.stringContaining('tables match no crmctl schema version'),
    });
  });
});
