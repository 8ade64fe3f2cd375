import { automationLogInBin } from '../automation/bin.js';
import { runDueAutomation } from '../automation/engine.js';
import { fireEvent } from '../automation/events.js';
import { pipelineAutomation } from '../automation/lint-source.js';
import { type LogEntry, listAutomationLog } from '../automation/log.js';
import { addRule, type RuleFlags } from '../automation/rules.js';
import { addTrigger } from '../automation/triggers.js';
import { parseDuration, VirtualClock } from '../clock.js';
import { addParty } from '../contacts/service.js';
import { type HistoryEntry, listHistory } from '../history/service.js';
import { addItem, type Item, listItems, moveItems } from '../items/service.js';
import type { PipelineAutomation } from '../pipelines/draw-model.js';
import { addPipeline, type Pipeline } from '../pipelines/service.js';
import type { Session } from '../session.js';
import { setSetting } from '../settings/service.js';
import { setWorkingTime } from '../settings/working-time.js';
import { addUser } from '../users/service.js';

/** One line of the demo's timeline: what a person did, or what the automation did about it. */
export interface DemoEvent {
  at: string;
  itemId: number;
  item: string;
  /** `bob`, `rule #3`, `trigger #1`. */
  by: string;
  what: string;
  detail: string;
}

export interface DemoResult {
  pipeline: Pipeline;
  automation: PipelineAutomation;
  /** The demo's items as they are at the end (one of them is in the recycle bin by then). */
  items: Item[];
  timeline: DemoEvent[];
  log: LogEntry[];
}

/** The furniture store of seed 002: its deal pipeline, a few leads and deals, played on a virtual clock. */
export const demoPipelineName = 'Furniture store';

/** Monday 23 November 2026, 09:00 UTC: where the demo starts unless --now says otherwise. */
export const demoStart = new Date(Date.UTC(2026, 10, 23, 9, 0));

/** How long the demo plays on its virtual clock (its last step). */
export const demoLengthMs = 2 * 86_400_000;

/** Seed 002's automation: what each stage does, as `rule add` / `trigger add` would be given it. */
function furnitureAutomation(session: Session, pipeline: string): void {
  const rule = (flags: RuleFlags) => addRule(session, { pipeline, ...flags });
  rule({
    stage: 'New',
    action: 'send-sms',
    name: 'Tell the client we will call',
    params: {
      text: 'Thank you for your order "{{title}}"! A manager will call you within 30 minutes to discuss the details.',
    },
  });
  rule({
    stage: 'New',
    action: 'notify',
    name: 'Nobody has called yet',
    delay: '30m',
    params: { to: 'supervisor', text: 'Deal "{{title}}" has waited 30 minutes for a call' },
  });
  rule({
    stage: 'Prepare documents',
    action: 'create-document',
    name: 'Invoice',
    params: {
      name: 'Invoice for {{title}}',
      template:
        'INVOICE\nFor: {{title}}\nAmount: {{amount}} {{currency}}\nPrepayment due within 3 days.',
    },
  });
  rule({
    stage: 'Prepare documents',
    action: 'send-email',
    name: 'Send the invoice',
    afterPrevious: true,
    params: {
      subject: 'Your invoice for {{title}}',
      text: 'Hello! Your invoice of {{amount}} {{currency}} is ready: please find it in your account.',
    },
  });
  addTrigger(session, {
    pipeline,
    stage: 'Prepayment',
    on: 'payment-received',
    name: 'The invoice is paid',
  });
  rule({
    stage: 'Prepayment',
    action: 'create-task',
    name: 'Warehouse: prepare the order',
    workingHours: true,
    params: { title: 'Prepare "{{title}}" for delivery', assignee: 'wendy', deadline: '1d' },
  });
  rule({ stage: 'Spam', action: 'add-to-exceptions', name: 'Block the spammer' });
}

/**
 * Plays seed 002 into the store the session writes to, starting at `start`: builds the
 * furniture store's pipeline and automation through the services the commands use, then lets a
 * lead and three deals go through it, each step at its own time on a virtual clock, with the
 * scheduler run between steps as `crmctl automation run` would. Same start, same result.
 */
