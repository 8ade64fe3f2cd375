import { escapeControls } from '../cli/escape.js';
import { wrapLine } from '../pipelines/draw.js';
import type { DemoEvent } from './service.js';

const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const minimumTextRoom = 20;

/**
 * The demo's timeline for a terminal: a heading per day (UTC), then one line per event, its
 * time, the item, who did it and what, the detail wrapped under it to fit `width`.
 */
export function drawTimeline(events: readonly DemoEvent[], width: number): string {
  // Narrow terminals give the item titles less room, so the text keeps some.
  const itemWidth = Math.min(
    28,
    Math.max(10, Math.floor(width * 0.3)),
    Math.max(0, ...events.map((e) => [...escapeControls(e.item)].length)),
  );
  const byWidth = Math.max(0, ...events.map((e) => e.by.length));
  const lines: string[] = [];
  let day = '';
  for (const event of events) {
    const at = new Date(event.at);
    const today = event.at.slice(0, 10);
    if (today !== day) {
      day = today;
      lines.push(
        `${lines.length > 0 ? '\n' : ''}${days[at.getUTCDay()]} ${at.getUTCDate()} ${months[at.getUTCMonth()]} ${at.getUTCFullYear()} (UTC)`,
      );
    }
    const item = [...escapeControls(event.item)];
    const shown =
      item.length > itemWidth ? `${item.slice(0, itemWidth - 1).join('')}…` : item.join('');
    const head = `  ${event.at.slice(11, 16)}  ${shown.padEnd(itemWidth)}  ${event.by.padEnd(byWidth)}  `;
    const text = `${escapeControls(event.what)}: ${escapeControls(event.detail)}`;
    const room = width - head.length;
    if (room < minimumTextRoom) {
      // Too little room beside the heading: the text goes under it, across the width.
      lines.push(
        head.trimEnd(),
        ...wrapLine(text, Math.max(1, width - 4)).map((line) => `    ${line}`),
      );
      continue;
    }
    const [first = '', ...rest] = wrapLine(text, room);
    lines.push(`${head}${first}`, ...rest.map((line) => `${' '.repeat(head.length - 2)}${line}`));
  }
  return lines.join('\n');
}
