import type { SeedInitiative, SeedWorkstream } from '../../seeds/seed.types.js';
import { MAX_BULK } from '../domain/errors.js';
import type { Em } from '../db/em.js';
import { findAllInitiatives } from '../db/queries/initiative.queries.js';
import { createInitiative } from './create-initiative.js';
import { createItems } from './create-items.js';
import { createWorkstream } from './create-workstream.js';
import { loadSeedExtras, loadSeedStages, type SeededShape } from './load-seed-extras.js';
import { runWrite } from './write-pipeline/run-write.js';
import { operatorContext } from './write-pipeline/write-context.js';

export interface LoadSeedProps {
  readonly em: Em;
  readonly initiatives: readonly SeedInitiative[];
  readonly actor?: string;
}

/**
 * Loads seed initiatives through the same write pipeline a user's writes take, so counters and
 * the change log are exactly what live use would have produced; a seed with `effectiveAt` is
 * logged as effective then (the week-20 report: 2023-05-13).
 */
export async function loadSeed(
  props: LoadSeedProps,
): Promise<{ initiatives: number; items: number }> {
  const ctx = operatorContext(props.em, props.actor ?? 'seed');
  let items = 0;
  let shape: { workstreams: Map<string, number>; staged: SeededShape['staged'][number][] };
  const addWorkstream = async (
    initiativeId: number,
    parentId: number | null,
    ws: SeedWorkstream,
    effectiveAt: Date | null,
  ) => {
    const created = await runWrite(ctx, createWorkstream, {
      initiativeId,
      parentId,
      name: ws.name,
      phase: ws.phase,
      weight: ws.weight,
      manualPercent: ws.manualPercent,
      targetDate: ws.targetDate,
      reportDetail: ws.reportDetail,
      effectiveAt,
    });
    if (!shape.workstreams.has(ws.name)) shape.workstreams.set(ws.name, created.id);
    for (let i = 0; i < (ws.items?.length ?? 0); i += MAX_BULK) {
      const batch = ws.items!.slice(i, i + MAX_BULK);
      const made = await runWrite(ctx, createItems, {
        workstreamId: created.id,
        items: batch,
        effectiveAt,
      });
      batch.forEach((item, k) => {
        if (item.stage)
          shape.staged.push({
            itemId: made[k]!.id,
            stage: item.stage,
            note: item.stageNote,
            since: item.stageSince,
          });
      });
      items += batch.length;
    }
    for (const child of ws.children ?? [])
      await addWorkstream(initiativeId, created.id, child, effectiveAt);
  };
  for (const seed of props.initiatives) {
    const effectiveAt = seed.effectiveAt ? new Date(seed.effectiveAt) : null;
    const initiative = await runWrite(ctx, createInitiative, {
      key: seed.key,
      name: seed.name,
      objective: seed.objective,
      phase: seed.phase,
      targetDate: seed.targetDate,
      statusLabels: seed.statusLabels,
      reportLowPercentBucket: seed.reportLowPercentBucket,
      effectiveAt,
    });
    shape = { workstreams: new Map(), staged: [] };
    await loadSeedStages(ctx, seed, initiative.id, effectiveAt);
    for (const ws of seed.workstreams) await addWorkstream(initiative.id, null, ws, effectiveAt);
    await loadSeedExtras(ctx, seed, { initiativeId: initiative.id, ...shape }, effectiveAt);
  }
  return { initiatives: props.initiatives.length, items };
}

/** Loads the seed only into a database that has no initiative yet; says whether it did. */
export async function seedIfEmpty(props: LoadSeedProps): Promise<boolean> {
  if ((await findAllInitiatives(props.em)).length > 0) return false;
  await loadSeed(props);
  return true;
}
