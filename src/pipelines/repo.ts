import { given, statement, whereOf } from '../store/sql.js';
import type { Database } from '../store/store.js';

export type Semantic = 'process' | 'success' | 'failure';

/** An entity type with how many pipelines it has; the flags are 0 or 1. */
export interface TypeRow {
  id: number;
  name: string;
  title: string;
  builtin: number;
  manyPipelines: number;
  pipelines: number;
  createdAt: string;
}

export interface PipelineRow {
  id: number;
  type: string;
  name: string;
  is_default: number;
  created_at: string;
}

export interface StageRow {
  id: number;
  pipelineId: number;
  name: string;
  position: number;
  semantic: Semantic;
}

const typeSelect = `
  SELECT t.id, t.name, t.title, t.builtin, t.many_pipelines AS manyPipelines,
    (SELECT count(*) FROM pipelines p WHERE p.type = t.name) AS pipelines, t.created_at AS createdAt
  FROM entity_types t`;

const stageSelect = 'SELECT id, pipeline_id AS pipelineId, name, position, semantic FROM stages';

export function selectTypes(db: Database): TypeRow[] {
  return statement(
    db,
    `${typeSelect} ORDER BY t.builtin DESC, t.created_at, t.name`,
  ).all() as TypeRow[];
}

export function selectType(db: Database, name: string): TypeRow | undefined {
  return statement(db, `${typeSelect} WHERE t.name = ?`).get(name) as TypeRow | undefined;
}

export function insertType(
  db: Database,
  type: {
    name: string;
    title: string;
    builtin: boolean;
    manyPipelines: boolean;
    createdAt: string;
  },
): number {
  const result = statement(
    db,
    'INSERT INTO entity_types (name, title, builtin, many_pipelines, created_at) VALUES (?, ?, ?, ?, ?)',
  ).run(type.name, type.title, type.builtin ? 1 : 0, type.manyPipelines ? 1 : 0, type.createdAt);
  return Number(result.lastInsertRowid);
}

export function selectPipelines(db: Database, type?: string): PipelineRow[] {
  const { clause, params } = whereOf([given(type, 'type = @type')]);
  return db
    .prepare(`SELECT * FROM pipelines ${clause} ORDER BY type, id`)
    .all(params) as PipelineRow[];
}

export function selectPipelineById(db: Database, id: number): PipelineRow | undefined {
  return statement(db, 'SELECT * FROM pipelines WHERE id = ?').get(id) as PipelineRow | undefined;
}

export function selectPipelinesByName(db: Database, name: string): PipelineRow[] {
  return statement(db, 'SELECT * FROM pipelines WHERE name = ? COLLATE NOCASE ORDER BY id').all(
    name,
  ) as PipelineRow[];
}

export function selectDefaultPipeline(db: Database, type: string): PipelineRow | undefined {
  return statement(db, 'SELECT * FROM pipelines WHERE type = ? AND is_default = 1').get(type) as
    | PipelineRow
    | undefined;
}

export function insertPipeline(
  db: Database,
  pipeline: { type: string; name: string; isDefault: boolean; createdAt: string },
): number {
  const result = statement(
    db,
    'INSERT INTO pipelines (type, name, is_default, created_at) VALUES (?, ?, ?, ?)',
  ).run(pipeline.type, pipeline.name, pipeline.isDefault ? 1 : 0, pipeline.createdAt);
  return Number(result.lastInsertRowid);
}

export function updatePipelineName(db: Database, id: number, name: string): void {
  statement(db, 'UPDATE pipelines SET name = ? WHERE id = ?').run(name, id);
}

export function deletePipeline(db: Database, id: number): void {
  statement(db, 'DELETE FROM pipelines WHERE id = ?').run(id);
}

export function selectStages(db: Database, pipelineId: number): StageRow[] {
  return statement(db, `${stageSelect} WHERE pipeline_id = ? ORDER BY position, id`).all(
    pipelineId,
  ) as StageRow[];
}

export function selectStageById(db: Database, id: number): StageRow | undefined {
  return statement(db, `${stageSelect} WHERE id = ?`).get(id) as StageRow | undefined;
}

export function insertStage(
  db: Database,
  stage: { pipelineId: number; name: string; position: number; semantic: Semantic },
): number {
  const result = statement(
    db,
    'INSERT INTO stages (pipeline_id, name, position, semantic) VALUES (?, ?, ?, ?)',
  ).run(stage.pipelineId, stage.name, stage.position, stage.semantic);
  return Number(result.lastInsertRowid);
}

export function updateStageName(db: Database, id: number, name: string): void {
  statement(db, 'UPDATE stages SET name = ? WHERE id = ?').run(name, id);
}

export function updateStagePositions(db: Database, orderedIds: number[]): void {
  const update = statement(db, 'UPDATE stages SET position = ? WHERE id = ?');
  orderedIds.forEach((id, position) => {
    update.run(position, id);
  });
}

export function deleteStage(db: Database, id: number): void {
  statement(db, 'DELETE FROM stages WHERE id = ?').run(id);
}
