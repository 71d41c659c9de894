import { dialectOf, type Em } from '../em.js';
import { inSlices, placeholders } from './sql.js';

/*
 * Named SQL for the report model's tables (entities/report-model.entities.ts).
 */

type Row = Record<string, unknown>;
const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
const time = (v: unknown) => new Date(v as string | number | Date);

/** A boolean as the dialect binds it: SQLite has integers, PostgreSQL booleans. */
export const boolParam = (em: Em, v: boolean) => (dialectOf(em) === 'sqlite' ? (v ? 1 : 0) : v);

async function insertReturningId(em: Em, sql: string, params: unknown[]): Promise<number> {
  const rows = await em.execute(`${sql} returning id`, params, 'all');
  return Number((rows as Row[])[0]!.id);
}

export interface WorkflowRow {
  readonly initiativeId: number;
  readonly workstreamId: number | null;
  readonly stages: string;
}

export async function findWorkflows(
  em: Em,
  initiativeIds: readonly number[],
): Promise<WorkflowRow[]> {
  const rows = await em.execute(
    `select initiative_id, workstream_id, stages from stage_workflow where initiative_id in (${placeholders(initiativeIds)})`,
    [...initiativeIds],
  );
  return rows.map((r) => ({
    initiativeId: Number(r.initiative_id),
    workstreamId: n(r.workstream_id),
    stages: String(r.stages),
  }));
}

/** Sets (replaces) the workflow of an initiative (workstreamId null) or of a workstream. */
export async function saveWorkflow(em: Em, w: WorkflowRow): Promise<void> {
  await em.execute(
    `delete from stage_workflow where initiative_id = ? and ${w.workstreamId === null ? 'workstream_id is null' : 'workstream_id = ?'}`,
    w.workstreamId === null ? [w.initiativeId] : [w.initiativeId, w.workstreamId],
    'run',
  );
  await em.execute(
    'insert into stage_workflow (initiative_id, workstream_id, stages) values (?, ?, ?)',
    [w.initiativeId, w.workstreamId, w.stages],
    'run',
  );
}

export interface ItemStageRow {
  readonly itemId: number;
  readonly initiativeId: number;
  readonly stage: string;
  readonly note: string | null;
  readonly since: Date;
}

/** The stages of these initiatives' items, deleted items' too, in item order. */
export async function findStageRows(
  em: Em,
  initiativeIds: readonly number[],
): Promise<ItemStageRow[]> {
  const rows = await em.execute(
    `select item_id, initiative_id, stage, note, since from item_stage
      where initiative_id in (${placeholders(initiativeIds)}) order by item_id`,
    [...initiativeIds],
  );
  return rows.map((r) => ({
    itemId: Number(r.item_id),
    initiativeId: Number(r.initiative_id),
    stage: String(r.stage),
    note: s(r.note),
    since: time(r.since),
  }));
}

/**
 * Stages of live items, with the item's name and workstream, in item order. Two reads, not a
 * join: with statistics, PostgreSQL joins the stages of a large initiative to `item` by hashing
 * every item row (216 ms for 10,000 stages among 1,000,000 items, where the items by id take 24
 * ms).
 */
export async function findItemStages(
  em: Em,
  initiativeIds: readonly number[],
): Promise<(ItemStageRow & { name: string; workstreamId: number })[]> {
  const stages = await findStageRows(em, initiativeIds);
  const items = await itemsById(
    em,
    stages.map((st) => st.itemId),
    'id, name, workstream_id',
    ' and deleted_at is null',
  );
  const live = new Map(items.map((r) => [Number(r.id), r]));
  return stages.flatMap((st) => {
    const item = live.get(st.itemId);
    return item
      ? [{ ...st, name: String(item.name), workstreamId: Number(item.workstream_id) }]
      : [];
  });
}

export async function findItemStage(em: Em, itemId: number): Promise<ItemStageRow | null> {
  const [r] = await em.execute(
    'select item_id, initiative_id, stage, note, since from item_stage where item_id = ?',
    [itemId],
  );
  return r
    ? {
        itemId,
        initiativeId: Number(r.initiative_id),
        stage: String(r.stage),
        note: s(r.note),
        since: time(r.since),
      }
    : null;
}

