import { escapeControls } from '../cli/escape.js';
import { loadTable } from '../cli/output.js';
import type { Pipeline } from './service.js';

/** One stage as a column of the drawing; later features add lines (triggers, rules). */
export interface StageColumn {
  title: string;
  lines: string[];
}

const marks = { process: '', success: ' ✓', failure: ' ✗' } as const;

/** The stages as columns; names are shown with control characters escaped (drawn on terminals). */
export function stageColumns(pipeline: Pipeline, counts: Map<number, number>): StageColumn[] {
  return pipeline.stages.map((stage) => {
    const count = counts.get(stage.id) ?? 0;
    return {
      title: `${escapeControls(stage.name)}${marks[stage.semantic]}`,
      lines: [`${count} item${count === 1 ? '' : 's'}`],
    };
  });
}

const columnWidth = { min: 14, max: 28 };

/**
 * Draws the stages side by side as a person sees them in the CRM's kanban, wrapping onto
 * further bands when they do not fit `width`.
 */
export function drawPipeline(
  pipeline: Pipeline,
  columns: StageColumn[],
  width: number,
  colour: boolean,
): string {
  const Table = loadTable(colour);
  const widths = columns.map((c) =>
    Math.min(
      columnWidth.max,
      Math.max(columnWidth.min, c.title.length + 2, ...c.lines.map((l) => l.length + 2)),
    ),
  );
  const bands: number[][] = [[]];
  let used = 1;
  widths.forEach((w, i) => {
    const band = bands.at(-1) ?? [];
    if (band.length > 0 && used + w + 1 > width) {
      bands.push([i]);
      used = 1 + w + 1;
    } else {
      band.push(i);
      used += w + 1;
    }
  });
  const heading = `${escapeControls(pipeline.name)} (${pipeline.type} pipeline #${pipeline.id}${pipeline.isDefault ? ', default' : ''})`;
  const drawn = bands.map((band) => {
    const table = new Table({
      head: band.map((i) => columns[i]?.title ?? ''),
      colWidths: band.map((i) => widths[i] ?? columnWidth.min),
      wordWrap: true,
      style: { head: colour ? ['bold'] : [], border: colour ? ['grey'] : [] },
    });
    table.push(band.map((i) => (columns[i]?.lines ?? []).join('\n')));
    return table.toString();
  });
  return `${heading}\n${drawn.join('\n')}\n`;
}

/**
 * Text inside a Mermaid label: markup characters as Mermaid's entity codes (`#lt;` becomes
 * `&lt;`), so a stage named `<img onerror=…>` is shown, not rendered, and quotes cannot end
 * the label. `#` itself too, so that no name reads as an entity code.
 */
function mermaidText(text: string): string {
  return escapeControls(text).replace(/[#&<>"'`]/g, (c) => mermaidEntities[c] ?? c);
}

const mermaidEntities: Record<string, string> = {
  '#': '#35;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '"': '#quot;',
  "'": '#39;',
  '`': '#96;',
};

/** The pipeline as a Mermaid flowchart, for docs and wikis. */
export function pipelineMermaid(pipeline: Pipeline, columns: StageColumn[]): string {
  const nodes = pipeline.stages.map((stage, i) => {
    const column = columns[i];
    const label = [column?.title ?? stage.name, ...(column?.lines ?? [])]
      .map(mermaidText)
      .join('<br/>');
    return `  s${stage.id}["${label}"]`;
  });
  const process = pipeline.stages.filter((s) => s.semantic === 'process');
  const finals = pipeline.stages.filter((s) => s.semantic !== 'process');
  const edges: string[] = [];
  for (let i = 1; i < process.length; i++)
    edges.push(`  s${process[i - 1]?.id} --> s${process[i]?.id}`);
  const last = process.at(-1);
  if (last) for (const final of finals) edges.push(`  s${last.id} -.-> s${final.id}`);
  return `flowchart LR\n${[...nodes, ...edges].join('\n')}\n`;
}
