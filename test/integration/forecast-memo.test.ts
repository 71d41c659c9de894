import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverOptions } from '../../src/config.js';
import { forecast } from '../../src/domain/forecast.js';
import { createApp } from '../../src/server/app.js';
import { ForecastMemo, type Forecaster } from '../../src/services/forecast-memo.js';
import { DIALECTS } from '../helpers/databases.js';
import { CREATE_ITEMS, SET_ITEM_STATUS, SET_ITEM_STATUSES } from '../helpers/operations.js';
import { createTestApp, requestContext, silentLog, type TestApp } from '../helpers/test-app.js';
import { generateHistory, WEEK, type GeneratedHistory } from '../helpers/time-history.js';

const F =
  'status p50 p85 p95 p50Weeks p85Weeks p95Weeks remaining weeksOfHistory throughputPerWeek scopeGrowthPerWeek explain';
/** Forecasts that differ only in the seed, only in the trials, only in the weeks of history. */
const FIELDS = [
  'historyWeeks: 8, trials: 2000, seed: 1',
  'historyWeeks: 8, trials: 2000, seed: 2',
  'historyWeeks: 8, trials: 3000, seed: 1',
  'historyWeeks: 9, trials: 2000, seed: 1',
]
  .map((args, i) => `f${i}: forecast(${args}) { ${F} }`)
  .join(' ')
  .concat(' health { status reason }');
/** Every node's forecasts, as of `at` as then known (null: live). */
const EVERY_NODE = `query($at: DateTimeISO) { initiative(key: "memo", asOf: $at, knownAt: $at) {
  ${FIELDS} workstreams { id ${FIELDS} children { id ${FIELDS} } } } }`;
/** Forecasts asked of one node: the four above and the default one `health` runs. */
const PER_NODE = 5;
const NODES = 5;

/**
 * Kept forecasts (src/services/forecast-memo.ts) against forecasts made afresh (no memo), on
 * every node, as the initiative's history changes: writes that reach some nodes and not
 * others, a back-dated pair that changes past weeks and not the last, and writes at once
 * while kept forecasts are read. Reads pinned to a time (asOf and knownAt) answer the same
 * whenever they are asked, so the two can be compared byte for byte.
 */
