import type { Em } from '../em.js';
import { ms, timeParam } from './as-of.queries.js';
import { placeholders } from './sql.js';

/*
 * What a write with an effective time is checked against (write-pipeline/assert-in-order.ts,
 * structure-order.ts): the latest time already logged for what it changes.
 */

/** The latest effective time logged for each object (items, workstreams, initiatives). */
export async function findLatestEffective(
  em: Em,
  ids: { items: readonly number[]; workstreams: readonly number[]; initiatives: readonly number[] },
): Promise<{ kind: 'item' | 'workstream' | 'initiative'; id: number; latest: number }[]> {
  const out: { kind: 'item' | 'workstream' | 'initiative'; id: number; latest: number }[] = [];
  const read = async (kind: (typeof out)[number]['kind'], list: readonly number[], sql: string) => {
    if (list.length === 0) return;
    for (const r of await em.execute(sql.replace('$IN', placeholders(list)), [...list]))
      out.push({ kind, id: Number(r.id), latest: ms(r.latest) });
  };
  await read(
    'item',
    ids.items,
    'select item_id as id, max(effective_at) as latest from change_log where item_id in ($IN) group by item_id',
  );
  // A workstream's structure rows: PostgreSQL reads them on change_log_workstream_structure_index
  // (it had combined the (workstream_id, id) index with every row of the table without an
  // item); SQLite keeps to (workstream_id, id), the workstream's own log.
  await read(
    'workstream',
    ids.workstreams,
    'select workstream_id as id, max(effective_at) as latest from change_log where workstream_id in ($IN) and item_id is null group by workstream_id',
  );
  // An initiative's own rows (no workstream, so no item) on change_log_workstream_structure_index:
  // SQLite read the initiative's whole log for them (200,000 rows: 37 ms).
  await read(
    'initiative',
    ids.initiatives,
    'select initiative_id as id, max(effective_at) as latest from change_log where initiative_id in ($IN) and workstream_id is null and item_id is null group by initiative_id',
  );
  return out;
}

/**
 * The log kinds that shape an initiative's tree: which workstreams exist and where they sit
 * (items are placed into that tree; where they go reshapes nothing).
 */
const STRUCTURE_KINDS = [
  'WorkstreamCreated',
  'WorkstreamMoved',
  'WorkstreamDeleted',
  'WorkstreamRestored',
  'WorkstreamBaseline',
] as const;

/**
 * The latest effective time of the structural rows effective after `after` (ms) of an initiative
 * (`workstreamId` null) or of one of its workstreams, or null: a range scan over the rows after
 * that time only, so a slightly back-dated write is cheap.
 */
export async function findLatestStructureTime(
  em: Em,
  initiativeId: number,
  workstreamId: number | null,
  after: number,
): Promise<number | null> {
  const [row] = await em.execute(
    `select max(effective_at) as latest from change_log
      where initiative_id = ? and effective_at > ? and kind in (${placeholders(STRUCTURE_KINDS)})
        ${workstreamId === null ? '' : 'and workstream_id = ? and item_id is null'}`,
    [
      initiativeId,
      timeParam(em, after),
      ...STRUCTURE_KINDS,
      ...(workstreamId === null ? [] : [workstreamId]),
    ],
  );
  return row?.latest === null || row?.latest === undefined ? null : ms(row.latest);
}
