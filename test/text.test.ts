import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { checkDisplayText } from '../src/text.js';
import { newStore } from './helpers.js';

// Issue 7 §2.5: names, titles and logins are shown on terminals. Besides control characters,
// those with no visible character (only zero-width ones) or with bidi overrides and isolates
// (U+202A–U+202E, U+2066–U+2069), which reorder what a terminal shows, are refused.

const limits = { min: 1, max: 20 } as const;
const refused = (text: string) => () => checkDisplayText(text, 'a name', limits);

describe('checkDisplayText', () => {
  it('returns the text trimmed, within its limits', () => {
    expect(checkDisplayText('  Anna Smith ', 'a name', limits)).toBe('Anna Smith');
    expect(checkDisplayText('🛋️ Sofa 👨‍👩‍👧‍👦', 'a name', limits)).toBe('🛋️ Sofa 👨‍👩‍👧‍👦');
    expect(checkDisplayText('שלום \u200Fעולם', 'a name', limits)).toBe('שלום \u200Fעולם');
    expect(checkDisplayText('', 'a note', { min: 0, max: 5 })).toBe('');
    expect(checkDisplayText('x'.repeat(20), 'a name', limits)).toHaveLength(20);
  });

  it.each([
    ['empty', ''],
    ['blank', ' \t '],
    ['no-break spaces', '\u00A0\u00A0'],
    ['too long', 'x'.repeat(21)],
    ['a control character', 'a\x1b[2Jb'],
    ['NUL', 'a\0b'],
    ['a line break', 'a\nb'],
    ['a C1 control', 'a\u009bb'],
    ['a line separator', 'a\u2028b'],
    ['a lone surrogate', 'a\ud800b'],
  ])('refuses %s as not printable', (_what, text) => {
    expect(refused(text)).toThrow(new UsageError('a name needs 1 to 20 printable characters'));
  });

  it.each([
    ['\u202A'],
    ['\u202B'],
    ['\u202C'],
    ['\u202D'],
    ['\u202E'],
    ['\u2066'],
    ['\u2067'],
    ['\u2068'],
    ['\u2069'],
  ])('refuses the bidi control %j, naming it', (control) => {
    const code = (control.codePointAt(0) ?? 0).toString(16).toUpperCase();
    expect(refused(`evil${control}txt.exe`)).toThrow(
      new UsageError(
        `a name holds a bidi control character (U+${code}), which reorders text on a terminal`,
      ),
    );
  });

  it.each([
    ['zero-width spaces', '\u200B\u200B'],
    ['a zero-width joiner and BOM', '\u200D\uFEFF'],
    ['word joiners between spaces', '\u2060 \u2060'],
    ['a soft hyphen', '\u00AD'],
    ['a Hangul filler', '\u3164'],
    ['left-to-right marks', '\u200E\u200E'],
  ])('refuses a text of only %s', (_what, text) => {
    expect(refused(text)).toThrow(
      new UsageError('a name has no visible character (only spaces or zero-width ones)'),
    );
  });

  it('allows an empty text where empty is allowed, but not an invisible one', () => {
    expect(() => checkDisplayText('\u200B', 'a note', { min: 0, max: 5 })).toThrow(
      /no visible character/,
    );
  });
});

describe('every name, title and login on the command line', () => {
  const bad = [
    ['only zero-width', '\u200B\u200C\u200D'],
    ['a bidi override', 'invoice\u202Efdp.exe'],
    ['a bidi isolate', '\u2067Anna\u2069'],
  ];
  const commands: [string, (text: string) => string[]][] = [
    ['item add --title', (t) => ['item', 'add', '--title', t]],
    ['item update --title', (t) => ['item', 'update', '1', '--title', t]],
    ['contact add --name', (t) => ['contact', 'add', '--name', t]],
    ['company add --name', (t) => ['company', 'add', '--name', t]],
    ['contact update --name', (t) => ['contact', 'update', '1', '--name', t]],
    ['pipeline add', (t) => ['pipeline', 'add', t]],
    ['pipeline rename', (t) => ['pipeline', 'rename', 'Shop', t]],
    ['pipeline add --stages', (t) => ['pipeline', 'add', 'P2', '--stages', `New,${t}`]],
    ['stage add', (t) => ['stage', 'add', t, '--pipeline', 'Shop']],
    ['stage rename', (t) => ['stage', 'rename', 'New', t, '--pipeline', 'Shop']],
    ['type add --title', (t) => ['type', 'add', 'delivery', '--title', t]],
    ['user add --name', (t) => ['user', 'add', 'bob', '--name', t]],
    ['user add (login)', (t) => ['user', 'add', t]],
    [
      'role add --description',
      (t) => ['role', 'add', 'support', '--permissions', 'items.view', '--description', t],
    ],
    ['form submit --name', (t) => ['form', 'submit', '--name', t, '--email', 'a@example.com']],
  ];

  it('is refused with exit 2, and nothing is added or changed', async () => {
    const { cli } = await newStore({ now: '2026-03-01T09:00:00Z' });
    for (const setup of [
      ['pipeline', 'add', 'Shop'],
      ['item', 'add', '--title', 'Sofa'],
      ['contact', 'add', '--name', 'Anna'],
    ]) {
      expect((await cli(setup)).exitCode).toBe(0);
    }
    const state = async () =>
      Promise.all(
        [
          ['item', 'list', '--json'],
          ['contact', 'list', '--json'],
          ['company', 'list', '--json'],
          ['pipeline', 'list', '--json'],
          ['type', 'list', '--json'],
          ['user', 'list', '--json'],
          ['role', 'list', '--json'],
        ].map(async (argv) => (await cli(argv)).stdout),
      );
    const before = await state();
    for (const [name, argv] of commands) {
      for (const [what, text] of bad) {
        const result = await cli(argv(text ?? ''));
        expect(result.exitCode, `${name} with ${what}: ${result.stderr}`).toBe(2);
        expect(result.stderr, `${name} with ${what}`).toMatch(
          /^error: .*(no visible character|bidi control character \(U\+[0-9A-F]+\)|not a usable login)/,
        );
        // The message never carries the control itself.
        expect(result.stderr).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
      }
    }
    expect(await state()).toEqual(before);
  });
});
