import { ConflictError, NotFoundError, UsageError } from '../errors.js';
import { recordChange } from '../history/service.js';
import { nowIso, type Session } from '../session.js';
import type { Database } from '../store/store.js';
import { checkDisplayText } from '../text.js';
import {
  deletePipeline,
  deleteStage,
  insertPipeline,
  insertStage,
  insertType,
  type PipelineRow,
  type Semantic,
  type StageRow,
  selectDefaultPipeline,
  selectPipelineById,
  selectPipelines,
  selectPipelinesByName,
  selectStageById,
  selectStages,
  selectType,
  selectTypes,
  type TypeRow,
  updatePipelineName,
  updateStageName,
  updateStagePositions,
} from './repo.js';

export type { Semantic } from './repo.js';

export interface EntityType {
  id: number;
  name: string;
  title: string;
  builtin: boolean;
  manyPipelines: boolean;
  pipelines: number;
  createdAt: string;
}

/** A stage of a pipeline: its name, place and semantic. */
export type Stage = StageRow;

export interface Pipeline {
  id: number;
  type: string;
  name: string;
  isDefault: boolean;
  stages: Stage[];
  createdAt: string;
}

export const semantics: Semantic[] = ['process', 'success', 'failure'];

/** A pipeline or stage that cannot be removed while items are in it. */
export class HoldsItemsError extends ConflictError {
  constructor(
    readonly what: 'pipeline' | 'stage',
    readonly removed: string,
  ) {
    super(`${what} "${removed}" holds items: they must move elsewhere first`);
  }
}

/** A pipeline name that several pipelines (of different types) have. */
export class AmbiguousPipelineError extends UsageError {
  /** Which pipelines: `several pipelines are called "X" (deal #1, invoice #4)`. */
  readonly candidates: string;

  constructor(ref: string, matches: { type: string; id: number }[]) {
    const candidates = `several pipelines are called "${ref}" (${matches.map((p) => `${p.type} #${p.id}`).join(', ')})`;
    super(`${candidates}: name its type, or give its id`);
    this.candidates = candidates;
  }
}

/** A list of stages for a new pipeline with no stage that is not final. */
export class NoOpenStageError extends UsageError {
  constructor() {
    super('a pipeline needs at least one stage that is not final');
  }
}

type StageSpec = [name: string, semantic: Semantic];

const defaultStages: Record<string, StageSpec[]> = {
  lead: [
    ['New', 'process'],
    ['In progress', 'process'],
    ['Processed', 'process'],
    ['Good lead', 'success'],
    ['Junk lead', 'failure'],
  ],
  deal: [
    ['New', 'process'],
    ['Preparing documents', 'process'],
    ['Prepayment invoice', 'process'],
    ['In progress', 'process'],
    ['Final invoice', 'process'],
    ['Won', 'success'],
    ['Lost', 'failure'],
  ],
  quote: [
    ['Draft', 'process'],
    ['Sent to client', 'process'],
    ['Approved', 'success'],
    ['Declined', 'failure'],
  ],
  invoice: [
    ['New', 'process'],
    ['Sent', 'process'],
    ['Paid', 'success'],
    ['Cancelled', 'failure'],
  ],
};

const smartProcessStages: StageSpec[] = [
  ['New', 'process'],
  ['In progress', 'process'],
  ['Success', 'success'],
  ['Failure', 'failure'],
];

const builtinTypes = [
  { name: 'lead', title: 'Lead', manyPipelines: false },
  { name: 'deal', title: 'Deal', manyPipelines: true },
  { name: 'quote', title: 'Quote', manyPipelines: false },
  { name: 'invoice', title: 'Invoice', manyPipelines: false },
];

/** Names that are record kinds without pipelines, so no smart process may take them. */
const reservedTypeNames = ['contact', 'company', 'user', 'role', 'pipeline', 'stage'];

function toType(row: TypeRow): EntityType {
  return { ...row, builtin: row.builtin === 1, manyPipelines: row.manyPipelines === 1 };
}

function toPipeline(db: Database, row: PipelineRow): Pipeline {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    isDefault: row.is_default === 1,
    stages: selectStages(db, row.id),
    createdAt: row.created_at,
  };
}

/** Seeds the built-in entity types, each with its default pipeline; part of setting up a new store. */
export function createBuiltinTypes(session: Session): void {
  for (const type of builtinTypes) {
    insertType(session.db, { ...type, builtin: true, createdAt: nowIso(session) });
    createPipelineRows(session, type.name, 'Default', true, stageSpecsOf(type.name));
  }
}

