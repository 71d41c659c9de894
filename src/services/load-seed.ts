import type { SeedInitiative, SeedWorkstream } from '../../seeds/seed.types.js';
import { MAX_BULK } from '../domain/errors.js';
import type { Em } from '../db/orm.js';
import { findAllInitiatives } from '../db/queries/initiative.queries.js';
import { createInitiative } from './create-initiative.js';
import { createItems } from './create-items.js';
import { createWorkstream } from './create-workstream.js';

export interface LoadSeedProps {
  readonly em: Em;
  readonly initiatives: readonly SeedInitiative[];
  readonly actor?: string;
}

/**
 * Loads seed initiatives through the same services a user calls, so counters and the change
 * log are exactly what live use would have produced.
 */
export async function loadSeed(
  props: LoadSeedProps,
): Promise<{ initiatives: number; items: number }> {
  const actor = props.actor ?? 'seed';
  let items = 0;
  const addWorkstream = async (
    initiativeId: number,
    parentId: number | null,
    ws: SeedWorkstream,
  ) => {
    const created = await createWorkstream({
      em: props.em,
      initiativeId,
      parentId,
      name: ws.name,
      phase: ws.phase,
      weight: ws.weight,
      manualPercent: ws.manualPercent,
      targetDate: ws.targetDate,
      reportDetail: ws.reportDetail,
    });
    for (let i = 0; i < (ws.items?.length ?? 0); i += MAX_BULK) {
      const batch = ws.items!.slice(i, i + MAX_BULK);
      await createItems({ em: props.em, workstreamId: created.id, items: batch, actor });
      items += batch.length;
    }
    for (const child of ws.children ?? []) await addWorkstream(initiativeId, created.id, child);
  };
  for (const seed of props.initiatives) {
    const initiative = await createInitiative({
      em: props.em,
      key: seed.key,
      name: seed.name,
      objective: seed.objective,
      phase: seed.phase,
      targetDate: seed.targetDate,
      statusLabels: seed.statusLabels,
      reportLowPercentBucket: seed.reportLowPercentBucket,
    });
    for (const ws of seed.workstreams) await addWorkstream(initiative.id, null, ws);
  }
  return { initiatives: props.initiatives.length, items };
}

/** Loads the seed only into a database that has no initiative yet; says whether it did. */
export async function seedIfEmpty(props: LoadSeedProps): Promise<boolean> {
  if ((await findAllInitiatives(props.em)).length > 0) return false;
  await loadSeed(props);
  return true;
}
