import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, tempDir } from '../helpers.js';
import { collectOutput, exitOf, initStore } from './support.js';

// The exceptions list through the built binary, the way an admin or a cron job uses it:
// pipes, files, exit codes and the bytes on stdout and stderr.

const now = '2026-08-01T09:00:00Z';

const newCrm = () => initStore({ now });

describe('crmctl exceptions (built binary)', () => {
  it('imports from a pipe, reports each rejected line, exports, re-imports exactly, and undoes', async () => {
    const crm = await newCrm();
    const dir = tempDir();
    const input =
      '\uFEFF# from the old CRM\r\n' +
      '+44 20 7946 0958;printing supplier; "do not call"\r\n' +
      'offers@Spam.Example;=HYPERLINK("x")\r\n' +
      'hello\r\n' +
      '+442079460958;same number, other spelling\r\n' +
      '\r\n' +
      '020 7946 0000;needs a country\r\n' +
      'rtl@example.com;שלום 😀\tתודה\r\n';
    const imported = await crm(['exceptions', 'import', '-'], { input });
    expect(imported.exitCode).toBe(3);
    expect(imported.stdout).toBe('1\n');
    expect(imported.stderr).toBe(
      'stdin:4: not-a-number: "hello" is neither an email address nor a phone number\n' +
        `stdin:7: needs-country: "020 7946 0000" is a national number: give a default country with --country or 'crmctl settings set default-country', or write it with +<country code>\n` +
        'Imported batch 1 from stdin: 6 lines, 3 added, 1 duplicates, 0 updated, 2 rejected (not-a-number 1, needs-country 1)\n',
    );

    const rejects = join(dir, 'rejects.csv');
    const again = await crm(
      ['exceptions', 'import', '-', '--country', 'GB', '--rejects', rejects, '--quiet'],
      { input },
    );
    expect(again).toMatchObject({ exitCode: 3, stdout: '2\n', stderr: '' });
    const by = userInfo().username;
    const listedAt = '2026-08-01T09:00:00.000Z';
    expect(readFileSync(rejects, 'utf8').split('\r\n')).toEqual([
      'line,raw,reason,message',
      `2,"'+44 20 7946 0958;printing supplier; ""do not call""",duplicate,+442079460958 is already listed (added ${listedAt} by ${by})`,
      `3,"offers@Spam.Example;=HYPERLINK(""x"")",duplicate,offers@spam.example is already listed (added ${listedAt} by ${by})`,
      '4,hello,not-a-number,"""hello"" is neither an email address nor a phone number"',
      `5,"'+442079460958;same number, other spelling",duplicate,+442079460958 is already listed (added ${listedAt} by ${by})`,
      `8,rtl@example.com;שלום 😀\tתודה,duplicate,rtl@example.com is already listed (added ${listedAt} by ${by})`,
      '',
    ]);

    const exported = join(dir, 'backup.csv');
    expect(await crm(['exceptions', 'export', exported, '--quiet'])).toMatchObject({
      exitCode: 0,
      stdout: '',
    });
    const other = await newCrm();
    expect((await other(['exceptions', 'import', exported, '--quiet'])).exitCode).toBe(0);
    const fields = ['exceptions', 'list', '--json', '--fields', 'type,value,comment'];
    const original = await crm(fields);
    expect(JSON.parse(original.stdout)).toEqual([
      { type: 'phone', value: '+442079460958', comment: 'printing supplier; "do not call"' },
      { type: 'email', value: 'offers@spam.example', comment: '=HYPERLINK("x")' },
      { type: 'email', value: 'rtl@example.com', comment: 'שלום 😀\tתודה' },
      { type: 'phone', value: '+442079460000', comment: 'needs a country' },
    ]);
    expect((await other(fields)).stdout).toBe(original.stdout);

    expect(await crm(['exceptions', 'undo-import', '2'])).toMatchObject({
      exitCode: 0,
      stdout: '1\n',
      stderr: 'Undid import 2: removed 1 entries, restored 0 comments\n',
    });
    expect((await crm(['exceptions', 'undo-import', '2'])).exitCode).toBe(5);
    expect((await crm(['exceptions', 'undo-import', '9'])).exitCode).toBe(4);
    expect(JSON.parse((await crm(fields)).stdout)).toHaveLength(3);
  });

  it('branches like grep on check, and refuses unusable input with the documented codes', async () => {
    const crm = await newCrm();
    await crm(['exceptions', 'add', '+44 20 7946 0958', '--quiet']);
    expect(await crm(['exceptions', 'check', '+44 (20) 7946-0958', '-q'])).toMatchObject({
      exitCode: 0,
      stdout: '',
      stderr: '',
    });
    expect(await crm(['exceptions', 'check', '+1 650 253 0000'])).toMatchObject({
      exitCode: 1,
      stdout: '+16502530000 is not listed\n',
    });
    expect((await crm(['exceptions', 'check', 'nonsense'])).exitCode).toBe(2);

    const dir = tempDir();
    const missing = join(dir, 'missing.txt');
    const notFound = await crm(['exceptions', 'import', missing]);
    expect(notFound).toMatchObject({
      exitCode: 4,
      stdout: '',
      stderr: `error: no such file: ${missing}\n`,
    });
    const binary = join(dir, 'garbage.bin');
    writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const refused = await crm(['exceptions', 'import', binary]);
    expect(refused.exitCode).toBe(7);
    expect(refused.stderr).toContain('looks like a binary file');
    const utf16 = await crm(['exceptions', 'import', '-'], {
      input: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a@example.com\n', 'utf16le')]),
    });
    expect(utf16).toMatchObject({
      exitCode: 7,
      stderr: 'error: the input is UTF-16: save it as UTF-8 and import again\n',
    });
    const export1 = join(dir, 'out.txt');
    writeFileSync(export1, 'keep me');
    expect((await crm(['exceptions', 'export', export1])).exitCode).toBe(5);
    expect(readFileSync(export1, 'utf8')).toBe('keep me');
    expect(existsSync(`${export1}.partial`)).toBe(false);
    expect(JSON.parse((await crm(['exceptions', 'list', '--json'])).stdout)).toHaveLength(1);
  });

  it('blocks a new email from a listed address and saves the rest (email incoming)', async () => {
    const crm = await newCrm();
    await crm(['exceptions', 'add', 'offers@spam.example;newsletter', '--quiet']);
    const blocked = await crm([
      'email',
      'incoming',
      '--from',
      'Offers@SPAM.example',
      '--subject',
      'Deal!',
    ]);
    expect(blocked).toMatchObject({
      exitCode: 0,
      stdout: '',
      stderr: 'Not saved: Offers@spam.example is on the exceptions list: not saved to the CRM\n',
    });
    const saved = await crm([
      'email',
      'incoming',
      '--from',
      'anna@example.com',
      '--subject',
      'Sofa?',
      '--message-id',
      'a1',
    ]);
    expect(saved).toMatchObject({
      exitCode: 0,
      stdout: '1\n',
      stderr: 'Saved: no open item holds anna@example.com\n',
    });
    await crm(['exceptions', 'add', 'anna@example.com', '--quiet']);
    const reply = await crm([
      'email',
      'incoming',
      '--from',
      'anna@example.com',
      '--subject',
      'Re: Sofa?',
      '--in-reply-to',
      'a1',
    ]);
    expect(reply.stdout).toBe('1\n');
    const log = JSON.parse((await crm(['email', 'log', '--json'])).stdout) as {
      status: string;
      itemId: number | null;
    }[];
    expect(log.map((c) => [c.status, c.itemId])).toEqual([
      ['blocked', null],
      ['saved', 1],
      ['saved', 1],
    ]);
    const leads = JSON.parse(
      (await crm(['item', 'list', '--type', 'lead', '--json'])).stdout,
    ) as unknown[];
    expect(leads).toHaveLength(1);
  });

  it('keeps memory flat on a 300 MB line from a pipe, rejecting it as line-too-long', {
    timeout: 60_000,
  }, async () => {
    if (!existsSync('/proc/self/status')) return; // the peak is read from /proc (Linux)
    const db = join(tempDir(), 'crm.db');
    const child = spawn(process.execPath, [binPath, 'exceptions', 'import', '-', '-o', 'json'], {
      env: { PATH: process.env.PATH, HOME: tempDir(), CRMCTL_DB: db, CRMCTL_NOW: now },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const output = collectOutput(child);
    const exited = exitOf(child);
    const write = (chunk: Buffer) =>
      new Promise<void>((done) => {
        if (child.stdin.write(chunk)) done();
        else child.stdin.once('drain', () => done());
      });
    await write(Buffer.from('first@example.com\n'));
    const block = Buffer.alloc(1 << 20, 0x37);
    for (let i = 0; i < 300; i++) await write(block);
    await write(Buffer.from('\nafter@example.com;kept\n'));
    // Everything has been read up to the pipe's buffer: the peak so far is the import's peak.
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]);
    child.stdin.end();
    const { code } = await exited;
    const { stdout, stderr } = output();
    expect(code, stderr).toBe(3);
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb).toBeLessThan(200 * 1024);
    expect(JSON.parse(stdout)).toMatchObject({
      lines: 3,
      added: 2,
      rejected: 1,
      rejectedByReason: { 'line-too-long': 1 },
    });
    expect(stderr).toContain('"line":2,"raw":"7777');
  });
});