export function listTypes(session: Session): EntityType[] {
  return selectTypes(session.db).map(toType);
}

export function requireType(session: Session, name: string): EntityType {
  const row = selectType(session.db, name);
  if (!row) {
    const known = selectTypes(session.db)
      .map((t) => t.name)
      .join(', ');
    throw new NotFoundError(`no entity type "${name}"; types: ${known}`);
  }
  return toType(row);
}

export interface AddTypeOptions {
  name: string;
  title?: string;
}

/** Adds a smart process type with its default pipeline. */
export function addType(session: Session, options: AddTypeOptions): EntityType {
  if (!/^[a-z][a-z0-9-]{1,39}$/.test(options.name) || reservedTypeNames.includes(options.name)) {
    throw new UsageError(
      `"${options.name}" is not a usable type name: lower-case letters, digits and '-', 2 to 40, not one of ${reservedTypeNames.join(', ')}`,
    );
  }
  const title = checkDisplayText(options.title ?? options.name, 'a type title', {
    min: 1,
    max: 100,
  });
  session.requireWrite();
  if (selectType(session.db, options.name)) {
    throw new ConflictError(`entity type "${options.name}" already exists`);
  }
  const id = insertType(session.db, {
    name: options.name,
    title,
    builtin: false,
    manyPipelines: true,
    createdAt: nowIso(session),
  });
  createPipelineRows(session, options.name, 'Default', true, smartProcessStages);
  recordChange(session, {
    action: 'created',
    entity: { type: 'entity-type', id },
    changes: { name: options.name },
  });
  return requireType(session, options.name);
}

export function listPipelines(session: Session, type?: string): Pipeline[] {
  if (type !== undefined) requireType(session, type);
  return selectPipelines(session.db, type).map((row) => toPipeline(session.db, row));
}

/**
 * Finds a pipeline by id or name (case-insensitive). Without a reference, the default
 * pipeline of `type` (deal when no type is given).
 */
export function getPipeline(session: Session, ref: string | undefined, type?: string): Pipeline {
  return toPipeline(session.db, resolvePipeline(session, ref, type));
}

export interface AddPipelineOptions {
  type: string;
  name: string;
  /** Stage names, each optionally suffixed `:success` or `:failure`. */
  stages?: string[];
}

export function addPipeline(session: Session, options: AddPipelineOptions): Pipeline {
  const name = checkName(options.name, 'pipeline');
  const specs = options.stages ? parseStageSpecs(options.stages, options.type) : undefined;
  session.requireWrite();
  const type = requireType(session, options.type);
  if (!type.manyPipelines && type.pipelines > 0) {
    throw new ConflictError(`a ${type.name} has exactly one pipeline; add stages to it instead`);
  }
  if (pipelineNameTaken(session.db, type.name, name)) {
    throw new ConflictError(`${type.name} pipeline "${name}" already exists`);
  }
  const id = createPipelineRows(session, type.name, name, false, specs ?? stageSpecsOf(type.name));
  recordChange(session, {
    action: 'created',
    entity: { type: 'pipeline', id },
    changes: { type: type.name, name },
  });
  return getPipeline(session, String(id));
}

export function renamePipeline(
  session: Session,
  ref: string,
  newName: string,
  type?: string,
): Pipeline {
  const name = checkName(newName, 'pipeline');
  session.requireWrite();
  const pipeline = resolvePipeline(session, ref, type);
  if (pipeline.name === name) return toPipeline(session.db, pipeline);
  if (
    pipeline.name.toLowerCase() !== name.toLowerCase() &&
    pipelineNameTaken(session.db, pipeline.type, name)
  ) {
    throw new ConflictError(`${pipeline.type} pipeline "${name}" already exists`);
  }
  updatePipelineName(session.db, pipeline.id, name);
  recordChange(session, {
    action: 'renamed',
    entity: { type: 'pipeline', id: pipeline.id },
    changes: { name: { from: pipeline.name, to: name } },
  });
  return getPipeline(session, String(pipeline.id));
}

/** Removes a pipeline that holds no items (the caller moves them first). */
export function removePipeline(session: Session, ref: string, type?: string): Pipeline {
  session.requireWrite();
  const pipeline = toPipeline(session.db, resolvePipeline(session, ref, type));
  if (pipeline.isDefault) {
    throw new ConflictError(
      `"${pipeline.name}" is the default ${pipeline.type} pipeline and cannot be removed`,
    );
  }
  refuseIfHoldsItems(() => deletePipeline(session.db, pipeline.id), 'pipeline', pipeline.name);
  recordChange(session, {
    action: 'deleted',
    entity: { type: 'pipeline', id: pipeline.id },
    changes: { type: pipeline.type, name: pipeline.name },
  });
  return pipeline;
}

