import { escapeControls } from '../cli/escape.js';
import { loadTable } from '../cli/output.js';
import { ruleLines, triggerLines } from './draw-automation.js';
import type { PipelineAutomation } from './draw-model.js';
import type { Pipeline } from './service.js';

/**
 * One stage as a column of the drawing: its name, how many items it holds, and, when the
 * pipeline has automation, its triggers and its rules (one row each across the columns).
 */
export interface StageColumn {
  title: string;
  lines: string[];
  automation?: { triggers: string[]; rules: string[] };
}

const marks = { process: '', success: ' ✓', failure: ' ✗' } as const;

/**
 * The stages as columns; names are shown with control characters escaped (drawn on terminals).
 * With `automation` (the same pipeline's), each column also lists its triggers and rules.
 */
export function stageColumns(
  pipeline: Pipeline,
  counts: Map<number, number>,
  automation?: PipelineAutomation,
): StageColumn[] {
  const hasAutomation = automation?.stages.some((s) => s.rules.length + s.triggers.length > 0);
  const stageName = (ref: string) =>
    pipeline.stages.find((s) => String(s.id) === ref || s.name.toLowerCase() === ref.toLowerCase())
      ?.name ?? ref;
  return pipeline.stages.map((stage) => {
    const count = counts.get(stage.id) ?? 0;
    const column: StageColumn = {
      title: `${escapeControls(stage.name)}${marks[stage.semantic]}`,
      lines: [`${count} item${count === 1 ? '' : 's'}`],
    };
    if (hasAutomation) {
      const own = automation?.stages.find((s) => s.id === stage.id);
      const triggers = (own?.triggers ?? []).flatMap(triggerLines);
      const rules = (own?.rules ?? []).flatMap((rule) => ruleLines(rule, stageName));
      column.automation = {
        triggers: triggers.length > 0 ? triggers : ['no triggers'],
        rules: rules.length > 0 ? rules : ['no rules'],
      };
    }
    return column;
  });
}

const columnWidth = { min: 14, max: 28, maxWithAutomation: 32 };

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
  const automated = columns.some((c) => c.automation);
  // One column never wider than the terminal (less its two borders).
  const max = Math.max(
    6,
    Math.min(automated ? columnWidth.maxWithAutomation : columnWidth.max, width - 2),
  );
  const widths = columns.map((c) =>
    Math.min(
      max,
      Math.max(
        columnWidth.min,
        [...c.title].length + 2,
        ...[...c.lines, ...(c.automation?.triggers ?? []), ...(c.automation?.rules ?? [])].map(
          (l) => [...l].length + 2,
        ),
      ),
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
    if (automated) {
      const cell = (i: number, lines: string[] | undefined) =>
        (lines ?? [])
          .flatMap((line) => wrapLine(line, (widths[i] ?? columnWidth.min) - 2))
          .join('\n');
      table.push(band.map((i) => cell(i, columns[i]?.automation?.triggers)));
      table.push(band.map((i) => cell(i, columns[i]?.automation?.rules)));
    }
    return table.toString();
  });
  return `${heading}\n${drawn.join('\n')}\n`;
}

/**
 * One line of a cell wrapped at spaces to `width` characters, continuation lines indented two
 * more than the line itself (so a rule's details stay under it); a word longer than a line is cut.
 */
export function wrapLine(line: string, width: number): string[] {
  const chars = [...line];
  if (chars.length <= width) return [line];
  const lead = Math.min(/^ */.exec(line)?.[0].length ?? 0, 4);
  const indent = ' '.repeat(lead + 2);
  const out: string[] = [];
  let current = '';
  let prefix = ' '.repeat(lead);
  for (const word of line.trimStart().split(/ +/)) {
    const room = width - [...prefix].length;
    const candidate = current === '' ? word : `${current} ${word}`;
    if ([...candidate].length <= room) {
      current = candidate;
      continue;
    }
    if (current !== '') {
      out.push(`${prefix}${current}`);
      prefix = indent;
    }
    let rest = [...word];
    while (rest.length > width - [...prefix].length) {
      const fits = Math.max(1, width - [...prefix].length);
      out.push(`${prefix}${rest.slice(0, fits).join('')}`);
      prefix = indent;
      rest = rest.slice(fits);
    }
    current = rest.join('');
  }
  if (current !== '') out.push(`${prefix}${current}`);
  return out;
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

/**
 * The pipeline as a Mermaid flowchart, for docs and wikis: the stages in order (the way people
 * move items on), and with `automation` each rule as a node hanging off its stage, change-stage
 * rules as labelled arrows to their stage, and each trigger as a flag pointing at its stage.
 */
export function pipelineMermaid(
  pipeline: Pipeline,
  columns: StageColumn[],
  automation?: PipelineAutomation,
): string {
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
  const moves = automation ? automationMermaid(pipeline, automation) : [];
  return `flowchart LR\n${[...nodes, ...edges, ...moves].join('\n')}\n`;
}

function automationMermaid(pipeline: Pipeline, automation: PipelineAutomation): string[] {
  const lines: string[] = [];
  const stageOfRef = (ref: string) =>
    pipeline.stages.find((s) => String(s.id) === ref || s.name.toLowerCase() === ref.toLowerCase());
  const label = (texts: string[]) => texts.map(mermaidText).join('<br/>');
  for (const stage of automation.stages) {
    if (!pipeline.stages.some((s) => s.id === stage.id)) continue;
    for (const rule of stage.rules) {
      const [head = '', ...rest] = ruleLines(rule, (ref) => stageOfRef(ref)?.name ?? ref);
      const details = rest.map((line) => line.trim());
      const target =
        rule.action === 'change-stage' ? stageOfRef(rule.params.stage ?? '') : undefined;
      if (target) {
        lines.push(`  s${stage.id} ==>|"${label([head, ...details])}"| s${target.id}`);
      } else {
        lines.push(
          `  r${rule.id}(["${label([head, ...details])}"])`,
          `  s${stage.id} -.- r${rule.id}`,
        );
      }
    }
    for (const trigger of stage.triggers) {
      const [head = '', ...rest] = triggerLines(trigger);
      lines.push(
        `  t${trigger.id}>"${label([head, ...rest.map((line) => line.trim())])}"]`,
        `  t${trigger.id} ==> s${stage.id}`,
      );
    }
  }
  return lines;
}

/** The pipeline an automation structure describes, and how many items each stage holds. */
function pipelineOf(automation: PipelineAutomation): {
  pipeline: Pipeline;
  counts: Map<number, number>;
} {
  const pipeline: Pipeline = {
    ...automation.pipeline,
    createdAt: '',
    stages: automation.stages.map((s, position) => ({
      id: s.id,
      pipelineId: automation.pipeline.id,
      name: s.name,
      position,
      semantic: s.semantic,
    })),
  };
  return { pipeline, counts: new Map(automation.stages.map((s) => [s.id, s.items])) };
}

/** The picture of `pipeline show`: stages as columns with their triggers and rules, in bands. */
export function drawAutomation(
  automation: PipelineAutomation,
  width: number,
  colour: boolean,
): string {
  const { pipeline, counts } = pipelineOf(automation);
  return drawPipeline(pipeline, stageColumns(pipeline, counts, automation), width, colour);
}

/** `pipeline show --format mermaid` of a pipeline with its automation. */
export function automationFlowchart(automation: PipelineAutomation): string {
  const { pipeline, counts } = pipelineOf(automation);
  return pipelineMermaid(pipeline, stageColumns(pipeline, counts), automation);
}
