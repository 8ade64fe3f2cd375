import { moveItems } from '../items/service.js';
import { getPipeline } from '../pipelines/service.js';
import { type AutomationChain, type Cause, type Session, systemLogin } from '../session.js';

/**
 * DESIGN §2 loop guard: a chain of automatic stage changes from one cause stops after this many
 * hops (and a rule runs at most once per item per chain, see engine.ts).
 */
export const maxHops = 20;

/** Why an automatic move was refused: the guard's sentence, naming the stages of the loop. */
export class LoopStop {
  constructor(readonly detail: string) {}
}

/** `New → Spam → New`: the stages a chain went through, by name. */
export function chainStages(session: Session, pipelineId: number, path: readonly number[]): string {
  const names = new Map(
    getPipeline(session, String(pipelineId)).stages.map((stage) => [stage.id, stage.name]),
  );
  const shown = path.length > 12 ? [...path.slice(0, 5), -1, ...path.slice(-6)] : path;
  return shown.map((id) => (id === -1 ? '…' : (names.get(id) ?? `#${id}`))).join(' → ');
}

/**
 * The stages of the loop a chain went round: from the last visit of the stage it came back to,
 * to that stage again (`Spam → New → Spam`); the whole path when it has not come back yet.
 */
export function loopStages(session: Session, pipelineId: number, path: readonly number[]): string {
  const last = path.at(-1);
  const first = last === undefined ? -1 : path.lastIndexOf(last, path.length - 2);
  const loop = first >= 0 && first < path.length - 1 ? path.slice(first) : path;
  return chainStages(session, pipelineId, loop);
}

/** The guard's stop when the chain has made its last allowed hop; undefined while it may go on. */
export function hopLimitReached(
  session: Session,
  chain: AutomationChain,
  pipelineId: number,
  stageId: number,
): LoopStop | undefined {
  if (chain.hop < maxHops) return undefined;
  return new LoopStop(
    `loop guard: stopped after ${maxHops} automatic stage changes from one cause; the loop goes through ${loopStages(session, pipelineId, [...chain.path, stageId])}`,
  );
}

/** An item as the automation moves it: its id and its pipeline. */
export interface Movable {
  id: number;
  pipeline: { id: number };
}

/**
 * Moves an item as the automation (the system actor, with `cause`), one hop further along its
 * chain, unless the chain has made its last allowed hop: then nothing moves and the guard's
 * sentence comes back.
 */
export function automaticMove(
  session: Session,
  cause: Cause,
  chain: AutomationChain,
  item: Movable,
  stageId: number,
): LoopStop | { moved: boolean } {
  const stop = hopLimitReached(session, chain, item.pipeline.id, stageId);
  if (stop) return stop;
  const mover = session.as({
    login: systemLogin,
    cause,
    command: session.actor.command,
    chain: { id: chain.id, hop: chain.hop + 1, path: [...chain.path, stageId] },
  });
  const result = moveItems(mover, { ids: [item.id], stage: String(stageId) });
  return { moved: result.moved > 0 };
}