export function listStages(session: Session, pipelineRef?: string, type?: string): Stage[] {
  return getPipeline(session, pipelineRef, type).stages;
}

/** The stage `ref` names in a pipeline: by id, or by name (case-insensitive). */
export function stageOf(pipeline: Pipeline, ref: string): Stage {
  const found = findStageRow(pipeline.stages, ref);
  if (!found) throw new NotFoundError(stageNotFound(ref, pipeline.name, pipeline.stages));
  return found;
}

/**
 * The stage `ref` names among `stages`: by id when it is digits only (a name never is, though an
 * older store may hold one: that stage is addressed by its id), else by name, case-insensitive.
 */
function findStageRow(stages: Stage[], ref: string): Stage | undefined {
  const wanted = ref.trim();
  if (wanted === '') throw new UsageError('name a stage (its name or id), not an empty one');
  if (isIdReference(wanted)) return stages.find((s) => String(s.id) === wanted);
  return stages.find((s) => s.name.toLowerCase() === wanted.toLowerCase());
}

/** "no stage …; stages: …", pointing at a stage whose old numeric name was meant. */
function stageNotFound(ref: string, pipelineName: string, stages: Stage[]): string {
  const wanted = ref.trim();
  const named = isIdReference(wanted) ? stages.find((s) => s.name === wanted) : undefined;
  const hint = named
    ? `; stage #${named.id} is named "${named.name}": give its id, or rename it`
    : '';
  return `no stage "${ref}" in pipeline "${pipelineName}"${hint}; stages: ${stages.map((s) => s.name).join(', ')}`;
}

function getStageById(session: Session, id: number): Stage {
  const row = selectStageById(session.db, id);
  if (!row) throw new NotFoundError(`no stage with id ${id}`);
  return row;
}

/** The stage new items start in: the first stage of the pipeline. */
export function firstStage(pipeline: Pipeline): Stage {
  const [first] = pipeline.stages;
  if (!first) throw new NotFoundError(`pipeline ${pipeline.id} has no stages`);
  return first;
}

export interface AddStageOptions {
  pipeline?: string;
  type?: string;
  name: string;
  after?: string;
  semantic?: Semantic;
}

export function addStage(session: Session, options: AddStageOptions): Stage {
  const name = checkName(options.name, 'stage');
  const semantic = options.semantic ?? 'process';
  session.requireWrite();
  const pipeline = getPipeline(session, options.pipeline, options.type);
  if (pipeline.stages.some((s) => s.name.toLowerCase() === name.toLowerCase())) {
    throw new ConflictError(`pipeline "${pipeline.name}" already has a stage "${name}"`);
  }
  if (semantic === 'success') {
    const success = pipeline.stages.find((s) => s.semantic === 'success');
    throw new ConflictError(
      `pipeline "${pipeline.name}" already has its one success stage "${success?.name}"`,
    );
  }
  const order = pipeline.stages.map((s) => ({ id: s.id, semantic: s.semantic, name: s.name }));
  const index = options.after
    ? order.findIndex((s) => s.id === stageOf(pipeline, options.after ?? '').id) + 1
    : defaultInsertIndex(order, semantic);
  const id = insertStage(session.db, {
    pipelineId: pipeline.id,
    name,
    position: index,
    semantic,
  });
  order.splice(index, 0, { id, semantic, name });
  saveStageOrder(session, order, pipeline.name);
  recordChange(session, {
    action: 'created',
    entity: { type: 'stage', id },
    changes: { pipeline: pipeline.name, name, semantic, position: index },
  });
  return getStageById(session, id);
}

export interface StageRefOptions {
  pipeline?: string;
  type?: string;
  stage: string;
}

export function renameStage(session: Session, options: StageRefOptions, newName: string): Stage {
  const name = checkName(newName, 'stage');
  session.requireWrite();
  const pipeline = getPipeline(session, options.pipeline, options.type);
  const stage = stageOf(pipeline, options.stage);
  const clash = pipeline.stages.find(
    (s) => s.id !== stage.id && s.name.toLowerCase() === name.toLowerCase(),
  );
  if (clash) throw new ConflictError(`pipeline "${pipeline.name}" already has a stage "${name}"`);
  if (stage.name === name) return stage;
  updateStageName(session.db, stage.id, name);
  recordChange(session, {
    action: 'renamed',
    entity: { type: 'stage', id: stage.id },
    changes: { name: { from: stage.name, to: name } },
  });
  return getStageById(session, stage.id);
}

