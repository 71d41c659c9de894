type Row = Record<string, unknown>;

const COLUMNS = 'initiative_id, workstream_id, kind, data, actor, effective_at, recorded_at';
const CHUNK = 500;

const json = (v: unknown): unknown =>
  v === null || v === undefined ? null : typeof v === 'string' ? JSON.parse(v) : v;
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** An initiative's baseline: what its figures depend on (policy, labels) and who it is. */
function initiativeData(r: Row): string {
  return JSON.stringify({
    state: {
      key: String(r.key),
      name: String(r.name),
      rollupPolicy: json(r.rollup_policy),
      statusLabels: json(r.status_labels),
    },
  });
}

/** A workstream's baseline: its place, weight, manual percent…, and whether it was deleted. */
function workstreamData(r: Row): string {
  return JSON.stringify({
    state: {
      parentId: numOrNull(r.parent_id),
      position: Number(r.position),
      name: String(r.name),
      phase: r.phase ?? null,
      weightCenti: Number(r.weight_centi),
      manualPercentBp: numOrNull(r.manual_percent_bp),
      targetDate: r.target_date ?? null,
      reportDetail: String(r.report_detail),
    },
    deleted: r.deleted_at !== null && r.deleted_at !== undefined,
  });
}

/**
 * The insert statements (500 rows each) of the initiative and workstream baselines the upgrade
 * writes, at `time` (stored as the dialect stores times).
 */
export function baselineRows(
  initiatives: readonly Row[],
  workstreams: readonly Row[],
  actor: string,
  time: unknown,
): { sql: string; params: unknown[] }[] {
  const rows: unknown[][] = [
    ...initiatives.map((r) => [Number(r.id), null, 'InitiativeBaseline', initiativeData(r)]),
    ...workstreams.map((r) => [
      Number(r.initiative_id),
      Number(r.id),
      'WorkstreamBaseline',
      workstreamData(r),
    ]),
  ].map((r) => [...r, actor, time, time]);
  const out: { sql: string; params: unknown[] }[] = [];
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    out.push({
      sql: `insert into change_log (${COLUMNS}) values ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      params: chunk.flat(),
    });
  }
  return out;
}
