import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { drawTimeline } from '../../src/demo/timeline.js';
import { runCli, tempDir } from '../helpers.js';

describe('the demo timeline on a terminal', () => {
  it('reads by day and time, the detail wrapped under its event, control characters escaped', () => {
    const drawn = drawTimeline(
      [
        {
          at: '2026-11-23T09:15:00.000Z',
          itemId: 2,
          item: 'Oak table',
          by: 'bob',
          what: 'created',
          detail: 'in New',
        },
        {
          at: '2026-11-23T09:15:00.000Z',
          itemId: 2,
          item: 'Oak table',
          by: 'rule #1',
          what: 'send-sms done',
          detail: 'SMS #1 to +442079460958 queued with a rather long explanation after it',
        },
        {
          at: '2026-11-24T10:00:00.000Z',
          itemId: 2,
          item: 'Oak\u001b[2J table',
          by: 'trigger #1',
          what: 'moved',
          detail: 'x',
        },
      ],
      60,
    );
    for (const line of drawn.split('\n')) expect([...line].length).toBeLessThanOrEqual(60);
    expect(drawn.split('\n')).toEqual([
      'Monday 23 November 2026 (UTC)',
      '  09:15  Oak table         bob         created: in New',
      '  09:15  Oak table         rule #1     send-sms done: SMS #1',
      '                                       to +442079460958',
      '                                       queued with a',
      '                                       rather long',
      '                                       explanation after',
      '                                       it',
      '',
      'Tuesday 24 November 2026 (UTC)',
      '  10:00  Oak\\x1b[2J table  trigger #1  moved: x',
    ]);
  });

  it('is what crmctl demo prints on a terminal, every line within its width', async () => {
    const result = await runCli(['--db', `${tempDir()}/demo.db`, 'demo'], {
      tty: true,
      columns: 100,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const text = stripVTControlCharacters(result.stdout);
    expect(text).toContain(
      'Timeline\nMonday 23 November 2026 (UTC)\n  09:15  Oak dining table for six',
    );
    expect(text).toContain('Tuesday 24 November 2026 (UTC)');
    for (const line of text.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(100);
  });

  it('fits a 60-column terminal too: with too little room beside an event, its text goes under it', async () => {
    const result = await runCli(['--db', `${tempDir()}/demo.db`, 'demo'], {
      tty: true,
      columns: 60,
    });
    expect(result.exitCode, result.stderr).toBe(0);
    const text = stripVTControlCharacters(result.stdout);
    const timeline = text.slice(text.indexOf('Timeline\n'));
    expect(timeline).toMatch(
      /\n {2}09:15 {2}Oak dining table … {2}rule #1\n {4}send-sms done: SMS #1 to/,
    );
    for (const line of text.split('\n')) expect([...line].length, line).toBeLessThanOrEqual(60);
  });
});