export interface MoveStageOptions extends StageRefOptions {
  /** Place it right after this stage; without it, first. */
  after?: string;
}

export function moveStage(session: Session, options: MoveStageOptions): Stage[] {
  session.requireWrite();
  const pipeline = getPipeline(session, options.pipeline, options.type);
  const stage = stageOf(pipeline, options.stage);
  const order = pipeline.stages.filter((s) => s.id !== stage.id);
  const index = options.after
    ? order.findIndex((s) => s.id === stageOf(pipeline, options.after ?? '').id) + 1
    : 0;
  if (options.after && index === 0) {
    throw new UsageError('a stage cannot be placed after itself');
  }
  order.splice(index, 0, stage);
  saveStageOrder(session, order, pipeline.name);
  recordChange(session, {
    action: 'moved',
    entity: { type: 'stage', id: stage.id },
    changes: { position: { from: stage.position, to: index } },
  });
  return listStages(session, String(pipeline.id));
}

/** Removes a stage that holds no items (the caller moves them first). */
export function removeStage(session: Session, options: StageRefOptions): Stage {
  session.requireWrite();
  const pipeline = getPipeline(session, options.pipeline, options.type);
  const stage = stageOf(pipeline, options.stage);
  saveStageOrder(
    session,
    pipeline.stages.filter((s) => s.id !== stage.id),
    pipeline.name,
  );
  refuseIfHoldsItems(() => deleteStage(session.db, stage.id), 'stage', stage.name);
  recordChange(session, {
    action: 'deleted',
    entity: { type: 'stage', id: stage.id },
    changes: { pipeline: pipeline.name, name: stage.name, semantic: stage.semantic },
  });
  return stage;
}

/**
 * The stage of `target` pipeline that corresponds to `stage`: the one with the same name,
 * else the first with the same semantic. Used when items change pipeline.
 */
export function matchingStage(stage: Pick<Stage, 'name' | 'semantic'>, target: Pipeline): Stage {
  const match =
    target.stages.find((s) => s.name.toLowerCase() === stage.name.toLowerCase()) ??
    target.stages.find((s) => s.semantic === stage.semantic) ??
    target.stages[0];
  if (!match) throw new NotFoundError(`pipeline ${target.id} has no stages`);
  return match;
}

function resolvePipeline(session: Session, ref: string | undefined, type?: string): PipelineRow {
  const { db } = session;
  if (type !== undefined) requireType(session, type);
  // Given but empty is a mistake, never "the default pipeline" (pipeline rename "" X).
  if (ref?.trim() === '')
    throw new UsageError('name a pipeline (its name or id), not an empty one');
  if (ref === undefined) {
    const fallbackType = type ?? 'deal';
    const row = selectDefaultPipeline(db, fallbackType);
    if (!row) throw new NotFoundError(`no default ${fallbackType} pipeline`);
    return row;
  }
  const wanted = ref.trim();
  if (isIdReference(wanted)) {
    const row = wanted.length <= 15 ? selectPipelineById(db, Number(wanted)) : undefined;
    if (row && (type === undefined || row.type === type)) return row;
    const named = selectPipelinesByName(db, wanted).filter(
      (p) => type === undefined || p.type === type,
    );
    throw new NotFoundError(
      `no ${type ?? ''}${type ? ' ' : ''}pipeline with id ${wanted}${named.map((p) => `; pipeline #${p.id} is named "${p.name}": give its id, or rename it`).join('')}`,
    );
  }
  const matches = selectPipelinesByName(db, wanted).filter(
    (p) => type === undefined || p.type === type,
  );
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length > 1) throw new AmbiguousPipelineError(ref, matches);
  const known = selectPipelines(db, type)
    .map((p) => `${p.name} (${p.type} #${p.id})`)
    .join(', ');
  throw new NotFoundError(`no pipeline "${ref}"; pipelines: ${known}`);
}

function createPipelineRows(
  session: Session,
  type: string,
  name: string,
  isDefault: boolean,
  stages: StageSpec[],
): number {
  const { db } = session;
  checkStageOrder(
    stages.map(([stageName, semantic]) => ({ name: stageName, semantic })),
    name,
  );
  const id = insertPipeline(db, { type, name, isDefault, createdAt: nowIso(session) });
  stages.forEach(([stageName, semantic], position) => {
    insertStage(db, { pipelineId: id, name: stageName, position, semantic });
  });
  return id;
}

