import { describe, expect, it } from 'vitest';
import { createDocument } from '../../src/automation/actions/create-document.js';
import {
  addDocument,
  deleteDocumentsOfItems,
  getDocument,
  listDocuments,
} from '../../src/documents/service.js';
import { addItem } from '../../src/items/service.js';
import { deleteMessagesOfItems, listMessages, queueMessage } from '../../src/outbox/service.js';
import { addTask, deleteTasksOfItems, listTasks } from '../../src/tasks/service.js';
import { effectsStore } from '../outbox/support.js';

describe('documents', () => {
  it('addDocument keeps the rendered text; the list shows its size instead', async () => {
    const { session, store } = await effectsStore();
    const document = session.write(() =>
      addDocument(session, { name: 'Contract', body: 'Line 1\nLine 2\n', itemId: 4 }),
    );
    expect(getDocument(session, document.id)).toEqual({
      id: 1,
      name: 'Contract',
      body: 'Line 1\nLine 2\n',
      itemId: 4,
      ruleId: null,
      createdAt: '2026-12-01T10:00:00.000Z',
      createdBy: expect.any(String),
    });
    const { body: _body, ...head } = document;
    expect([...listDocuments(session, { itemId: 4 }).rows]).toEqual([{ ...head, size: 14 }]);
    expect([...listDocuments(session, { itemId: 5 }).rows]).toEqual([]);
    expect(
      store.db.prepare("SELECT action FROM history WHERE entity_type = 'document'").pluck().all(),
    ).toEqual(['created']);
  });

  it('refuses a blank or overlong name, an empty or control-character body', async () => {
    const { session } = await effectsStore();
    const add = (name: string, body: string) =>
      session.write(() => addDocument(session, { name, body }));
    expect(() => add(' ', 'x')).toThrow(/document name/);
    expect(() => add('n'.repeat(201), 'x')).toThrow(/document name/);
    expect(() => add('n', '')).toThrow(/the document is empty/);
    expect(() => add('n', '\u0000')).toThrow(/control character/);
    expect(() => add('n', 'x'.repeat(1_000_001))).toThrow(/at most 1,000,000/);
    expect(listDocuments(session).total()).toBe(0);
  });

  it('create-document renders the template and the name with the item’s fields', async () => {
    const { session, runAction } = await effectsStore();
    session.write(() =>
      addItem(session, {
        type: 'deal',
        title: 'Oak table',
        amount: 450,
        fields: { address: '1 High St\nLondon' },
      }),
    );
    const outcome = runAction(createDocument, 1, {
      name: 'Invoice for {{title}}',
      template:
        'To: {{fields.address}}\nAmount: {{amount}} {{currency}}\nMissing: [{{fields.nope}}]',
    });
    expect(outcome).toEqual({
      status: 'done',
      detail: 'document #1 "Invoice for Oak table" created',
      made: { documentId: 1 },
    });
    expect(getDocument(session, 1)).toMatchObject({
      name: 'Invoice for Oak table',
      body: 'To: 1 High St\nLondon\nAmount: 450 USD\nMissing: []',
      itemId: 1,
      ruleId: 7,
      createdBy: 'system',
    });
  });

  it('create-document whose template renders to nothing fails the rule, saying why', async () => {
    const { session, runAction } = await effectsStore();
    session.write(() => addItem(session, { type: 'deal', title: 'T' }));
    expect(runAction(createDocument, 1, { name: 'Doc', template: '{{fields.empty}}' })).toEqual({
      status: 'failed',
      detail: 'the document is empty',
    });
    expect(() =>
      createDocument.check?.(
        session,
        { template: 'x', name: 'n'.repeat(201) },
        { pipelineId: 1, stageId: 1 },
      ),
    ).toThrow(/--param name/);
  });
});

describe('deleting what items left, for items deleted for good', () => {
  it('removes the tasks, messages and documents of those items only', async () => {
    const { session } = await effectsStore();
    session.write(() => {
      for (const title of ['Gone', 'Kept']) addItem(session, { type: 'lead', title });
      for (const itemId of [1, 2]) {
        addTask(session, { itemId, title: 't' });
        queueMessage(session, { channel: 'sms', to: '+442079460958', text: 'x', itemId });
        addDocument(session, { name: 'd', body: 'b', itemId });
      }
    });
    const deleted = session.write(() => [
      deleteTasksOfItems(session, [1]),
      deleteMessagesOfItems(session, [1]),
      deleteDocumentsOfItems(session, [1, 99]),
    ]);
    expect(deleted).toEqual([1, 1, 1]);
    expect([...listTasks(session).rows].map((t) => t.itemId)).toEqual([2]);
    expect([...listMessages(session).rows].map((m) => m.itemId)).toEqual([2]);
    expect([...listDocuments(session).rows].map((d) => d.itemId)).toEqual([2]);
    expect(() => deleteTasksOfItems(session, [2])).toThrow(/inside session\.write/);
  });
});
