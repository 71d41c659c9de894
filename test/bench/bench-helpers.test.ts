import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEM_STATUSES } from '../../src/domain/item-status.js';
import { migrate, openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { findInitiativeByKey } from '../../src/db/queries/initiative.queries.js';
import { loadInitiativeTree } from '../../src/services/load-initiative-tree.js';
import { verifyCounters } from '../../src/services/verify-counters.js';
import { dashboardLike } from '../../bench/background-writes.js';
import { checkDashboard, sameAs, StatusUpdates } from '../../bench/queries.js';
import {
  recordRatio,
  sidesOf,
  sidesReason,
  unsteadyEntry,
  type Figure,
} from '../../bench/summary.js';
import { generateInitiative, type GeneratedInitiative } from '../../bench/synthetic-data.js';
import { leavesOf, levelsOfGroup, treeShape } from '../../bench/tree-shape.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';

describe('bench tree shapes', () => {
  it.each([10, 137, 1_000, 10_000])('%i workstreams at depth 3–5, parents first', (total) => {
    const nodes = treeShape(total);
    expect(nodes).toHaveLength(total);
    nodes.forEach((n, i) => {
      expect(n.index).toBe(i);
      if (n.parentIndex !== null) {
        expect(n.parentIndex).toBeLessThan(i);
        expect(n.depth).toBe(nodes[n.parentIndex]!.depth + 1);
      } else expect(n.depth).toBe(0);
    });
    if (total >= 1_000) {
      const leafDepths = leavesOf(nodes).map((i) => nodes[i]!.depth);
      expect(Math.min(...leafDepths)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...leafDepths)).toBe(levelsOfGroup(2) - 1); // the deepest groups reach level 5
    }
  });
});

describe('bench synthetic data', () => {
  let db: TestDatabase;
  let orm: Awaited<ReturnType<typeof openOrm>>;
  let generated: GeneratedInitiative;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite', true);
    orm = await openOrm({ databaseUrl: db.url });
    await migrate(orm);
    const file = db.url.replace(/^sqlite:/, '');
    generateInitiative(file, { key: 'first', workstreams: 40, items: 300, seed: 1 });
    generated = generateInitiative(file, {
      key: 'second',
      workstreams: 250,
      items: 3_000,
      seed: 7,
    });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  it('writes counters the server agrees with, for every initiative', async () => {
    const report = await verifyCounters(orm.em.fork() as Em);
    expect(report).toMatchObject({ initiatives: 2, workstreams: 290, items: 3_300 });
    expect(report.differences).toEqual([]);
  });

  it('knows each subtree’s counts, as the server folds them', async () => {
    const em = orm.em.fork() as Em;
    const tree = await loadInitiativeTree(em, (await findInitiativeByKey(em, 'second'))!);
    expect(tree.nodes.size).toBe(250);
    for (const [id, counts] of generated.subtreeCounts) {
      const figure = tree.rollup.figures.get(id)!;
      expect(ITEM_STATUSES.map((s) => figure.tally[s].items)).toEqual(counts);
    }
    const names = [...tree.nodes.values()].map((n) => n.name);
    expect(names.every((n) => /[\u4e00-\u9fff]/.test(n))).toBe(true);
  });

  it('refuses a dashboard answer with a wrong count or a missing node', () => {
    const node = (id: number, counts: readonly number[], children: unknown[] = []) => ({
      id: Buffer.from(`Workstream:${id}`).toString('base64url'),
      progress: {
        total: counts.reduce((a, b) => a + b, 0),
        byStatus: ITEM_STATUSES.map((status, i) => ({ status, count: counts[i] })),
      },
      children,
    });
    const tiny = generated.workstreamIds.slice(0, 1);
    const one = { ...generated, workstreamIds: tiny };
    const counts = generated.subtreeCounts.get(tiny[0]!)!;
    const answer = (n: unknown) => JSON.stringify({ data: { initiative: { workstreams: [n] } } });
    expect(() => checkDashboard(answer(node(tiny[0]!, counts)), one)).not.toThrow();
    const wrong = counts.map((c, i) => (i === 3 ? c + 1 : c));
    expect(() => checkDashboard(answer(node(tiny[0]!, wrong)), one)).toThrow(/counts/);
    expect(() => checkDashboard(answer(node(tiny[0]!, counts)), generated)).toThrow(/nodes/);
    expect(() => checkDashboard('{"errors":[{"message":"x"}]}', one)).toThrow();
  });
});

