import { INITIATIVE_NODE, type FigureValue } from '../../domain/live-events.js';
import type { InitiativeRecord } from '../records.js';
import { idsOfPath } from '../../domain/live-figures.js';
import type { Em } from '../em.js';
import { transactionStatement } from '../prepared.js';
import type { PublishedFigures } from '../published-figures.js';
import type { KeptStatementsConnection } from '../sqlite-driver.js';
import { findInitiativesByIds } from './initiative.queries.js';
import { readFigureStates } from './outbox.queries.js';
import { inSlices, placeholders } from './sql.js';

/** What a write reads to publish its figures (readFigureInputs, on either database). */
export interface FigureInputs {
  readonly initiative: InitiativeRecord | null;
  /** The live workstreams among those asked for, each with its path's ids (itself last). */
  readonly paths: ReadonlyMap<number, readonly number[]>;
  /** The figures last published for the initiative node and every node on those paths. */
  readonly figures: Map<number, FigureValue>;
}

/** The published figures a SQLite connection keeps, when `em` is in a write transaction. */
export function keptFigures(em: Em): PublishedFigures | undefined {
  const figures = (em.getConnection() as unknown as KeptStatementsConnection).publishedFigures;
  return figures?.open() ? figures : undefined;
}

/**
 * `readFigureInputs` on SQLite (and on PostgreSQL past one statement's ids): what is kept from earlier writes is taken from there, the rest
 * read (and noted, to be kept if the write commits).
 */
export async function readFigureInputsKept(
  em: Em,
  initiativeId: number,
  workstreamIds: readonly number[],
): Promise<FigureInputs> {
  const kept = keptFigures(em);
  let initiative = kept?.initiative(initiativeId);
  if (!initiative) {
    [initiative] = await findInitiativesByIds(em, [initiativeId]);
    if (initiative) kept?.readInitiative(initiative);
  }
  const paths = new Map<number, readonly number[]>();
  const unknownPaths: number[] = [];
  for (const id of workstreamIds) {
    const path = kept?.path(initiativeId, id);
    if (path) paths.set(id, path);
    else unknownPaths.push(id);
  }
  if (unknownPaths.length > 0) {
    // An import into tens of thousands of new workstreams names more than a statement takes.
    const rows = await inSlices(unknownPaths, (slice) =>
      transactionStatement(
        em,
        `select id, path from workstream where id in (${placeholders(slice)}) and deleted_at is null`,
        slice,
        'all',
      ),
    );
    for (const r of rows) {
      const path = idsOfPath(String(r.path));
      paths.set(Number(r.id), path);
      kept?.readPath(initiativeId, Number(r.id), path);
    }
  }
  const figures = new Map<number, FigureValue>();
  const unknownFigures = new Set<number>();
  const want = (node: number) => {
    if (figures.has(node) || unknownFigures.has(node)) return;
    const value = kept?.figure(initiativeId, node);
    if (value) figures.set(node, value);
    else unknownFigures.add(node);
  };
  want(INITIATIVE_NODE);
  for (const path of paths.values()) for (const node of path) want(node);
  if (unknownFigures.size > 0) {
    for (const [node, value] of await readFigureStates(em, initiativeId, [...unknownFigures])) {
      figures.set(node, value);
      kept?.readFigure(initiativeId, node, value);
    }
  }
  return { initiative: initiative ?? null, paths, figures };
}
