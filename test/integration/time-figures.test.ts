import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { SET_ITEM_STATUS, UPDATE_ITEM } from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { generateHistory, WEEK, type GeneratedHistory } from '../helpers/time-history.js';
import { findInitiativeByKey } from '../../src/db/queries/initiative.queries.js';
import { progressSeries, weeklyFigures } from '../../src/services/progress-series.js';
import { takeSnapshot } from '../../src/services/snapshots.js';

const FIGURE = 'percent credit counted total byStatus { status count }';
const AS_OF = `query($asOf: DateTimeISO, $knownAt: DateTimeISO) {
  initiative(key: "hist", asOf: $asOf, knownAt: $knownAt) {
    progress { ${FIGURE} } workstreams { id progress { ${FIGURE} } children { id progress { ${FIGURE} } } } } }`;
const HISTORY = `query($from: DateTimeISO!, $to: DateTimeISO, $every: SeriesEvery, $knownAt: DateTimeISO) {
  initiative(key: "hist") {
    progressHistory(from: $from, to: $to, every: $every, knownAt: $knownAt) { at ${FIGURE} }
    workstreams { id progressHistory(from: $from, to: $to, every: $every, knownAt: $knownAt) { at ${FIGURE} }
      children { id progressHistory(from: $from, to: $to, every: $every, knownAt: $knownAt) { at ${FIGURE} } } } } }`;
const CHANGE = `query($since: DateTimeISO!) { initiative(key: "hist") {
  progressChange(since: $since) { percentBefore percentAfter percentPoints credit counted total completed added removed reopened entries }
  workstreams { id progressChange(since: $since) { percentPoints credit counted completed } } } }`;

const strip = ({ at: _at, ...figure }: { at: string } & Record<string, unknown>) => figure;

