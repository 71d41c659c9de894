import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  DELETE_ITEM,
  SET_ITEM_STATUSES,
} from './operations.js';
import type { TestApp } from './test-app.js';

export const WEEK = 7 * 86_400_000;

export interface GeneratedHistory {
  readonly key: string;
  readonly start: number;
  readonly weeks: number;
  /** Leaf workstream ids, and the top-level one above both leaves. */
  readonly leaves: string[];
  readonly top: string;
  readonly items: string[];
}

/**
 * An initiative with `weeks` weeks of back-dated history written through the API: two leaves
 * under one top-level workstream and one leaf alone, 12 items each; every week some items move
 * forward (done, in progress with a percent, paused), a few come in (scope growth), one goes.
 */
export async function generateHistory(
  app: TestApp,
  key: string,
  weeks = 10,
  now = Date.now(),
): Promise<GeneratedHistory> {
  const start = now - weeks * WEEK - 3_600_000;
  const at = (week: number, hours = 0) =>
    new Date(start + week * WEEK + hours * 3_600_000).toISOString();
  const ok = async (query: string, input: object) => {
    const res = await app.ok(query, { input });
    const payload = Object.values(res)[0] as { userErrors: unknown[] };
    if (payload.userErrors.length > 0) throw new Error(JSON.stringify(payload.userErrors));
    return payload as any;
  };
  const init = await ok(CREATE_INITIATIVE, {
    key,
    name: `历史${key}`,
    targetDate: new Date(now + 20 * WEEK).toISOString().slice(0, 10),
    effectiveAt: at(0),
  });
  const initiativeId = init.initiative.id;
  const ws = async (name: string, parentId: string | null) =>
    (await ok(CREATE_WORKSTREAM, { initiativeId, parentId, name, effectiveAt: at(0, 1) }))
      .workstream.id as string;
  const top = await ws('迁移', null);
  const leaves = [await ws('报表', top), await ws('接口', top), await ws('其他', null)];
  const items: string[] = [];
  for (const [i, leaf] of leaves.entries()) {
    const created = await ok(CREATE_ITEMS, {
      workstreamId: leaf,
      effectiveAt: at(0, 2),
      items: Array.from({ length: 12 }, (_, n) => ({ name: `事项${i}-${n}` })),
    });
    items.push(...created.items.map((x: { id: string }) => x.id));
  }
  for (let w = 1; w < weeks; w++) {
    const updates = [
      { itemId: items[(w * 3) % items.length]!, status: 'DONE' },
      { itemId: items[(w * 3 + 1) % items.length]!, status: 'IN_PROGRESS', percent: 10 * w },
      { itemId: items[(w * 3 + 2) % items.length]!, status: w % 4 === 0 ? 'PAUSED' : 'DONE' },
    ].filter((u) => u.itemId !== items[35]);
    await ok(SET_ITEM_STATUSES, { effectiveAt: at(w, 5), updates });
    if (w % 3 === 0) {
      const more = await ok(CREATE_ITEMS, {
        workstreamId: leaves[w % leaves.length],
        effectiveAt: at(w, 6),
        items: [{ name: `新增${w}` }],
      });
      items.push(more.items[0].id);
    }
    if (w === 5) await ok(DELETE_ITEM, { id: items[35], effectiveAt: at(w, 7) }); // never touched again
  }
  return { key, start, weeks, leaves, top, items };
}
