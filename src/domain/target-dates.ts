/** A target-date change as the log holds it (a workstream's creation counts when it set one). */
export interface TargetDateChange {
  readonly at: number;
  readonly recordedAt: number;
  readonly from: string | null;
  readonly to: string | null;
  readonly actor: string;
}

/** The changes from the log rows (WorkstreamCreated, *TargetDateSet), effective order kept. */
export function targetDateChanges(
  rows: readonly {
    kind: string;
    data: string;
    actor: string;
    effectiveAt: number;
    recordedAt: number;
  }[],
): TargetDateChange[] {
  const out: TargetDateChange[] = [];
  for (const row of rows) {
    const data = JSON.parse(row.data) as {
      from?: string | null;
      to?: string | null;
      state?: { targetDate?: string | null };
    };
    const [from, to] =
      row.kind === 'WorkstreamCreated'
        ? [null, data.state?.targetDate ?? null]
        : [data.from ?? null, data.to ?? null];
    if (from === to) continue;
    out.push({ at: row.effectiveAt, recordedAt: row.recordedAt, from, to, actor: row.actor });
  }
  return out;
}

const dayNumber = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;

/**
 * How far the target moved: days from the first target ever set to the current one (positive:
 * later). Null without a target now or before.
 */
export function slipDays(
  changes: readonly TargetDateChange[],
  current: string | null,
): number | null {
  const first = changes.length > 0 ? (changes[0]!.from ?? changes[0]!.to) : current;
  if (!current || !first) return null;
  return dayNumber(current) - dayNumber(first);
}
