import type { TallyDelta } from '../domain/tally.js';

export interface WorkstreamDelta {
  readonly initiativeId: number;
  readonly workstreamId: number;
  readonly delta: TallyDelta;
}

/** Groups counter deltas by initiative, initiatives in id order (a stable lock order). */
export function groupTallyDeltas(
  deltas: readonly WorkstreamDelta[],
): [number, WorkstreamDelta[]][] {
  const groups = new Map<number, WorkstreamDelta[]>();
  for (const d of deltas) {
    const list = groups.get(d.initiativeId);
    if (list) list.push(d);
    else groups.set(d.initiativeId, [d]);
  }
  return [...groups].sort((a, b) => a[0] - b[0]);
}