function stageSpecsOf(type: string): StageSpec[] {
  return (
    (Object.hasOwn(defaultStages, type) ? defaultStages[type] : undefined) ?? smartProcessStages
  );
}

/**
 * `New,Measure,Won:success,Lost:failure`: names with optional semantics, in order
 * (finals last, or the pipeline is refused). Without a success or failure stage, the type's
 * default final stages are added.
 */
function parseStageSpecs(names: string[], type: string): StageSpec[] {
  const specs: StageSpec[] = names.map((entry) => {
    const match = /^(.*):(process|success|failure)$/i.exec(entry);
    const name = checkName(match ? (match[1] ?? '') : entry, 'stage');
    return [name, (match?.[2]?.toLowerCase() ?? 'process') as Semantic];
  });
  const seen = new Set<string>();
  for (const [name] of specs) {
    if (seen.has(name.toLowerCase())) throw new UsageError(`stage "${name}" is listed twice`);
    seen.add(name.toLowerCase());
  }
  if (!specs.some(([, semantic]) => semantic === 'process')) throw new NoOpenStageError();
  // Missing finals come from the type's defaults: the success stage before the first failure.
  const defaults = stageSpecsOf(type).filter(([name]) => !seen.has(name.toLowerCase()));
  const result = [...specs];
  if (!specs.some(([, s]) => s === 'success')) {
    const success = defaults.find(([, s]) => s === 'success');
    const firstFailure = result.findIndex(([, s]) => s === 'failure');
    if (success) result.splice(firstFailure === -1 ? result.length : firstFailure, 0, success);
  }
  if (!specs.some(([, s]) => s === 'failure')) {
    result.push(...defaults.filter(([, s]) => s === 'failure'));
  }
  return result;
}

function defaultInsertIndex(order: { semantic: Semantic }[], semantic: Semantic): number {
  if (semantic === 'failure') return order.length;
  const firstFinal = order.findIndex((s) => s.semantic !== 'process');
  return firstFinal === -1 ? order.length : firstFinal;
}

/** Stores the order of a pipeline's stages, once it is one a pipeline may have. */
function saveStageOrder(
  session: Session,
  order: { id: number; name: string; semantic: Semantic }[],
  pipelineName: string,
): void {
  checkStageOrder(order, pipelineName);
  updateStagePositions(
    session.db,
    order.map((s) => s.id),
  );
}

/** Process stages first, then the one success stage, then at least one failure stage. */
function checkStageOrder(order: { name: string; semantic: Semantic }[], pipelineName: string) {
  const successes = order.filter((s) => s.semantic === 'success').length;
  const failures = order.filter((s) => s.semantic === 'failure').length;
  if (successes !== 1) {
    throw new ConflictError(`pipeline "${pipelineName}" must keep exactly one success stage`);
  }
  if (failures < 1) {
    throw new ConflictError(`pipeline "${pipelineName}" must keep at least one failure stage`);
  }
  const rank = { process: 0, success: 1, failure: 2 };
  for (let i = 1; i < order.length; i++) {
    const before = order[i - 1];
    const current = order[i];
    if (before && current && rank[current.semantic] < rank[before.semantic]) {
      throw new ConflictError(
        `stage "${current.name}" (${current.semantic}) cannot come after "${before.name}" (${before.semantic}): final stages come last, success before failures`,
      );
    }
  }
}

function pipelineNameTaken(db: Database, type: string, name: string): boolean {
  return selectPipelinesByName(db, name).some((p) => p.type === type);
}

/**
 * Pipeline and stage names: display text that is not all digits, since a reference of digits
 * only is an id (a pipeline called "7" would be a trap for `pipeline remove 7`).
 */
function checkName(name: string, what: 'pipeline' | 'stage'): string {
  const checked = checkDisplayText(name, `a ${what} name`, { min: 1, max: 100 });
  if (isIdReference(checked)) {
    throw new UsageError(
      `a ${what} name cannot be only digits ("${checked}"): numbers address ${what}s by id`,
    );
  }
  return checked;
}

/** A reference of ASCII digits only is an id, never a name (DESIGN §1). */
function isIdReference(ref: string): boolean {
  return /^\d+$/.test(ref.trim());
}

function refuseIfHoldsItems(remove: () => void, what: 'pipeline' | 'stage', name: string): void {
  try {
    remove();
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      throw new HoldsItemsError(what, name);
    }
    throw error;
  }
}
