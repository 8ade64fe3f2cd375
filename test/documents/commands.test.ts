import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDocument } from '../../src/automation/actions/create-document.js';
import { addItem } from '../../src/items/service.js';
import { tempDir } from '../helpers.js';
import { badIds, effectsStore } from '../outbox/support.js';

async function withDocument() {
  const effects = await effectsStore();
  const { session, runAction, cli } = effects;
  session.write(() => addItem(session, { type: 'deal', title: 'Oak table', amount: 450 }));
  runAction(createDocument, 1, {
    name: 'Contract {{title}}',
    template: 'Contract for {{title}}\nTotal: {{amount}} {{currency}}',
  });
  for (const argv of [
    ['role', 'add', 'outsider', '--permissions', 'exceptions.view'],
    ['user', 'add', 'outsider', '--role', 'outsider'],
  ])
    expect((await cli(argv)).exitCode).toBe(0);
  return effects;
}

const body = 'Contract for Oak table\nTotal: 450 USD\n';

describe('crmctl document', () => {
  it('list shows documents without their text; show has it', async () => {
    const { cli } = await withDocument();
    const list = await cli(['document', 'list', '--item', '1', '--json']);
    expect(list.json()).toEqual([
      {
        id: 1,
        name: 'Contract Oak table',
        size: body.length - 1,
        itemId: 1,
        ruleId: 7,
        createdAt: '2026-12-01T10:00:00.000Z',
        createdBy: 'system',
      },
    ]);
    expect((await cli(['document', 'list', '--item', '2', '--json'])).json()).toEqual([]);
    const shown = await cli(['document', 'show', '1', '--json']);
    expect(shown.json()).toMatchObject({ body: body.slice(0, -1) });
  });

  it('export writes the text to stdout or to a new file, mode 0600, refusing to replace one', async () => {
    const { cli, db } = await withDocument();
    expect((await cli(['document', 'export', '1'])).stdout).toBe(body);
    const dir = tempDir();
    const file = join(dir, 'contract.txt');
    const written = await cli(['document', 'export', '1', file]);
    expect(written.exitCode, written.stderr).toBe(0);
    expect(written.stderr).toBe(`Exported document 1 to ${file}\n`);
    expect(readFileSync(file, 'utf8')).toBe(body);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, 'mine');
    const refused = await cli(['document', 'export', '1', '--output', file]);
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr).toMatch(/exists: choose another file or add --force/);
    expect(readFileSync(file, 'utf8')).toBe('mine');
    expect((await cli(['document', 'export', '1', '--output', file, '--force'])).exitCode).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(body);
    const store = await cli(['document', 'export', '1', db, '--force']);
    expect(store.exitCode).toBe(5);
    expect(store.stderr).toMatch(/write to another file/);
    const folder = await cli(['document', 'export', '1', dir]);
    expect(folder.exitCode).toBe(2);
    expect(folder.stderr).toMatch(/cannot write .*: it is a folder/);
    const other = join(dir, 'other.txt');
    expect((await cli(['document', 'export', '1', file, '--output', other])).exitCode).toBe(2);
    expect(existsSync(other)).toBe(false);
  });

  it('export of a missing document or into a missing folder leaves no file', async () => {
    const { cli } = await withDocument();
    const dir = tempDir();
    const file = join(dir, 'x.txt');
    const missing = await cli(['document', 'export', '9', file]);
    expect(missing.exitCode).toBe(4);
    expect(existsSync(file)).toBe(false);
    const noFolder = await cli(['document', 'export', '1', join(dir, 'nope', 'x.txt')]);
    expect(noFolder.exitCode).toBe(2);
    expect(noFolder.stderr).toMatch(/cannot write/);
    chmodSync(dir, 0o500);
    try {
      const readOnly = await cli(['document', 'export', '1', file]);
      if (process.getuid?.() !== 0) expect(readOnly.exitCode).toBe(2);
      expect(existsSync(file)).toBe(process.getuid?.() === 0);
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('refuses bad ids and needs items.view', async () => {
    const { cli } = await withDocument();
    for (const id of badIds) {
      expect((await cli(['document', 'show', id])).exitCode, `show ${id}`).toBe(2);
      expect((await cli(['document', 'export', id])).exitCode, `export ${id}`).toBe(2);
      expect((await cli(['document', 'list', '--item', id])).exitCode).toBe(2);
    }
    expect((await cli(['document', 'export', '1', '--output', ''])).exitCode).toBe(2);
    for (const argv of [
      ['document', 'list'],
      ['document', 'show', '1'],
      ['document', 'export', '1'],
    ])
      expect((await cli(argv, { as: 'outsider' })).exitCode).toBe(6);
  });
});