export async function saveItemStage(em: Em, row: ItemStageRow): Promise<void> {
  await em.execute('delete from item_stage where item_id = ?', [row.itemId], 'run');
  await em.execute(
    'insert into item_stage (item_id, initiative_id, stage, note, since) values (?, ?, ?, ?, ?)',
    [row.itemId, row.initiativeId, row.stage, row.note, row.since],
    'run',
  );
}

/** Columns of the items of these ids, a slice of ids a statement. */
async function itemsById(
  em: Em,
  ids: readonly number[],
  columns: string,
  also = '',
): Promise<Row[]> {
  if (ids.length === 0) return [];
  return inSlices(ids, (slice) =>
    em.execute(`select ${columns} from item where id in (${placeholders(slice)})${also}`, [
      ...slice,
    ]),
  );
}

/**
 * The workstream paths of an initiative's staged items, deleted ones too: a restored item comes
 * back at its stage, so a workflow may not change under it either. Read by id, step by step, for
 * the reason `findItemStages` gives (joined, PostgreSQL took 429 ms for 10,000 stages).
 */
export async function stagedItemPaths(em: Em, initiativeId: number): Promise<string[]> {
  const stages = await findStageRows(em, [initiativeId]);
  const items = await itemsById(
    em,
    stages.map((st) => st.itemId),
    'workstream_id',
  );
  const workstreamIds = [...new Set(items.map((r) => Number(r.workstream_id)))];
  const rows = await inSlices(workstreamIds, (ids) =>
    em.execute(`select path from workstream where id in (${placeholders(ids)})`, [...ids]),
  );
  return rows.map((r) => String(r.path));
}

export interface MetricRow {
  readonly id: number;
  readonly initiativeId: number;
  readonly workstreamId: number | null;
  readonly name: string;
  readonly unit: string;
  readonly decimals: number;
  readonly direction: string;
  readonly target: string | null;
  readonly comparison: string | null;
  readonly burnDown: boolean;
  readonly groupName: string | null;
  readonly category: string | null;
  readonly position: number;
}

const METRIC_COLUMNS =
  'id, initiative_id, workstream_id, name, unit, decimals, direction, target, comparison, burn_down, group_name, category, position';

function metricOf(r: Row): MetricRow {
  return {
    id: Number(r.id),
    initiativeId: Number(r.initiative_id),
    workstreamId: n(r.workstream_id),
    name: String(r.name),
    unit: String(r.unit),
    decimals: Number(r.decimals),
    direction: String(r.direction),
    target: s(r.target),
    comparison: s(r.comparison),
    burnDown: Boolean(Number(r.burn_down)) || r.burn_down === true,
    groupName: s(r.group_name),
    category: s(r.category),
    position: Number(r.position),
  };
}

export async function findMetrics(em: Em, initiativeIds: readonly number[]): Promise<MetricRow[]> {
  const rows = await em.execute(
    `select ${METRIC_COLUMNS} from metric where initiative_id in (${placeholders(initiativeIds)}) order by position, id`,
    [...initiativeIds],
  );
  return rows.map(metricOf);
}

export async function findMetric(em: Em, id: number): Promise<MetricRow | null> {
  const [r] = await em.execute(`select ${METRIC_COLUMNS} from metric where id = ?`, [id]);
  return r ? metricOf(r) : null;
}

export async function insertMetric(
  em: Em,
  m: Omit<MetricRow, 'id' | 'position'>,
): Promise<MetricRow> {
  const [r] = await em.execute('select count(*) as n from metric where initiative_id = ?', [
    m.initiativeId,
  ]);
  const position = Number(r?.n ?? 0);
  const id = await insertReturningId(
    em,
    `insert into metric (initiative_id, workstream_id, name, unit, decimals, direction, target, comparison, burn_down, group_name, category, position)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      m.initiativeId,
      m.workstreamId,
      m.name,
      m.unit,
      m.decimals,
      m.direction,
      m.target,
      m.comparison,
      boolParam(em, m.burnDown),
      m.groupName,
      m.category,
      position,
    ],
  );
  return { ...m, id, position };
}
