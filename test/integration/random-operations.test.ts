import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCounters } from '../../src/services/verify-counters.js';
import { DIALECTS } from '../helpers/databases.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  DELETE_ITEM,
  DELETE_WORKSTREAM,
  MOVE_WORKSTREAM,
  SET_ITEM_STATUS,
  SET_ITEM_STATUSES,
} from '../helpers/operations.js';
import { ProgressModel, STATUSES, type Status } from '../helpers/progress-model.js';
import { percentFor, rng } from '../helpers/random.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const MAX_DEPTH = 4;
const F = 'id progress { percent credit counted total }';
const TREE = `query($key: String!) { initiative(key: $key) { progress { percent credit counted total }
  workstreams { ${F} children { ${F} children { ${F} children { ${F} children { ${F} } } } } } } }`;

function flatten(nodes: any[], out: any[] = []): any[] {
  for (const n of nodes) {
    out.push(n);
    flatten(n.children ?? [], out);
  }
  return out;
}

async function run(app: TestApp, seed: number, steps: number): Promise<void> {
  const r = rng(seed);
  const m = new ProgressModel();
  const key = `r${seed}`;
  const ini = (await app.ok(CREATE_INITIATIVE, { input: { key, name: `随机 ${seed}` } }))
    .createInitiative.initiative.id;
  const status = (): Status => r.pick(STATUSES)!;
  const one = async (query: string, input: unknown) =>
    Object.values(await app.ok(query, { input }))[0] as any;

  const check = async () => {
    const data = (await app.ok(TREE, { key })).initiative;
    const whole = m.figure(null);
    expect([
      Math.round(data.progress.credit * 1e6),
      Math.round(data.progress.counted * 1e6),
      data.progress.total,
    ]).toEqual([whole.credit, whole.counted, whole.total]);
    const served = flatten(data.workstreams);
    expect(served.map((n) => n.id).sort()).toEqual(
      m
        .live()
        .map((n) => n.id)
        .sort(),
    );
    for (const node of served) {
      const f = m.figure(node.id);
      expect({
        id: node.id,
        credit: Math.round(node.progress.credit * 1e6),
        counted: Math.round(node.progress.counted * 1e6),
        total: node.progress.total,
      }).toEqual({ id: node.id, credit: f.credit, counted: f.counted, total: f.total });
      if (f.counted === 0) expect(node.progress.percent).toBeNull();
      else expect(node.progress.percent).toBeCloseTo((f.credit * 100) / f.counted, 9);
    }
  };

  for (let step = 0; step < steps; step++) {
    const live = m.live();
    const roll = r.next();
    if (roll < 0.2 || live.length < 3) {
      const parents = live.filter((n) => n.items.size === 0 && m.depth(n.id) < MAX_DEPTH);
      const parent = r.chance(0.3) ? null : (r.pick(parents) ?? null);
      const manual = r.chance(0.2)
        ? { weight: r.int(1, 500) / 100, percent: r.int(0, 10_000) / 100 }
        : null;
      const res = await one(CREATE_WORKSTREAM, {
        initiativeId: ini,
        parentId: parent?.id,
        name: `ws${step}`,
        ...(manual ? { weight: manual.weight, manualPercent: manual.percent } : {}),
      });
      expect(res.userErrors).toEqual([]);
      m.nodes.set(res.workstream.id, {
        id: res.workstream.id,
        parent: parent?.id ?? null,
        manual,
        deleted: false,
        items: new Map(),
      });
    } else if (roll < 0.4) {
      const leaf = r.pick(live.filter((n) => m.children(n.id).length === 0 && !n.manual));
      if (!leaf) continue;
      const items = Array.from({ length: r.int(1, 5) }, (_, i) => {
        const s = status();
        return { name: `i${step}-${i}`, status: s, percent: percentFor(s, r), weight: r.int(1, 4) };
      });
      const res = await one(CREATE_ITEMS, { workstreamId: leaf.id, items });
      expect(res.userErrors).toEqual([]);
      res.items.forEach((it: any, i: number) =>
        leaf.items.set(it.id, { ...items[i]!, percent: it.percent, version: 1, deleted: false }),
      );
    } else if (roll < 0.65) {
      const target = r.pick(m.liveItems());
      if (!target) continue;
      const [id, item] = target;
      const next = status();
      const percent = r.chance(0.6) ? percentFor(next, r) : undefined;
      const res = await one(SET_ITEM_STATUS, {
        itemId: id,
        status: next,
        percent,
        expectedVersion: r.chance(0.5) ? item.version : undefined,
      });
      expect(res.userErrors).toEqual([]);
      Object.assign(item, { status: next, percent: res.item.percent, version: item.version + 1 });
      if (percent !== undefined) expect(res.item.percent).toBe(percent);
    } else if (roll < 0.8) {
      const pool = m.liveItems();
      const chosen = [
        ...new Set(Array.from({ length: r.int(2, 6) }, () => r.pick(pool)).filter(Boolean)),
      ] as typeof pool;
      if (chosen.length === 0) continue;
      const updates = chosen.map(([id]) => {
        const s = status();
        return { itemId: id, status: s, percent: percentFor(s, r) };
      });
      const res = await one(SET_ITEM_STATUSES, { updates });
      expect(res.userErrors).toEqual([]);
      chosen.forEach(([, item], i) =>
        Object.assign(item, {
          status: updates[i]!.status,
          percent: updates[i]!.percent,
          version: item.version + 1,
        }),
      );
    } else if (roll < 0.9) {
      const node = r.pick(live);
      if (!node) continue;
      const target = r.chance(0.2) ? null : r.pick(live.filter((n) => n.items.size === 0));
      const res = await one(MOVE_WORKSTREAM, { id: node.id, parentId: target?.id ?? null });
      if (target && m.isWithin(target.id, node.id)) {
        expect(res.userErrors.map((e: any) => e.code)).toEqual(['CYCLE']);
      } else if (target && m.depth(target.id) + m.height(node.id) > MAX_DEPTH) {
        // Allowed by the server, but deeper than this test's query reads: undo it.
        expect(res.userErrors).toEqual([]);
        const back = await one(MOVE_WORKSTREAM, { id: node.id, parentId: node.parent });
        expect(back.userErrors).toEqual([]);
      } else {
        expect(res.userErrors).toEqual([]);
        node.parent = target?.id ?? null;
      }
    } else if (roll < 0.95) {
      const target = r.pick(m.liveItems());
      if (!target) continue;
      const res = await one(DELETE_ITEM, { id: target[0] });
      expect(res.userErrors).toEqual([]);
      target[1].deleted = true;
    } else {
      const node = r.pick(live);
      if (!node) continue;
      const res = await one(DELETE_WORKSTREAM, { id: node.id });
      expect(res.userErrors).toEqual([]);
      m.deleteSubtree(node.id);
    }
    if (step % 8 === 7) await check();
  }
  await check();
}

describe.each(DIALECTS)('random trees built through the API (%s)', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(dialect);
  });
  afterAll(() => app?.close());

  const seeds = dialect === 'sqlite' ? [1, 2, 3, 4] : [5, 6];
  it.each(seeds)(
    'seed %i: every node’s credit, counted and percent equal the rule',
    async (seed) => {
      await run(app, seed, 80);
    },
  );

  it('leaves every counter equal to a recomputation', async () => {
    const report = await verifyCounters(app.em());
    expect(report.items).toBeGreaterThan(0);
    expect(report.differences).toEqual([]);
  });
});