describe.each(DIALECTS)('figures over time (%s)', (dialect) => {
  let app: TestApp;
  let h: GeneratedHistory;

  beforeAll(async () => {
    app = await createTestApp(dialect);
    h = await generateHistory(app, 'hist', 10);
  }, 60_000);
  afterAll(() => app.close());

  it('progressHistory points equal as-of reads at the same times, on every node', async () => {
    const from = new Date(h.start - WEEK).toISOString(); // a point before the initiative existed
    const asked = Date.now();
    const res = (await app.ok(HISTORY, { from, every: 'WEEK' })).initiative;
    // The weeks from `from`, and the series' end: the read's now (the live figure).
    expect(res.progressHistory.length).toBe(h.weeks + 3);
    const end = Date.parse(res.progressHistory.at(-1).at);
    expect(end).toBeGreaterThanOrEqual(asked);
    expect(end - Date.parse(res.progressHistory.at(-2).at)).toBeLessThan(WEEK);
    for (const [i, point] of res.progressHistory.entries()) {
      const read = (await app.ok(AS_OF, { asOf: point.at })).initiative;
      expect(strip(point)).toEqual(read.progress);
      for (const ws of res.workstreams) {
        const then = read.workstreams.find((w: any) => w.id === ws.id);
        if (then) expect(strip(ws.progressHistory[i])).toEqual(then.progress);
        else expect(ws.progressHistory[i]).toMatchObject({ total: 0, percent: null });
        for (const child of ws.children) {
          const c = then?.children.find((w: any) => w.id === child.id);
          if (c) expect(strip(child.progressHistory[i])).toEqual(c.progress);
        }
      }
    }
    // The scope line grows and the completed line rises over the generated weeks.
    const last = res.progressHistory.at(-1);
    expect(last.counted).toBeGreaterThan(res.progressHistory[1].counted);
    expect(last.credit).toBeGreaterThan(res.progressHistory[1].credit);
  });

  it('progressHistory by day and with an earlier knownAt still equals as-of reads', async () => {
    const from = new Date(h.start + 3 * WEEK).toISOString();
    const to = new Date(h.start + 3 * WEEK + 6 * 86_400_000).toISOString();
    const knownAt = new Date().toISOString();
    const days = (await app.ok(HISTORY, { from, to, every: 'DAY', knownAt })).initiative;
    expect(days.progressHistory).toHaveLength(7);
    for (const point of days.progressHistory) {
      const read = (await app.ok(AS_OF, { asOf: point.at, knownAt })).initiative;
      expect(strip(point)).toEqual(read.progress);
    }
  });

  it('progressChange equals the difference of two as-of reads', async () => {
    const since = new Date(h.start + 6 * WEEK).toISOString();
    const res = (await app.ok(CHANGE, { since })).initiative;
    const before = (await app.ok(AS_OF, { asOf: since })).initiative;
    const after = (await app.ok(AS_OF, {})).initiative;
    const c = res.progressChange;
    expect(c.percentBefore).toBe(before.progress.percent);
    expect(c.percentAfter).toBe(after.progress.percent);
    expect(c.percentPoints).toBe(after.progress.percent - before.progress.percent);
    expect(c.credit).toBeCloseTo(after.progress.credit - before.progress.credit, 9);
    expect(c.counted).toBeCloseTo(after.progress.counted - before.progress.counted, 9);
    expect(c.total).toBe(after.progress.total - before.progress.total);
    // Weeks 6–9 write 3 status rows a week, an item in week 6 and 9: 14 entries.
    expect(c.entries).toBe(14);
    expect(c.added).toBe(2);
    expect(c.completed).toBeGreaterThan(0);
    for (const ws of res.workstreams) {
      const b = before.workstreams.find((w: any) => w.id === ws.id).progress;
      const a = after.workstreams.find((w: any) => w.id === ws.id).progress;
      expect(ws.progressChange.credit).toBeCloseTo(a.credit - b.credit, 9);
    }
  });

  it('refuses bad input with BAD_USER_INPUT, at once', async () => {
    const code = async (query: string, vars: Record<string, unknown>) =>
      (await app.gql(query, vars)).errors?.map((e) => e.extensions?.code);
    const started = performance.now();
    const now = Date.now();
    expect(
      await code(HISTORY, {
        from: new Date(now).toISOString(),
        to: new Date(now - WEEK).toISOString(),
      }),
    ).toContain('BAD_USER_INPUT');
    // A figure past now is not known: a `to` in the future is refused, not filled with today's.
    const future = await app.gql(HISTORY, {
      from: new Date(now - WEEK).toISOString(),
      to: new Date(now + 30 * 86_400_000).toISOString(),
    });
    expect(future.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(future.errors?.[0]?.message).toContain('to 不能晚于所读的时间');
    // Times in messages are the team's (+08:00), as the report's days: a PM read a UTC time as
    // the wrong day and hour.
    expect(future.errors?.[0]?.message).toMatch(/T[\d:.]+\+08:00 晚于 \S+T[\d:.]+\+08:00$/);
    expect(
      await code(
        `query($from: DateTimeISO!) { initiative(key: "hist") { progressHistory(from: $from, every: DAY) { at } } }`,
        { from: '2000-01-01T00:00:00Z' },
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      await code(`{ initiative(key: "hist") { forecast(trials: 100001) { status } } }`, {}),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      await code(`{ initiative(key: "hist") { stalledItems(days: 0) { nodes { days } } } }`, {}),
    ).toEqual(['BAD_USER_INPUT']);
    // Uncoerced variables reach the cost model first: a bad step is refused, not a 500.
    expect(
      await code(
        `query($e: SeriesEvery!) { initiative(key: "hist") { progressHistory(from: "2020-01-01T00:00:00Z", every: $e) { at } } }`,
        { e: 'NaN' },
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('refuses a change from a time after the view’s, and names a date of another year with it', async () => {
    const asOf = new Date(Date.now() - 2 * WEEK);
    const later = new Date(asOf.getTime() + WEEK).toISOString();
    const q = `query($a: DateTimeISO, $c: DateTimeISO!) { initiative(key: "hist", asOf: $a) {
      progressChange(since: $c) { percentPoints } } }`;
    const lines = `query($a: DateTimeISO, $c: DateTimeISO!) { initiative(key: "hist", asOf: $a) {
      reportLines(compareTo: $c) } }`;
    for (const query of [q, lines]) {
      const answer = await app.gql(query, { a: asOf.toISOString(), c: later });
      expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0]?.message).toMatch(/不能晚于所读的时间/);
    }
    const report = await app.gql(
      `query($d: String!, $c: DateTimeISO!) { weeklyReport(date: $d, compareTo: $c) }`,
      { d: '2023-05-13', c: '2023-05-20T12:00:00Z' },
    );
    expect(report.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    // Live, a client clock a few seconds ahead reads no change rather than an error.
    const ahead = new Date(Date.now() + 5_000).toISOString();
    expect((await app.ok(q, { a: null, c: ahead })).initiative.progressChange.percentPoints).toBe(
      0,
    );
    // A date of an earlier year than the report's carries its year.
    const zh = (await app.ok(lines, { a: null, c: '2001-05-13T00:00:00Z' })).initiative.reportLines;
    expect(zh[0]).toContain('2001年5月13日');
  });

  it('a forecast’s weekly figures are the burn-up’s, on every node, across snapshots', async () => {
    const em = app.em();
    const id = (await findInitiativeByKey(em, 'hist'))!.id;
    const now = Date.now();
    // Snapshots between the points: a point then starts from one of them.
    await takeSnapshot(em, id, new Date(h.start + 3.5 * WEEK), now);
    await takeSnapshot(em, id, new Date(h.start + 7.5 * WEEK), now);
    // Twelve weeks back from now, the first before the initiative existed; a week repeated.
    const times = [h.start - WEEK, h.start - WEEK];
    for (let t = now - 11 * WEEK; t <= now; t += WEEK) times.push(t);
    const series = await progressSeries(em, id, times, now);
    const weekly = await weeklyFigures(em, id, times, now);
    const figure = (f: { credit: number; counted: number } | undefined | null) =>
      f ? { credit: f.credit, counted: f.counted } : null;
    expect(weekly.get(null)).toEqual(series.map((p) => (p.exists ? figure(p.root) : null)));
    const ids = new Set(series.flatMap((p) => [...(p.figures?.keys() ?? [])]));
    expect(ids.size).toBe(4);
    expect(new Set([...weekly.keys()].filter((k) => k !== null))).toEqual(ids);
    for (const ws of ids)
      expect(weekly.get(ws)).toEqual(series.map((p) => figure(p.figures?.get(ws))));
    // Not a series of zeros: the figures move over the weeks.
    expect(new Set(weekly.get(null)!.map((f) => f?.credit)).size).toBeGreaterThan(5);
  });

  it('forecasts every node from the same weekly series, deterministically', async () => {
    const q = `{ initiative(key: "hist") {
      forecast(historyWeeks: 8, trials: 2000, seed: 5) { status p50 p85 p95 p50Weeks p85Weeks p95Weeks remaining weeksOfHistory throughputPerWeek scopeGrowthPerWeek explain }
      health { status source reason targetDate }
      workstreams { forecast(historyWeeks: 8, trials: 2000, seed: 5) { status p50Weeks } health { status targetDate } } } }`;
    const a = (await app.ok(q)).initiative;
    expect(await app.ok(q)).toEqual({ initiative: a });
    expect(a.forecast.weeksOfHistory).toBe(8);
    expect(['OK', 'NOT_CONVERGING']).toContain(a.forecast.status);
    if (a.forecast.status === 'OK') expect(a.forecast.p50 <= a.forecast.p85).toBe(true);
    expect(a.health.targetDate).not.toBeNull();
    // Workstreams without a target of their own are judged against the initiative's.
    expect(a.workstreams.every((w: any) => w.health.targetDate === a.health.targetDate)).toBe(true);
    // The same reasons in English: no Chinese word left, the same dates.
    const en = (
      await app.ok(`{ initiative(key: "hist") {
        forecast(historyWeeks: 8, trials: 2000, seed: 5) { explain(locale: EN) }
        health { reason(locale: EN) } } }`)
    ).initiative;
    expect(en.forecast.explain).toMatch(/^[\x20-\x7e]+$/);
    expect(en.health.reason).toMatch(/^[\x20-\x7e]+$/);
    expect(en.health.reason).not.toBe(a.health.reason);
    for (const date of a.health.reason.match(/\d{4}-\d\d-\d\d/g) ?? [])
      expect(en.health.reason).toContain(date);
  });

  it('setHealth overrides by hand with a reason and actor, logged, until cleared', async () => {
    const SET = `mutation($input: SetHealthInput!) { setHealth(input: $input) { health { status source reason } userErrors { code field } } }`;
    const CLEAR = `mutation($input: ClearHealthInput!) { clearHealth(input: $input) { health { status source } userErrors { code } } }`;
    const noReason = await app.ok(SET, { input: { id: h.top, status: 'OFF_TRACK', reason: '  ' } });
    expect(noReason.setHealth.userErrors).toEqual([{ code: 'INVALID_INPUT', field: ['reason'] }]);
    const set = await app.ok(SET, {
      input: { id: h.top, status: 'OFF_TRACK', reason: '依赖方延期' },
    });
    expect(set.setHealth.health).toMatchObject({ status: 'OFF_TRACK', source: 'MANUAL' });
    expect(set.setHealth.health.reason).toContain('test');
    const read = await app.ok(
      `{ initiative(key: "hist") { workstreams { id health { status source } } } }`,
    );
    expect(read.initiative.workstreams.find((w: any) => w.id === h.top).health.source).toBe(
      'MANUAL',
    );
    const hist = await app.ok(
      `query($id: ID!) { node(id: $id) { ... on Workstream { history(first: 5) { nodes { event actor } } } } }`,
      { id: h.top },
    );
    expect(hist.node.history.nodes[0]).toEqual({ event: 'HealthSet', actor: 'test' });
    // The payload lists the node, so a normalized cache takes its new health from there.
    const affected = await app.ok(
      `mutation($input: SetHealthInput!) { setHealth(input: $input) {
        affectedNodes { id ... on Workstream { health { status source } } } userErrors { code } } }`,
      { input: { id: h.top, status: 'AT_RISK', reason: '再议' } },
    );
    expect(affected.setHealth.affectedNodes).toContainEqual({
      id: h.top,
      health: { status: 'AT_RISK', source: 'MANUAL' },
    });
    const cleared = await app.ok(CLEAR, { input: { id: h.top } });
    expect(cleared.clearHealth.health.source).toBe('COMPUTED');
    const missing = await app.ok(SET, { input: { id: 'bm9wZQ', status: 'AT_RISK', reason: 'x' } });
    expect(missing.setHealth.userErrors[0].code).toBe('NOT_FOUND');
  });

  it('lists stalled items oldest first, a page at a time', async () => {
    const q = `query($after: String) { initiative(key: "hist") { stalledItems(days: 14, first: 2, after: $after) {
      nodes { item { id status } lastChangeAt days } pageInfo { hasNextPage endCursor } } } }`;
    const seen: any[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: any = (await app.ok(q, { after })).initiative.stalledItems;
      seen.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) {
      expect(['IN_PROGRESS', 'PAUSED']).toContain(s.item.status);
      expect(s.days).toBeGreaterThanOrEqual(14);
    }
    const times = seen.map((s) => s.lastChangeAt);
    expect(times).toEqual([...times].sort());
    expect(new Set(seen.map((s) => s.item.id)).size).toBe(seen.length);
    // A rename or a note is not progress: the item stays stalled, with the same last change.
    const first = seen[0]!;
    const renamed = await app.ok(UPDATE_ITEM, {
      input: { itemId: first.item.id, name: '改了名字的事项', note: '只是备注' },
    });
    expect(renamed.updateItem.userErrors).toEqual([]);
    const again: any[] = (
      await app.ok(
        `{ initiative(key: "hist") { stalledItems(days: 14, first: 100) { nodes { item { id } lastChangeAt } } } }`,
      )
    ).initiative.stalledItems.nodes;
    expect(again.find((s) => s.item.id === first.item.id)?.lastChangeAt).toBe(first.lastChangeAt);
    // Nor is the same status and percent saved again (a row re-saved, a bulk update over it);
    // it used to restart the clock. A percent that moves does.
    const stalled = async () =>
      (
        await app.ok(
          `{ initiative(key: "hist") { stalledItems(days: 14, first: 100) { nodes { item { id } lastChangeAt } } } }`,
        )
      ).initiative.stalledItems.nodes.find((s: any) => s.item.id === first.item.id);
    const item = async () =>
      (
        await app.ok(
          `query($id: ID!) { node(id: $id) { ... on Item { status percent version } } }`,
          {
            id: first.item.id,
          },
        )
      ).node;
    const was = await item();
    const resaved = await app.ok(SET_ITEM_STATUS, {
      input: { itemId: first.item.id, status: was.status, percent: was.percent },
    });
    expect(resaved.setItemStatus.userErrors).toEqual([]);
    expect((await stalled())?.lastChangeAt).toBe(first.lastChangeAt);
    const moved = await app.ok(SET_ITEM_STATUS, {
      input: { itemId: first.item.id, status: 'IN_PROGRESS', percent: (was.percent + 1) % 100 },
    });
    expect(moved.setItemStatus.userErrors).toEqual([]);
    expect(await stalled()).toBeUndefined();
  });

  // An as-of view read today's items and counted days to today: last week's dashboard listed
  // items finished since, and every item stood still for longer than it had then.
  it('as of a past time, lists what stood still then, counted to then', async () => {
    const T = h.start + 6 * WEEK;
    const q = `query($at: DateTimeISO, $after: String) { initiative(key: "hist", asOf: $at) {
      stalledItems(days: 14, first: 2, after: $after) {
        nodes { item { id status percent } lastChangeAt days } pageInfo { hasNextPage endCursor } } } }`;
    const at = new Date(T).toISOString();
    const first = (await app.ok(q, { at })).initiative.stalledItems;
    const rest = (await app.ok(q, { at, after: first.pageInfo.endCursor })).initiative.stalledItems;
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    // The generator sets items 3w+1 in progress (10 × w %) in week w, 5 hours in: as of week 6,
    // weeks 1–3 are 14 days or more back; week 4's (and its paused item) are not.
    const hours5 = 5 * 3_600_000;
    const DAY = 86_400_000;
    expect([...first.nodes, ...rest.nodes]).toEqual(
      [1, 2, 3].map((w) => ({
        item: { id: h.items[3 * w + 1], status: 'IN_PROGRESS', percent: 10 * w },
        lastChangeAt: new Date(h.start + w * WEEK + hours5).toISOString(),
        days: Math.floor((T - (h.start + w * WEEK + hours5)) / DAY),
      })),
    );
  });

  it('shows target-date history and slip days', async () => {
    const UPDATE = `mutation($input: UpdateWorkstreamInput!) { updateWorkstream(input: $input) { userErrors { code } } }`;
    await app.ok(UPDATE, { input: { id: h.leaves[2], targetDate: '2030-01-01' } });
    await new Promise((r) => setTimeout(r, 20));
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await app.ok(UPDATE, { input: { id: h.leaves[2], targetDate: '2030-01-15' } });
    // As of a time between the two, the history ends with the first, as the target date does.
    const then = await app.ok(
      `query($at: DateTimeISO) { initiative(key: "hist", asOf: $at) { workstreams { id targetDate
        targetDateHistory { to } children { id targetDate targetDateHistory { to } } } } }`,
      { at: between },
    );
    const nodes = then.initiative.workstreams.flatMap((w: any) => [w, ...w.children]);
    const leaf = nodes.find((w: any) => w.id === h.leaves[2]);
    expect(leaf).toMatchObject({
      targetDate: '2030-01-01',
      targetDateHistory: [{ to: '2030-01-01' }],
    });
    const res = await app.ok(
      `query($id: ID!) { node(id: $id) { ... on Workstream { slipDays targetDateHistory { from to actor } } } }`,
      { id: h.leaves[2] },
    );
    expect(res.node.targetDateHistory).toEqual([
      { from: null, to: '2030-01-01', actor: 'test' },
      { from: '2030-01-01', to: '2030-01-15', actor: 'test' },
    ]);
    expect(res.node.slipDays).toBe(14);
  });

  it('adds the weekly change to the report lines only when compareTo is given', async () => {
    const q = `query($c: DateTimeISO, $l: Locale!) { initiative(key: "hist") { reportLines(locale: $l, compareTo: $c) } }`;
    const c = new Date(Date.now() - 2 * WEEK).toISOString();
    for (const l of ['ZH_CN', 'EN']) {
      const plain = (await app.ok(q, { l })).initiative.reportLines as string[];
      const compared = (await app.ok(q, { l, c })).initiative.reportLines as string[];
      expect(compared).toHaveLength(plain.length);
      const change =
        l === 'EN'
          ? / \([+-]\d+\.\d\d pp since \d{4}-\d\d-\d\d, \d+ done since\)/
          : /（较\d+月\d+日[+-]\d+\.\d\d个百分点，此后完成\d+个）/;
      for (const [i, line] of compared.entries()) {
        expect(line).toMatch(change);
        expect(line.replace(change, '')).toBe(plain[i]);
      }
    }
    const r = await app.ok(
      `query($c: DateTimeISO!) { initiative(key: "hist") { progressChange(since: $c) { completed percentPoints } reportLines(compareTo: $c) } }`,
      { c },
    );
    const done = r.initiative.progressChange.completed;
    expect(r.initiative.reportLines[0]).toContain(`此后完成${done}个`);
  });

  it('a week before the report reads 较上周 / last week', async () => {
    const end = new Date(Date.now() - 2 * WEEK);
    const q = `query($a: DateTimeISO, $c: DateTimeISO, $l: Locale!) { initiative(key: "hist", asOf: $a) { reportLines(locale: $l, compareTo: $c) } }`;
    const vars = { a: end.toISOString(), c: new Date(end.getTime() - WEEK).toISOString() };
    const zh = (await app.ok(q, { ...vars, l: 'ZH_CN' })).initiative.reportLines;
    expect(zh[0]).toMatch(/（较上周[+-]\d+\.\d\d个百分点，本周完成\d+个）/);
    const en = (await app.ok(q, { ...vars, l: 'EN' })).initiative.reportLines;
    expect(en[0]).toMatch(/ \([+-]\d+\.\d\d pp on last week, \d+ done this week\)/);
  });
});
