import { describe, expect, it } from 'vitest';
import { byEffective, type LogEntry } from '../../../src/domain/replay-items.js';
import { replayStructure } from '../../../src/domain/replay-structure.js';
import {
  replayPaths,
  workstreamsByNamedPath,
  type ParsedRow,
} from '../../../src/domain/structure-paths.js';

/** A small seeded generator (the same logs on every run). */
function random(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
}

/** A structure log of creates, renames (back-dated at times), moves, deletes and restores. */
function log(seed: number): LogEntry[] {
  const pick = random(seed);
  const rows: LogEntry[] = [];
  const live: number[] = [];
  const deleted: number[] = [];
  const parent = new Map<number, number | null>();
  let t = 1000;
  const add = (workstreamId: number, kind: string, data: unknown, effectiveAt = (t += 10)) =>
    rows.push({
      id: rows.length + 1,
      workstreamId,
      itemId: null,
      kind,
      data: JSON.stringify(data),
      effectiveAt,
      recordedAt: t,
    } as LogEntry);
  const under = (id: number, root: number): boolean =>
    id === root || (parent.get(id) != null && under(parent.get(id)!, root));
  for (let n = 0; n < 60; n++) {
    const op = live.length === 0 ? 0 : pick(5);
    const ws = live[pick(live.length)]!;
    if (op === 0) {
      const id = 100 + n;
      const p = live.length > 0 && pick(2) ? live[pick(live.length)]! : null;
      parent.set(id, p);
      live.push(id);
      add(id, 'WorkstreamCreated', {
        state: { parentId: p, position: pick(3), name: `n${pick(4)}` },
      });
    } else if (op === 1) {
      // A rename may be back-dated: nothing orders it against other workstreams' rows.
      add(ws, 'WorkstreamRenamed', { to: `n${pick(4)}` }, pick(2) ? t - pick(50) : (t += 10));
    } else if (op === 2) {
      const to = pick(2) ? live[pick(live.length)]! : null;
      if (to !== null && under(to, ws)) continue;
      parent.set(ws, to);
      add(ws, 'WorkstreamMoved', { to: { parentId: to, position: pick(3) } });
    } else if (op === 3) {
      const subtree = live.filter((id) => under(id, ws));
      for (const id of subtree) live.splice(live.indexOf(id), 1);
      deleted.push(ws);
      add(ws, 'WorkstreamDeleted', { subtree });
    } else if (deleted.length > 0) {
      const back = deleted.pop()!;
      if (parent.get(back) != null && !live.includes(parent.get(back)!)) continue;
      const subtree = [...parent.keys()].filter((id) => under(id, back) && !live.includes(id));
      live.push(...subtree);
      add(back, 'WorkstreamRestored', { subtree });
    }
  }
  return rows;
}

describe('replayPaths', () => {
  it('leaves every version of a log with the paths replayStructure does', () => {
    const all = { asOf: Number.POSITIVE_INFINITY, knownAt: Number.POSITIVE_INFINITY };
    const seen = { paths: 0, shared: 0, kinds: new Set<string>() };
    for (let seed = 1; seed <= 50; seed++) {
      const rows = log(seed);
      rows.forEach((r) => seen.kinds.add(r.kind));
      const parsed: ParsedRow[] = [...rows].sort(byEffective).map((r) => ({
        id: r.id,
        workstreamId: r.workstreamId!,
        kind: r.kind,
        data: JSON.parse(r.data!),
      }));
      for (let v = 1; v <= rows.length; v += 7) {
        const upTo = rows.filter((r) => r.id <= v);
        const paths = workstreamsByNamedPath(replayPaths(parsed.filter((r) => r.id <= v)));
        expect(paths).toEqual(workstreamsByNamedPath(replayStructure(upTo, all).workstreams));
        seen.paths += paths.size;
        seen.shared += [...paths.values()].filter((p) => typeof p !== 'number').length;
      }
    }
    // The logs exercise every kind, and siblings of one name.
    expect(seen.kinds.size).toBe(5);
    expect(seen.shared).toBeGreaterThan(0);
    expect(seen.paths).toBeGreaterThan(400);
  });
});