describe('bench body checks', () => {
  const expected = JSON.stringify({ data: { name: '迁移组1 账户迁移 😀 数仓'.repeat(50) } });

  const bytes = (text: string) => Buffer.from(text);

  it('refuses any other difference', () => {
    const check = sameAs(() => expected);
    expect(check(bytes(expected.replace('账户', '账号')))).toBe(false);
    expect(check(bytes(expected).subarray(0, -1))).toBe(false);
    expect(check(bytes(`${expected} `))).toBe(false);
    expect(check(bytes(expected.replace('数仓', '\uFFFD仓')))).toBe(false);
  });

  it('accepts the expected bytes, compared with the expected text as it is now', () => {
    let current = expected;
    const check = sameAs(() => current);
    expect(check(bytes(expected))).toBe(true);
    current = expected.replace('账户', '账号');
    expect(check(bytes(expected))).toBe(false);
    expect(check(bytes(current))).toBe(true);
  });

  it('takes a dashboard whose counts moved, not one cut short or of another shape', () => {
    const answer = (count: number, name = '迁移组1') =>
      JSON.stringify({
        data: {
          initiative: {
            workstreams: Array.from({ length: 40 }, (_, i) => ({ name, count: count + i })),
          },
        },
      });
    const check = dashboardLike(() => answer(5));
    expect(check(bytes(answer(5)))).toBe(true);
    expect(check(bytes(answer(7)))).toBe(true); // digits moved under writes
    expect(check(bytes(answer(5)).subarray(0, -1))).toBe(false);
    expect(check(bytes(answer(5, '迁移组1'.repeat(3))))).toBe(false); // 2% longer or more
    expect(check(bytes(answer(5).replace('"data"', '"errors"')))).toBe(false);
  });

  it('settles each status update once, and only the one asked for', () => {
    const updates = new StatusUpdates(100, 3);
    const asked = JSON.parse(updates.single()).variables.input;
    const answer = (item: object) =>
      JSON.stringify({ data: { setItemStatus: { item, userErrors: [] } } });
    const item = { id: asked.itemId, status: asked.status, percent: asked.percent };
    expect(updates.checkSingle(bytes(answer({ ...item, percent: asked.percent + 1 })))).toBe(false);
    expect(updates.checkSingle(bytes(answer(item)))).toBe(true);
    expect(updates.checkSingle(bytes(answer(item)))).toBe(false);
  });
});

describe('bench S9 reasons', () => {
  /** A ratio figure whose runs are a ÷ b, run by run. */
  const ratioOf = (a: number[], b: number[]): Figure => {
    const sides = sidesOf('the server', 'raw', 'µs');
    const runs = a.map((x, i) => recordRatio(sides, x, b[i]!));
    return {
      id: 'S5',
      what: '`setItemStatus` server CPU ÷ raw SQLite transaction',
      unit: '×',
      runs,
      details: [],
      sides,
    };
  };

  it('names the side that moved the ratio, with each side’s range and spread', () => {
    expect(sidesReason(ratioOf([500, 600, 700], [100, 101, 102]))).toBe(
      'the server 500–700 µs (33%), raw 100–102 µs (2%): the server moved',
    );
    expect(sidesReason(ratioOf([500, 505, 510], [80, 100, 120]))).toBe(
      'the server 500–510 µs (2%), raw 80–120 µs (40%): raw moved',
    );
  });

  it('names one side only while the other held within 10%', () => {
    // The server moved twice as much as raw, but raw moved 21%: both moved.
    expect(sidesReason(ratioOf([500, 650, 800], [100, 112, 124]))).toBe(
      'the server 500–800 µs (46%), raw 100–124 µs (21%): both moved, together',
    );
  });

  it('tells sides that moved together from sides that did not', () => {
    // One up, the other down, about as much: the ratio moves more than either.
    expect(sidesReason(ratioOf([500, 550, 600], [110, 100, 90]))).toMatch(
      /: both moved, not together$/,
    );
    // Both up by about as much: the ratio moves less than either.
    expect(sidesReason(ratioOf([500, 600, 700], [100, 115, 130]))).toMatch(
      /: both moved, together$/,
    );
  });

  it('shows small sides with their digits, and gives none for runs it cannot pair', () => {
    expect(sidesReason(ratioOf([0.16, 0.17, 0.19], [4.84, 4.68, 4.93]))).toMatch(
      /^the server 0\.16–0\.19 µs \(18%\), raw 4\.68–4\.93 µs \(5%\): the server moved$/,
    );
    const short = ratioOf([500, 600, 700], [100, 101, 102]);
    expect(sidesReason({ ...short, runs: short.runs.slice(1) })).toBeUndefined();
  });

  it('gives a row without sides its spread alone', () => {
    const plain: Figure = {
      id: 'S8',
      what: 'report lines, end to end',
      unit: 'ms',
      runs: [10, 12, 15],
      details: [],
    };
    expect(sidesReason(plain)).toBeUndefined();
    expect(unsteadyEntry(plain)).toBe('S8 report lines (42%)');
    expect(unsteadyEntry(ratioOf([500, 600, 700], [100, 101, 102]))).toBe(
      'S5 `setItemStatus` server CPU ÷ raw SQLite transaction (31%; the server 500–700 µs (33%), raw 100–102 µs (2%): the server moved)',
    );
  });
});
