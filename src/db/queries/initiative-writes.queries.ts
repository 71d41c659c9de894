import type { Em } from '../em.js';

/** The editable columns of an initiative, as updateInitiative writes them (absent: unchanged). */
export interface InitiativeColumnsUpdate {
  name?: string;
  objective?: string | null;
  phase?: string | null;
  targetDate?: string | null;
  rollupPolicy?: Readonly<Record<string, string>> | null;
  statusLabels?: Readonly<Record<string, Readonly<Record<string, string>>>> | null;
  reportLowPercentBucket?: number | null;
}

const COLUMN_OF: Record<keyof InitiativeColumnsUpdate, string> = {
  name: 'name',
  objective: 'objective',
  phase: 'phase',
  targetDate: 'target_date',
  rollupPolicy: 'rollup_policy',
  statusLabels: 'status_labels',
  reportLowPercentBucket: 'report_low_percent_bucket',
};
const JSON_COLUMNS = new Set<keyof InitiativeColumnsUpdate>(['rollupPolicy', 'statusLabels']);

/** Writes the given columns of one initiative (JSON columns as JSON text, null as SQL null). */
export async function updateInitiativeColumns(
  em: Em,
  id: number,
  columns: InitiativeColumnsUpdate,
  now: Date,
): Promise<void> {
  const keys = (Object.keys(COLUMN_OF) as (keyof InitiativeColumnsUpdate)[]).filter(
    (k) => columns[k] !== undefined,
  );
  const value = (k: keyof InitiativeColumnsUpdate) =>
    JSON_COLUMNS.has(k) && columns[k] !== null ? JSON.stringify(columns[k]) : columns[k];
  await em.execute(
    `update initiative set ${keys.map((k) => `${COLUMN_OF[k]} = ?, `).join('')}updated_at = ? where id = ?`,
    [...keys.map(value), now, id],
    'run',
  );
}

/** Archives (a time) or brings back (null) an initiative. */
export async function setInitiativeArchived(
  em: Em,
  id: number,
  archivedAt: Date | null,
  now: Date,
): Promise<void> {
  await em.execute(
    'update initiative set archived_at = ?, updated_at = ? where id = ?',
    [archivedAt, now, id],
    'run',
  );
}
