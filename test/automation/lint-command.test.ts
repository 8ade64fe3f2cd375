import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

const now = '2026-11-23T09:00:00Z';

async function store() {
  const { cli } = await newStore({ now });
  const ok = async (argv: string[]) => {
    const result = await cli(argv);
    expect(result.exitCode, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
    return result;
  };
  await ok(['pipeline', 'add', 'Loop', '--stages', 'New,Check,Won:success,Lost:failure']);
  const rule = (stage: string, action: string, ...more: string[]) =>
    ok(['rule', 'add', '--pipeline', 'Loop', '--stage', stage, '--action', action, ...more]);
  const trigger = (stage: string, on: string, ...more: string[]) =>
    ok(['trigger', 'add', '--pipeline', 'Loop', '--stage', stage, '--on', on, ...more]);
  return { cli, ok, rule, trigger };
}

describe('crmctl rule lint', () => {
  it('exits 0 and says so when nothing is wrong', async () => {
    const { cli, rule } = await store();
    await rule('New', 'add-comment', '--param', 'text=Hi {{title}}');
    const clean = await cli(['rule', 'lint']);
    expect(clean).toMatchObject({ exitCode: 0, stdout: '' });
    expect(clean.stderr).toMatch(/^No warnings, \d+ pipelines checked\n$/);
    expect((await cli(['rule', 'lint', '--json'])).json()).toEqual([]);
  });

  it('reports a ping-pong loop and a manual-only stage, exit 3, with codes and ids under -o json', async () => {
    const { cli, rule } = await store();
    await rule('New', 'change-stage', '--param', 'stage=Check');
    await rule('Check', 'change-stage', '--param', 'stage=New');
    await rule('Won', 'add-comment', '--param', 'text=won');
    const found = await cli(['rule', 'lint', '--pipeline', 'Loop', '-o', 'json']);
    expect(found.exitCode).toBe(3);
    const findings =
      found.json<
        {
          code: string;
          ruleId: number;
          triggerId: number | null;
          stage: { name: string };
          message: string;
        }[]
      >();
    expect(findings.map((f) => [f.code, f.stage.name, f.ruleId, f.triggerId])).toEqual([
      ['stage-loop', 'New', 1, null],
      ['unreached-stage', 'Won', 3, null],
    ]);
    expect(findings[0]?.message).toMatch(/^"New" → "Check" → "New": rule #1/);
    // Piped as text: one tab-separated line per finding.
    const text = await cli(['rule', 'lint', '--pipeline', 'Loop']);
    expect(text.exitCode).toBe(3);
    expect(
      text.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t').slice(0, 5)),
    ).toEqual([
      ['Loop', 'New', '1', '', 'stage-loop'],
      ['Loop', 'Won', '3', '', 'unreached-stage'],
    ]);
    expect(text.stderr).toBe('2 warnings, 1 pipeline checked\n');
    // --ignore leaves a check out; all of them left out is clean.
    const ignored = await cli([
      'rule',
      'lint',
      '--pipeline',
      'Loop',
      '--ignore',
      'unreached-stage',
      '--json',
    ]);
    expect(ignored.json<unknown[]>()).toHaveLength(1);
    expect(
      (await cli(['rule', 'lint', '--ignore', 'stage-loop', '--ignore', 'unreached-stage']))
        .exitCode,
    ).toBe(0);
  });

  it('reports a trigger on field-changed whose own stage sets the field it watches', async () => {
    const { cli, rule, trigger } = await store();
    await trigger('Check', 'field-changed', '--param', 'fields=priority', '--allow-back');
    await rule('Check', 'set-field', '--param', 'field=priority', '--param', 'value=high');
    const found = await cli(['rule', 'lint', '--pipeline', 'Loop', '--json']);
    expect(found.exitCode).toBe(3);
    expect(found.json<{ code: string; ruleId: number; triggerId: number }[]>()).toMatchObject([
      { code: 'trigger-own-rule', ruleId: 1, triggerId: 1 },
    ]);
  });

  it('reports a rule timed on a custom date field and a template field no item has', async () => {
    const { cli, ok, rule } = await store();
    await ok(['item', 'add', '--pipeline', 'Loop', '--title', 'a', '--field', 'colour=oak']);
    await rule(
      'New',
      'add-comment',
      '--param',
      'text={{fields.colour}} {{fields.size}}',
      '--at-field',
      'deadline',
      '--offset=-1d',
    );
    const found = await cli(['rule', 'lint', '--pipeline', 'Loop', '--json']);
    expect(found.json<{ code: string; message: string }[]>().map((f) => f.code)).toEqual([
      'empty-date-field',
      'unknown-template-field',
    ]);
    expect(found.json<{ message: string }[]>()[1]?.message).toContain('{{fields.size}}');
  });

  it('refuses bad flags as usage errors naming them; an unknown pipeline is not found', async () => {
    const { cli } = await store();
    const bad = await cli(['rule', 'lint', '--ignore', 'nonsense']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(
      '--ignore: no check "nonsense"; the checks are stage-loop, trigger-own-rule',
    );
    for (const value of ['', ' ', '\u0000', '%'.repeat(100_000), '__proto__']) {
      const result = await cli(['rule', 'lint', '--ignore', value]);
      expect(result.exitCode, JSON.stringify(value.slice(0, 10))).toBe(2);
    }
    expect((await cli(['rule', 'lint', '--pipeline', 'Nope'])).exitCode).toBe(4);
    expect((await cli(['rule', 'lint', '--pipeline', 'x'.repeat(100_000)])).exitCode).toBe(4);
    expect((await cli(['rule', 'lint', '--type', 'nope'])).exitCode).not.toBe(70);
  });

  it('only reads: a missing store is not found (exit 4), not created', async () => {
    const { cli } = await newStore({ now });
    const missing = await cli(['--db', '/tmp/crmctl-no-such-dir/none.db', 'rule', 'lint']);
    expect(missing.exitCode).toBe(4);
  });
});