describe.each(DIALECTS)('kept forecasts equal fresh ones (%s)', (dialect) => {
  let app: TestApp;
  let h: GeneratedHistory;
  const memo = new ForecastMemo();

  beforeAll(async () => {
    app = await createTestApp(dialect, { executor: 'jit' });
    h = await generateHistory(app, 'memo', 10);
  }, 60_000);
  afterAll(() => app.close());

  /** Every forecast simulated afresh: not even identical inputs within a request shared. */
  const fresh: Forecaster = { forecast };
  const ask = async (at: number | null, forecastMemo: Forecaster) => {
    const contextValue = requestContext(app.em(), { forecastMemo });
    const variables = { at: at === null ? null : new Date(at).toISOString() };
    const res = await app.apollo.executeOperation(
      { query: EVERY_NODE, variables },
      { contextValue },
    );
    if (res.body.kind !== 'single') throw new Error('not a single answer');
    const text = JSON.stringify(res.body.singleResult);
    expect(text).not.toContain('"errors"');
    return text;
  };
  /** The kept answer at `at` and the fresh one, which must be the same text. */
  const both = async (at: number) => {
    const kept = await ask(at, memo);
    expect(kept).toBe(await ask(at, fresh));
    return kept;
  };
  const write = async (query: string, input: object) => {
    const payload = Object.values(await app.ok(query, { input }))[0] as { userErrors: unknown[] };
    expect(payload.userErrors).toEqual([]);
  };
  /** Item indices of h.items by leaf: 0–11 报表, 12–23 接口, 24–35 其他 (30–34 never touched). */
  const item = (i: number) => h.items[i]!;
  const counts = () => ({ hits: memo.hits, misses: memo.misses });

  it('answers as a fresh forecast, and reuses the nodes a write did not reach', async () => {
    const first = await both(Date.now());
    expect(memo.size).toBeGreaterThan(0);
    expect(first).toContain('"OK"');
    // A write to 其他 (top level): it and the initiative move, the other three do not.
    await write(SET_ITEM_STATUS, { itemId: item(30), status: 'IN_PROGRESS', percent: 50 });
    const before = counts();
    const second = await both(Date.now());
    expect(second).not.toBe(first);
    expect(memo.hits - before.hits).toBeGreaterThanOrEqual(3 * PER_NODE);
    expect(memo.hits + memo.misses - before.hits - before.misses).toBe(NODES * PER_NODE);
    // New scope under 报表, no credit: only its counted figures move.
    await write(CREATE_ITEMS, { workstreamId: h.leaves[0], items: [{ name: '新范围' }] });
    expect(await both(Date.now())).not.toBe(second);
    // Asked again with nothing written: every forecast is kept.
    const again = counts();
    await both(Date.now());
    expect(memo.hits - again.hits).toBe(NODES * PER_NODE);
  });

  it('answers as a fresh forecast after a back-dated change to past weeks only', async () => {
    const now = Date.now();
    const prior = await both(now);
    // Done 3.5 weeks ago, not started again a week later: today's figures are as they were.
    await write(SET_ITEM_STATUSES, {
      effectiveAt: new Date(now - 3.5 * WEEK).toISOString(),
      updates: [{ itemId: item(31), status: 'DONE' }],
    });
    await write(SET_ITEM_STATUSES, {
      effectiveAt: new Date(now - 2.5 * WEEK).toISOString(),
      updates: [{ itemId: item(31), status: 'NOT_STARTED' }],
    });
    const after = await both(Date.now());
    const remaining = (text: string) => JSON.parse(text).data.initiative.f0.remaining;
    expect(remaining(after)).toBe(remaining(prior));
  });

  it('answers as a fresh forecast under concurrent writes', async () => {
    const pinned = Date.now();
    const stable = await both(pinned);
    // Items in each of the three leaves, and new scope under two of them.
    const writes = [1, 13, 25, 7, 19, 32].map((i, n) =>
      write(SET_ITEM_STATUS, {
        itemId: item(i),
        status: n % 2 ? 'DONE' : 'IN_PROGRESS',
        percent: n % 2 ? undefined : 20 + n,
      }),
    );
    for (const leaf of [h.leaves[1], h.leaves[2]])
      writes.push(write(CREATE_ITEMS, { workstreamId: leaf, items: [{ name: '并发' }] }));
    let writing = true;
    const settled = Promise.all(writes).finally(() => (writing = false));
    // Readers meanwhile: live forecasts (kept as the figures move), and forecasts pinned to a
    // time before the writes, which must stay those of that time.
    const reader = async () => {
      let reads = 0;
      do {
        await ask(null, memo);
        expect(await ask(pinned, memo)).toBe(stable);
        reads++;
      } while (writing);
      return reads;
    };
    const reads = await Promise.all([reader(), reader(), reader()]);
    await settled;
    expect(reads.every((n) => n > 0)).toBe(true);
    expect(await both(Date.now())).not.toBe(stable);
  }, 60_000);

  it('is on in a server unless JINDU_FORECAST_CACHE turns it off', async () => {
    const on = await createApp(app.orm, silentLog, serverOptions());
    const off = await createApp(app.orm, silentLog, serverOptions({ forecastCache: false }));
    try {
      expect(on.forecasts).toBeInstanceOf(ForecastMemo);
      expect(off.forecasts).toBeUndefined();
      const url = await on.listen(0, '127.0.0.1');
      const post = async () =>
        (
          await fetch(`${url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: EVERY_NODE, variables: { at: null } }),
          })
        ).json();
      const first = await post();
      const hits = on.forecasts!.hits;
      expect(await post()).toEqual(first);
      expect(on.forecasts!.hits - hits).toBe(NODES * PER_NODE);
    } finally {
      await on.close();
      await off.close();
    }
  });
});
