import type { MilestoneFields } from '../../domain/replay-report-model.js';
import { dialectOf, type Em } from '../em.js';
import { placeholders } from './sql.js';

/* Readings, milestones, named figures and written updates (see report-model.queries.ts). */

type Row = Record<string, unknown>;
const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
const time = (v: unknown) => new Date(v as string | number | Date);
const bool = (v: unknown) => v === true || Number(v) === 1;

const boolParam = (em: Em, v: boolean) => (dialectOf(em) === 'sqlite' ? (v ? 1 : 0) : v);

async function insertReturningId(em: Em, sql: string, params: unknown[]): Promise<number> {
  const rows = await em.execute(`${sql} returning id`, params, 'all');
  return Number((rows as Row[])[0]!.id);
}

export interface ReadingRow {
  readonly id: number;
  readonly metricId: number;
  readonly initiativeId: number;
  readonly value: string;
  readonly lowerBound: boolean;
  readonly period: string | null;
  readonly note: string | null;
  readonly actor: string;
  readonly effectiveAt: Date;
  readonly recordedAt: Date;
}

export async function insertReading(em: Em, r: Omit<ReadingRow, 'id'>): Promise<ReadingRow> {
  const id = await insertReturningId(
    em,
    `insert into metric_reading (metric_id, initiative_id, value, lower_bound, period, note, actor, effective_at, recorded_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      r.metricId,
      r.initiativeId,
      r.value,
      boolParam(em, r.lowerBound),
      r.period,
      r.note,
      r.actor,
      r.effectiveAt,
      r.recordedAt,
    ],
  );
  return { ...r, id };
}

/** Readings of the metrics, in effective order (ties: recording order). */
export async function findReadings(em: Em, metricIds: readonly number[]): Promise<ReadingRow[]> {
  const rows = await em.execute(
    `select * from metric_reading where metric_id in (${placeholders(metricIds)}) order by effective_at, id`,
    [...metricIds],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    metricId: Number(r.metric_id),
    initiativeId: Number(r.initiative_id),
    value: String(r.value),
    lowerBound: bool(r.lower_bound),
    period: s(r.period),
    note: s(r.note),
    actor: String(r.actor),
    effectiveAt: time(r.effective_at),
    recordedAt: time(r.recorded_at),
  }));
}

/** A milestone row: the fields a replay at a time gives (replay-report-model.ts), and its initiative. */
export interface MilestoneRow extends MilestoneFields {
  readonly initiativeId: number;
}

function milestoneOf(r: Row): MilestoneRow {
  return {
    id: Number(r.id),
    initiativeId: Number(r.initiative_id),
    workstreamId: n(r.workstream_id),
    name: String(r.name),
    dueDate: String(r.due_date),
    duePrecision: String(r.due_precision),
    originalDueDate: String(r.original_due_date),
    originalDuePrecision: String(r.original_due_precision),
    doneDate: s(r.done_date),
    note: s(r.note),
  };
}

export async function findMilestones(
  em: Em,
  initiativeIds: readonly number[],
): Promise<MilestoneRow[]> {
  const rows = await em.execute(
    `select * from milestone where initiative_id in (${placeholders(initiativeIds)}) order by id`,
    [...initiativeIds],
  );
  return rows.map(milestoneOf);
}

export async function findMilestone(em: Em, id: number): Promise<MilestoneRow | null> {
  const [r] = await em.execute('select * from milestone where id = ?', [id]);
  return r ? milestoneOf(r) : null;
}

export async function saveMilestone(
  em: Em,
  m: Omit<MilestoneRow, 'id'> & { id?: number },
): Promise<MilestoneRow> {
  const values = [
    m.name,
    m.dueDate,
    m.duePrecision,
    m.originalDueDate,
    m.originalDuePrecision,
    m.doneDate,
    m.note,
  ];
  if (m.id !== undefined) {
    await em.execute(
      `update milestone set name = ?, due_date = ?, due_precision = ?, original_due_date = ?, original_due_precision = ?, done_date = ?, note = ? where id = ?`,
      [...values, m.id],
      'run',
    );
    return { ...m, id: m.id };
  }
  const id = await insertReturningId(
    em,
    `insert into milestone (name, due_date, due_precision, original_due_date, original_due_precision, done_date, note, initiative_id, workstream_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [...values, m.initiativeId, m.workstreamId],
  );
  return { ...m, id };
}

export interface NamedFigureRow {
  readonly initiativeId: number;
  readonly position: number;
  readonly name: string;
  readonly scopeWorkstreamId: number | null;
  /** JSON policy overrides, or null for the initiative's policy. */
  readonly policy: string | null;
}

export async function findNamedFigures(
  em: Em,
  initiativeIds: readonly number[],
): Promise<NamedFigureRow[]> {
  const rows = await em.execute(
    `select * from named_figure where initiative_id in (${placeholders(initiativeIds)}) order by initiative_id, position`,
    [...initiativeIds],
  );
  return rows.map((r) => ({
    initiativeId: Number(r.initiative_id),
    position: Number(r.position),
    name: String(r.name),
    scopeWorkstreamId: n(r.scope_workstream_id),
    policy: s(r.policy),
  }));
}

/** Replaces an initiative's named figures with these, in this order. */
export async function replaceNamedFigures(
  em: Em,
  initiativeId: number,
  rows: readonly NamedFigureRow[],
): Promise<void> {
  await em.execute('delete from named_figure where initiative_id = ?', [initiativeId], 'run');
  for (const r of rows)
    await em.execute(
      'insert into named_figure (initiative_id, position, name, scope_workstream_id, policy) values (?, ?, ?, ?, ?)',
      [initiativeId, r.position, r.name, r.scopeWorkstreamId, r.policy],
      'run',
    );
}

export interface UpdateRow {
  readonly id: number;
  readonly initiativeId: number | null;
  readonly objective: string | null;
  readonly section: string;
  readonly week: string;
  readonly body: string;
  readonly author: string;
  readonly effectiveAt: Date;
  readonly recordedAt: Date;
}

export async function insertUpdate(em: Em, u: Omit<UpdateRow, 'id'>): Promise<UpdateRow> {
  const id = await insertReturningId(
    em,
    `insert into written_update (initiative_id, objective, section, week, body, author, effective_at, recorded_at)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
    [u.initiativeId, u.objective, u.section, u.week, u.body, u.author, u.effectiveAt, u.recordedAt],
  );
  return { ...u, id };
}

/** The updates of the weeks dated `from`..`to` (YYYY-MM-DD, inclusive), in posting order. */
export async function findUpdates(em: Em, from: string, to: string): Promise<UpdateRow[]> {
  const rows = await em.execute(
    'select * from written_update where week >= ? and week <= ? order by effective_at, id',
    [from, to],
  );
  return rows.map(updateRowOf);
}

/** A `written_update` row as the services read it. */
export function updateRowOf(r: Record<string, unknown>): UpdateRow {
  return {
    id: Number(r.id),
    initiativeId: n(r.initiative_id),
    objective: s(r.objective),
    section: String(r.section),
    week: String(r.week),
    body: String(r.body),
    author: String(r.author),
    effectiveAt: time(r.effective_at),
    recordedAt: time(r.recorded_at),
  };
}