export function playFurnitureDemo(session: Session, start: Date): DemoResult {
  session.requireWrite('the demo');
  const clock = new VirtualClock(start);
  const admin = session.withClock(clock);
  const as = (login: string): Session => admin.as({ ...admin.actor, login });
  /** Moves the clock on, running what falls due on the way, then lets what the step causes happen. */
  const at = (offset: string) => {
    const next = new Date(start.getTime() + parseDuration(offset, 'demo'));
    runDueAutomation(admin, next);
    clock.set(next);
  };
  const step = (work: () => void) => {
    work();
    admin.deliverEvents();
  };

  setSetting(admin, 'default-country', 'GB');
  setSetting(admin, 'currency', 'GBP');
  setWorkingTime(admin, { days: 'mon-fri', from: '09:00', to: '19:00', tz: 'Europe/London' });
  addUser(admin, { login: 'anna', name: 'Anna Novak', role: 'supervisor' });
  addUser(admin, { login: 'bob', name: 'Bob Reyes', role: 'employee', supervisor: 'anna' });
  addUser(admin, { login: 'wendy', name: 'Wendy Hale (warehouse)', role: 'employee' });
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
  furnitureAutomation(admin, String(pipeline.id));
  const bob = as('bob');
  const anna = as('anna');
  const deal = (title: string, amount: number, contact: number) =>
    addItem(bob, {
      pipeline: String(pipeline.id),
      title,
      amount,
      contact,
      responsible: 'bob',
      source: 'form',
    }).id;
  const move = (session: Session, id: number, stage: string) =>
    step(() => moveItems(session, { ids: [id], stage }));

  at('5m');
  step(() =>
    addItem(bob, {
      type: 'lead',
      title: 'Website enquiry: oak wardrobe',
      phones: ['020 7946 0958'],
      emails: ['olivia.brown@example.co.uk'],
      source: 'form',
    }),
  );
  at('12m');
  const olivia = addParty(bob, 'contact', {
    name: 'Olivia Brown',
    phones: ['020 7946 0958'],
    emails: ['olivia.brown@example.co.uk'],
  });
  const james = addParty(bob, 'contact', { name: 'James Carter', phones: ['+44 7911 123456'] });
  const spammer = addParty(bob, 'contact', {
    name: 'Cheap Loans Ltd',
    phones: ['+44 20 7946 0999'],
    emails: ['offers@cheap-loans.example'],
  });
  // The CRM form sends three requests: each deal gets its SMS, and a reminder for 09:45.
  at('15m');
  let table = 0;
  let sofa = 0;
  let junk = 0;
  step(() => {
    table = deal('Oak dining table for six', 1450, olivia);
    sofa = deal('Corner sofa, grey linen', 2100, james);
    junk = deal('Win a free sofa!!!', 0, spammer);
  });
  // Bob calls Olivia: her deal goes on to documents (its reminder is cancelled); Anna bins the spam.
  at('40m');
  move(bob, table, 'Prepare documents');
  move(anna, junk, 'Spam');
  // Nobody called James: at 09:45 Anna is told. Bob gets to him at 11:00.
  at('2h');
  move(bob, sofa, 'Prepare documents');
  // Olivia pays the next morning: the trigger moves her deal to Prepayment, the warehouse gets a task.
  at('1d1h');
  step(() => fireEvent(admin, 'payment-received', { item: table }, { amount: '500' }));
  at('1d4h');
  move(bob, table, 'Delivery');
  move(bob, sofa, 'Lost');
  at('2d'); // demoLengthMs

  const ids = [table, sofa, junk];
  const items = [...listItems(admin, { pipeline: String(pipeline.id) }).rows].filter((item) =>
    ids.includes(item.id),
  );
  const log = [...listAutomationLog(admin).rows];
  return {
    pipeline,
    automation: pipelineAutomation(admin, pipeline),
    items,
    // The spam deal's runs went to the recycle bin with it: its entry tells them.
    timeline: timelineOf(
      admin,
      ids,
      [...log, ...automationLogInBin(admin, ids)].sort((a, b) => a.id - b.id),
    ),
    log,
  };
}

/** The items' history (created, moved, deleted) and the automation log, in the order it happened. */
function timelineOf(session: Session, ids: number[], log: LogEntry[]): DemoEvent[] {
  const titles = new Map<number, string>();
  const people: (DemoEvent & { order: number; rank: number })[] = [];
  for (const id of ids) {
    for (const entry of listHistory(session, { entity: { type: 'item', id } })) {
      const title = titleOf(entry);
      if (title !== undefined && !titles.has(id)) titles.set(id, title);
      const event = historyEvent(entry);
      if (!event) continue;
      // What the automation made happen (a trigger's move, a rule's deletion) right after the
      // log line of the run that did it.
      const run = log.find(
        (line) =>
          line.itemId === id &&
          line.executedAt === entry.at &&
          (entry.cause.kind === 'rule'
            ? line.ruleId === entry.cause.id
            : entry.cause.kind === 'trigger' && line.triggerId === entry.cause.id),
      );
      people.push({
        ...event,
        itemId: id,
        item: '',
        ...(run ? { rank: 1, order: run.id + 0.5 } : { rank: 0, order: entry.id }),
      });
    }
  }
  const automation = log
    .filter((entry) => ids.includes(entry.itemId))
    .map((entry) => ({
      at: entry.executedAt,
      itemId: entry.itemId,
      item: '',
      by: entry.kind === 'rule' ? `rule #${entry.ruleId}` : `trigger #${entry.triggerId}`,
      what:
        entry.kind === 'rule'
          ? `${entry.action ?? 'rule'} ${entry.status}`
          : `${entry.event ?? 'trigger'} ${entry.status}`,
      detail: entry.detail,
      order: entry.id,
      rank: 1,
    }));
  // At one moment, item by item: what a person did, then what the automation did about it.
  return [...people, ...automation]
    .sort(
      (a, b) =>
        a.at.localeCompare(b.at) || a.itemId - b.itemId || a.rank - b.rank || a.order - b.order,
    )
    .map(({ order: _order, rank: _rank, ...event }) => ({
      ...event,
      item: titles.get(event.itemId) ?? `#${event.itemId}`,
    }));
}

function titleOf(entry: HistoryEntry): string | undefined {
  const title = entry.changes.title;
  if (typeof title === 'string') return title;
  if (title && typeof title === 'object' && 'to' in title) return String(title.to);
  return undefined;
}

function historyEvent(entry: HistoryEntry): Omit<DemoEvent, 'itemId' | 'item'> | undefined {
  const by =
    entry.cause.kind === 'rule' || entry.cause.kind === 'trigger'
      ? `${entry.cause.kind} #${entry.cause.id}`
      : entry.actor;
  const stage = entry.changes.stage;
  switch (entry.action) {
    case 'created':
      return { at: entry.at, by, what: 'created', detail: `in ${String(stage)}` };
    case 'stage-changed': {
      const move = stage as { from: string; to: string };
      return { at: entry.at, by, what: 'moved', detail: `${move.from} → ${move.to}` };
    }
    case 'deleted':
      return { at: entry.at, by, what: 'deleted', detail: 'to the recycle bin' };
  }
  return undefined;
}
