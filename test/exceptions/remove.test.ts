import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Prompter } from '../../src/cli/prompter.js';
import { newStore, tempDir } from '../helpers.js';
import { entries, listed, writeInput } from './support.js';

// Issue 7 §1.4 and §4: what a person confirms is what is removed, the prompt never holds the
// write lock, and `remove --file` streams and refuses binary input like `import`.

const now = '2026-06-01T09:00:00.000Z';

/** A prompter that runs `meanwhile` while "the person reads the question", then answers. */
function answeringAfter(
  answer: boolean,
  meanwhile: () => Promise<void>,
): Prompter & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async confirm(message) {
      asked.push(message);
      await meanwhile();
      return answer;
    },
    async input() {
      throw new Error('not expected');
    },
    async select() {
      throw new Error('not expected');
    },
  };
}

describe('exceptions remove by filter, confirmed on a terminal', () => {
  it('removes exactly the entries counted in the question, not those added while it was asked', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'a@example.com;supplier', 'b@example.com;other']);
    const prompter = answeringAfter(true, async () => {
      // Another admin, meanwhile, through another connection: it must not wait for a lock.
      const added = await cli(
        ['--wait', '0', 'exceptions', 'add', 'c@example.com;supplier', 'd@example.com;supplier'],
        {},
      );
      expect(added.exitCode, added.stderr).toBe(0);
    });
    const result = await cli(['exceptions', 'remove', '--comment', 'supplier'], {
      tty: true,
      prompter,
    });
    expect(prompter.asked).toEqual(['Remove 1 entries from the exceptions list?']);
    expect(result).toMatchObject({ exitCode: 0, stdout: '1\n', stderr: 'Removed 1 entries\n' });
    expect((await listed(cli)).map((e) => e.value)).toEqual([
      'b@example.com',
      'c@example.com',
      'd@example.com',
    ]);
  });

  it('says so when some confirmed entries were removed meanwhile, and removes the rest', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'a@example.com;supplier', 'b@example.com;supplier']);
    const prompter = answeringAfter(true, async () => {
      expect((await cli(['exceptions', 'remove', 'a@example.com'])).exitCode).toBe(0);
    });
    const result = await cli(['exceptions', 'remove', '--comment', 'supplier'], {
      tty: true,
      prompter,
    });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe(
      'Removed 1 entries (1 of the 2 confirmed had been removed meanwhile)\n',
    );
    expect(await entries(cli)).toEqual([]);
  });

  it('asks nothing and exits 0 when nothing matches, on a terminal or not, with or without --yes', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'a@example.com;other']);
    const prompter = answeringAfter(true, async () => {});
    for (const [argv, tty] of [
      [[], true],
      [[], false],
      [['--yes'], false],
    ] as const) {
      const result = await cli(['exceptions', 'remove', '--comment', 'supplier', ...argv], {
        tty,
        prompter,
      });
      expect(result).toMatchObject({
        exitCode: 0,
        stdout: '0\n',
        stderr: 'Nothing to remove: no entry matches\n',
      });
    }
    expect(prompter.asked).toEqual([]);
    const json = await cli(['exceptions', 'remove', '--comment', 'supplier', '--json']);
    expect(json.json()).toEqual({ operationId: null, dryRun: false, removed: 0 });
    expect(await entries(cli)).toHaveLength(1);
  });

  it('removing everything needs --all; blank filters are usage errors naming the flag', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'a@example.com;x']);
    expect((await cli(['exceptions', 'remove', '--yes'])).exitCode).toBe(2);
    for (const flag of ['--comment', '--value', '--added-by']) {
      const result = await cli(['exceptions', 'remove', flag, ' ', '--yes']);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(flag);
    }
    expect(await entries(cli)).toHaveLength(1);
    expect((await cli(['exceptions', 'remove', '--all', '--yes'])).stdout).toBe('1\n');
  });
});

describe('exceptions remove --file', () => {
  it('refuses binary input like import does (exit 7), without waiting for it to end', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'a@example.com']);
    const dir = tempDir();
    const binary = writeInput(dir, 'zeros.bin', Buffer.alloc(1 << 20));
    const utf16 = writeInput(
      dir,
      'u16.txt',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a@example.com\n', 'utf16le')]),
    );
    for (const file of [binary, utf16, '/dev/zero']) {
      const result = await cli(['exceptions', 'remove', '--file', file]);
      expect(result.exitCode, file).toBe(7);
    }
    expect(await entries(cli)).toHaveLength(1);
  });

  it('streams a large file: every value removed or reported with its line, counts in the note', async () => {
    const { cli } = await newStore({ now });
    const dir = tempDir();
    const count = 60_000;
    const values = Array.from({ length: count }, (_, i) => `u${i}@example.com`);
    const list = writeInput(dir, 'list.txt', `${values.join('\n')}\n`);
    expect((await cli(['exceptions', 'import', list, '-q'])).exitCode).toBe(0);
    const remove = join(dir, 'remove.txt');
    writeFileSync(
      remove,
      `# the mistakes\n${values.slice(0, count - 1).join('\n')}\nnot-listed@example.com\nnonsense\n`,
    );
    const result = await cli(['exceptions', 'remove', '--file', remove]);
    expect(result.exitCode).toBe(3);
    expect(result.stdout.split('\n')).toHaveLength(count);
    expect(result.stderr).toBe(
      `${remove}:${count + 1}: not-listed@example.com: not listed\n` +
        `${remove}:${count + 2}: nonsense: not-a-number: "nonsense" is neither an email address nor a phone number\n` +
        `Removed ${count - 1}; 1 not listed; 1 rejected\n`,
    );
    expect((await listed(cli)).map((e) => e.value)).toEqual([`u${count - 1}@example.com`]);
  });

  it('under -o json prints one record; a dry run keeps everything', async () => {
    const { cli } = await newStore({ now });
    await cli(['exceptions', 'add', 'a@example.com', 'b@example.com']);
    const file = writeInput(
      tempDir(),
      'r.txt',
      'a@example.com\nb@example.com;why\nc@example.com\nx\n',
    );
    const result = await cli(['exceptions', 'remove', '--file', file, '--dry-run', '--json']);
    expect(result.exitCode).toBe(3);
    expect(result.json()).toEqual({
      operationId: null,
      dryRun: true,
      removed: [
        expect.objectContaining({ value: 'a@example.com' }),
        expect.objectContaining({ value: 'b@example.com' }),
      ],
      notListed: ['c@example.com'],
      rejected: [
        {
          line: 4,
          raw: 'x',
          reason: 'not-a-number',
          message: '"x" is neither an email address nor a phone number',
        },
      ],
    });
    expect(await entries(cli)).toHaveLength(2);
  });
});
