import { parseDuration, VirtualClock } from '../clock.js';
import { addParty } from '../contacts/service.js';
import { type HistoryEntry, listHistory } from '../history/service.js';
import { addItem, countItemsByStage, getItem, type Item, moveItems } from '../items/service.js';
import { addPipeline, type Pipeline } from '../pipelines/service.js';
import type { Session } from '../session.js';
import { setSetting } from '../settings/service.js';
import { addUser } from '../users/service.js';

export interface DemoResult {
  pipeline: Pipeline;
  stageCounts: Map<number, number>;
  items: Item[];
  timeline: HistoryEntry[];
}

/** The furniture store of seed 002: its deal pipeline, a few leads and deals, played on a virtual clock. */
export const demoPipelineName = 'Furniture store';

/**
 * Plays the demo into `store` as `adminLogin`, starting at `start`. Every step happens at its
 * own time on the virtual clock, so the timeline reads like a working day and a half.
 */
export function playFurnitureDemo(session: Session, start: Date): DemoResult {
  session.requireWrite('the demo');
  const clock = new VirtualClock(start);
  const admin = session.withClock(clock);
  const as = (login: string): Session => admin.as({ ...admin.actor, login });
  const at = (offset: string) =>
    clock.set(new Date(start.getTime() + parseDuration(offset, 'demo')));
  setSetting(admin, 'default-country', 'GB');
  setSetting(admin, 'currency', 'GBP');
  addUser(admin, { login: 'anna', name: 'Anna Novak', role: 'supervisor' });
  addUser(admin, { login: 'bob', name: 'Bob Reyes', role: 'employee', supervisor: 'anna' });
  const pipeline = addPipeline(admin, {
    type: 'deal',
    name: demoPipelineName,
    stages: [
      'New',
      'Prepare documents',
      'Prepayment',
      'Delivery',
      'Final invoice',
      'Won:success',
      'Lost:failure',
      'Spam:failure',
    ],
  });
  const bob = as('bob');
  const anna = as('anna');
  const deal = (session: Session, title: string, amount: number, contact: number) =>
    addItem(session, {
      pipeline: String(pipeline.id),
      title,
      amount,
      contact,
      responsible: 'bob',
      source: 'form',
    }).id;
  const move = (session: Session, id: number, stage: string) =>
    moveItems(session, { ids: [id], stage });

  at('5m');
  addItem(bob, {
    type: 'lead',
    title: 'Website enquiry: oak wardrobe',
    phones: ['020 7946 0958'],
    emails: ['olivia.brown@example.co.uk'],
    source: 'form',
  });
  at('12m');
  const olivia = addParty(bob, 'contact', {
    name: 'Olivia Brown',
    phones: ['020 7946 0958'],
    emails: ['olivia.brown@example.co.uk'],
  });
  const james = addParty(bob, 'contact', { name: 'James Carter', phones: ['+44 7911 123456'] });
  const spammer = addParty(bob, 'contact', {
    name: 'Cheap Loans Ltd',
    emails: ['offers@cheap-loans.example'],
  });
  at('15m');
  const table = deal(bob, 'Oak dining table for six', 1450, olivia);
  const sofa = deal(bob, 'Corner sofa, grey linen', 2100, james);
  const junk = deal(bob, 'Win a free sofa!!!', 0, spammer);
  at('40m');
  move(bob, table, 'Prepare documents');
  move(anna, junk, 'Spam');
  at('2h');
  move(bob, sofa, 'Prepare documents');
  at('1d');
  move(bob, table, 'Prepayment');
  at('1d4h');
  move(bob, table, 'Delivery');
  move(bob, sofa, 'Lost');

  const items = [table, sofa, junk].map((id) => getItem(admin, id));
  const timeline = items
    .flatMap((item) => listHistory(admin, { entity: { type: 'item', id: item.id } }))
    .sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
  return { pipeline, stageCounts: countItemsByStage(admin, pipeline.id), items, timeline };
}
