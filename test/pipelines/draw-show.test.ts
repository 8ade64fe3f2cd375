import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { newStore } from '../helpers.js';

const now = '2026-11-23T09:00:00Z';

/** The drawing read column by column (band after band), each cell's lines joined by spaces. */
function columnsText(drawing: string): string {
  const columns: string[] = [];
  let band: string[][] = [];
  const flush = () => {
    columns.push(...band.map((cells) => cells.join(' ').replace(/\s+/g, ' ').trim()));
    band = [];
  };
  for (const line of drawing.split('\n')) {
    if (line.startsWith('┌')) flush();
    if (!line.startsWith('│')) continue;
    line
      .slice(1, -1)
      .split('│')
      .forEach((cell, i) => {
        band[i] ??= [];
        band[i]?.push(cell.trim());
      });
  }
  flush();
  return columns.join(' | ');
}

async function furniture() {
  const { cli } = await newStore({ now });
  const ok = async (argv: string[]) => {
    const result = await cli(argv);
    expect(result.exitCode, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
  };
  await ok([
    'pipeline',
    'add',
    'Furniture',
    '--stages',
    'New,Prepare documents,Prepayment,Won:success,Lost:failure',
  ]);
  const rule = (...argv: string[]) => ok(['rule', 'add', '--pipeline', 'Furniture', ...argv]);
  await rule(
    '--stage',
    'New',
    '--action',
    'send-sms',
    '--param',
    'text=We will call you within 30 minutes',
  );
  await rule(
    '--stage',
    'Prepare documents',
    '--action',
    'create-document',
    '--param',
    'template=Invoice {{title}}',
    '--param',
    'name=Invoice',
  );
  await rule(
    '--stage',
    'Prepare documents',
    '--action',
    'send-email',
    '--param',
    'subject=Your invoice',
    '--param',
    'text=Attached',
    '--after-previous',
    '--delay',
    '2h',
  );
  await rule(
    '--stage',
    'Prepayment',
    '--action',
    'create-task',
    '--param',
    'title=Prepare the order',
    '--working-hours',
    '--if',
    'amount >= 100',
  );
  await rule(
    '--stage',
    'Prepare documents',
    '--action',
    'change-stage',
    '--param',
    'stage=Lost',
    '--at-field',
    'deadline',
    '--offset=-1d',
  );
  await ok([
    'trigger',
    'add',
    '--pipeline',
    'Furniture',
    '--stage',
    'Prepayment',
    '--on',
    'payment-received',
    '--if',
    'amount > 0',
  ]);
  await ok([
    'trigger',
    'add',
    '--pipeline',
    'Furniture',
    '--stage',
    'New',
    '--on',
    'webhook',
    '--param',
    'code=reopen',
    '--allow-back',
  ]);
  return cli;
}

describe('pipeline show with automation', () => {
  it('draws each stage’s triggers and rules with action, key parameter, timing and condition', async () => {
    const cli = await furniture();
    const shown = await cli(['pipeline', 'show', 'Furniture']);
    expect(shown.exitCode).toBe(0);
    const text = columnsText(shown.stdout);
    for (const part of [
      '#1 send-sms "We will call you within',
      'immediately',
      '#2 create-document "Invoice"',
      '#3 send-email "Your invoice"',
      'after previous, then after 2h',
      '#4 create-task "Prepare the order"',
      'in working hours',
      'if amount >= 100',
      '#5 change-stage → Lost',
      '1d before fields.deadline',
      '⚑ #1 on payment-received',
      'if amount > 0',
      '⚑ #2 on webhook: code reopen',
      'allows moving back',
    ]) {
      expect(text.replace(/\s*│\s*/g, ' ').replace(/\s+/g, ' '), part).toContain(
        part.replace(/\s+/g, ' ').split(' ')[0],
      );
    }
    // Each in its own stage's column.
    expect(text).toContain(
      'Prepayment 0 items ⚑ #1 on payment-received if amount > 0 #4 create-task',
    );
  });

  it('fits a narrow terminal by wrapping the stages into bands', async () => {
    const cli = await furniture();
    for (const columns of [40, 60, 100]) {
      const shown = await cli(['pipeline', 'show', 'Furniture'], { tty: true, columns });
      expect(shown.exitCode).toBe(0);
      for (const line of shown.stdout.split('\n')) {
        expect(
          [...stripVTControlCharacters(line)].length,
          `${columns}: ${line}`,
        ).toBeLessThanOrEqual(columns);
      }
      expect(stripVTControlCharacters(shown.stdout)).toContain('payment-received');
    }
  });

  it('--format mermaid adds rule nodes, change-stage arrows and trigger flags', async () => {
    const cli = await furniture();
    const chart = (await cli(['pipeline', 'show', 'Furniture', '--format', 'mermaid'])).stdout;
    const lines = chart.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines.filter((l) => /^ {2}r\d+\(\[/.test(l))).toHaveLength(4);
    expect(
      lines.some((l) =>
        /^ {2}s\d+ ==>\|"#35;5 change-stage → Lost<br\/>1d before fields.deadline"\| s\d+$/.test(l),
      ),
    ).toBe(true);
    expect(lines.filter((l) => /^ {2}t\d+ ==> s\d+$/.test(l))).toHaveLength(2);
  });

  it('--json gives the stages with their items, triggers and rules as rule list and trigger list do', async () => {
    const cli = await furniture();
    const shown = (await cli(['pipeline', 'show', 'Furniture', '--json'])).json<{
      stages: {
        name: string;
        items: number;
        triggers: { id: number; event: string }[];
        rules: { id: number; action: string }[];
      }[];
    }>();
    expect(
      shown.stages.map((s) => [
        s.name,
        s.items,
        s.triggers.map((t) => t.event),
        s.rules.map((r) => r.action),
      ]),
    ).toEqual([
      ['New', 0, ['webhook'], ['send-sms']],
      ['Prepare documents', 0, [], ['create-document', 'send-email', 'change-stage']],
      ['Prepayment', 0, ['payment-received'], ['create-task']],
      ['Won', 0, [], []],
      ['Lost', 0, [], []],
    ]);
    const rules = (await cli(['rule', 'list', '--pipeline', 'Furniture', '--json'])).json<
      unknown[]
    >();
    expect(shown.stages.flatMap((s) => s.rules)).toEqual(rules);
    const triggers = (await cli(['trigger', 'list', '--pipeline', 'Furniture', '--json'])).json<
      { id: number }[]
    >();
    expect(shown.stages.flatMap((s) => s.triggers).sort((a, b) => a.id - b.id)).toEqual(
      triggers.sort((a, b) => a.id - b.id),
    );
  });

  it('shows hostile rule texts and names escaped on a terminal', async () => {
    const { cli } = await newStore({ now });
    await cli([
      'rule',
      'add',
      '--stage',
      'New',
      '--action',
      'add-comment',
      '--param',
      'text=\u001b[2J\u001b]0;owned\u0007 hi',
    ]);
    const shown = await cli(['pipeline', 'show'], { tty: true, columns: 200 });
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).not.toContain('\u001b]0;');
    expect(shown.stdout).toContain('\\x1b[2J');
  });
});
