import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import { MAX_METRICS } from '../../src/domain/metric-rules.js';
import { MAX_MILESTONES } from '../../src/domain/milestone-rules.js';
import { MAX_NAMED_FIGURES } from '../../src/domain/named-figures.js';
import { MAX_STAGES } from '../../src/domain/stages.js';
import { fromGlobalId } from '../../src/domain/global-id.js';
import { jinduSchema } from '../../src/graphql/schema.js';
import { queryCost } from '../../src/server/cost-model.js';
import { loadSeed } from '../../src/services/load-seed.js';
import { DIALECTS } from '../helpers/databases.js';
import { DEFINE_METRIC, SET_MILESTONE } from '../helpers/report-model-ops.js';
import { ROOT } from '../helpers/server-process.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/*
 * The report model read over GraphQL: named figures on every node (live and as of a time),
 * stages, metrics, milestones and written updates, for the week-20 seed.
 */

interface Fig {
  name: string;
  percent: number | null;
  credit: number;
  counted: number;
  explain: string;
}
interface Node {
  id: string;
  name: string;
  figures: Fig[];
  children: Node[];
}

const TREE = `figures { name percent credit counted explain }
  workstreams { ...n children { ...n children { ...n children { ...n } } } }`;
const FRAGMENT = `fragment n on Workstream { id name figures { name percent credit counted explain } }`;

function flatten(nodes: readonly Node[], out: Node[] = []): Node[] {
  for (const n of nodes) {
    out.push(n);
    flatten(n.children ?? [], out);
  }
  return out;
}

type Status = 'NOT_STARTED' | 'IN_PROGRESS' | 'PAUSED' | 'DONE' | 'DECOMMISSIONABLE' | 'CANCELLED';
type Rule = 'FULL' | 'PERCENT' | 'ZERO' | 'EXCLUDED';
const DEFAULT: Record<Status, Rule> = {
  DONE: 'FULL',
  DECOMMISSIONABLE: 'FULL',
  CANCELLED: 'FULL',
  IN_PROGRESS: 'PERCENT',
  PAUSED: 'PERCENT',
  NOT_STARTED: 'ZERO',
};

/**
 * Brute force: a figure over a node is the items (and manual work) of the workstreams both below
 * the node and in the scope; a node above the scope covers the scope. Recomputed per node.
 */
function bruteForce(
  ws: readonly { id: number; parentId: number | null; weight: number; manual: number | null }[],
  items: readonly { wsId: number; status: Status; percent: number; weight: number }[],
  nodeId: number,
  scopeId: number | null,
  policy: Record<Status, Rule>,
): { credit: number; counted: number } {
  const parent = new Map(ws.map((w) => [w.id, w.parentId]));
  const below = (id: number, top: number) => {
    for (let at: number | null = id; at !== null; at = parent.get(at) ?? null)
      if (at === top) return true;
    return false;
  };
  const covered = ws.filter((w) => {
    if (
      !below(w.id, nodeId) &&
      !(scopeId !== null && below(scopeId, nodeId) && below(w.id, scopeId))
    )
      return false;
    return scopeId === null || below(w.id, scopeId);
  });
  const ids = new Set(covered.map((w) => w.id));
  let credit = 0;
  let counted = 0;
  for (const i of items) {
    if (!ids.has(i.wsId)) continue;
    const rule = policy[i.status];
    if (rule === 'EXCLUDED') continue;
    counted += i.weight;
    credit += rule === 'FULL' ? i.weight : rule === 'PERCENT' ? (i.weight * i.percent) / 100 : 0;
  }
  for (const w of covered)
    if (w.manual !== null) {
      counted += w.weight;
      credit += (w.weight * w.manual) / 100;
    }
  return { credit, counted };
}

describe.each(DIALECTS)('report model reads (%s)', (dialect) => {
  let app: TestApp;
  let hiveId: string;
  const seededAt = new Date();

  beforeAll(async () => {
    app = await createTestApp(dialect);
    await loadSeed({ em: app.em(), initiatives: week20Seed });
    hiveId = (await app.ok('{ initiative(key: "hive") { id } }')).initiative.id;
  }, 120_000);
  afterAll(() => app?.close());

  const hive = async (args = '') =>
    (await app.ok(`{ initiative(key: "hive"${args}) { ${TREE} } } ${FRAGMENT}`)).initiative as {
      figures: Fig[];
      workstreams: Node[];
    };

  it('gives the initiative the report header’s figures, in their order', async () => {
    const data = await app.ok(
      '{ initiative(key: "hive") { figures { name percent } reportLines } weeklyReport(date: "2023-05-13") }',
    );
    const figures = data.initiative.figures as Fig[];
    expect(figures.map((f) => f.name)).toEqual(['总进度', '迁移进度']);
    const shown = figures.map((f) => f.percent!.toFixed(2));
    expect(shown).toEqual(['87.23', '86.11']);
    // The same figures the report header prints, from the same rows.
    expect(data.weeklyReport).toContain(
      `Hive数仓建设总进度：${shown[0]}%，迁移进度（总数164个）：${shown[1]}%`,
    );
  });

  it('evaluates every named figure on every node as a brute force does, policy overrides too', async () => {
    const migration = (await hive()).workstreams.find((w) => w.name === '迁移')!;
    const defined = await app.ok(
      `mutation($i: ID!, $m: ID!) { defineNamedFigures(input: { initiativeId: $i, figures: [
        { name: "总进度" }, { name: "迁移进度", scopeWorkstreamId: $m },
        { name: "迁移进度（不含可下线）", scopeWorkstreamId: $m, policy: [{ status: DECOMMISSIONABLE, credit: EXCLUDED }] }
      ] }) { figures userErrors { message } } }`,
      { i: hiveId, m: migration.id },
    );
    expect(defined.defineNamedFigures.userErrors).toEqual([]);
    const em = app.em();
    const [{ id }] = await em.execute("select id from initiative where key = 'hive'");
    const ws = (
      await em.execute(
        'select id, parent_id, weight_centi, manual_percent_bp from workstream where initiative_id = ? and deleted_at is null',
        [id],
      )
    ).map((r) => ({
      id: Number(r.id),
      parentId: r.parent_id === null ? null : Number(r.parent_id),
      weight: Number(r.weight_centi) / 100,
      manual: r.manual_percent_bp === null ? null : Number(r.manual_percent_bp) / 100,
    }));
    const items = (
      await em.execute(
        'select workstream_id, status, percent, weight from item where initiative_id = ? and deleted_at is null',
        [id],
      )
    ).map((r) => ({
      wsId: Number(r.workstream_id),
      status: r.status as Status,
      percent: Number(r.percent),
      weight: Number(r.weight),
    }));
    const numeric = (gid: string) => fromGlobalId(gid, 'Workstream')!.id;
    const scope = numeric(migration.id);
    const policies = [DEFAULT, DEFAULT, { ...DEFAULT, DECOMMISSIONABLE: 'EXCLUDED' as Rule }];
    const scopes = [null, scope, scope];
    const tree = await hive();
    const nodes = flatten(tree.workstreams);
    expect(nodes.length).toBe(ws.length);
    for (const node of nodes) {
      const nodeId = numeric(node.id);
      expect(node.figures.map((f) => f.name)).toEqual([
        '总进度',
        '迁移进度',
        '迁移进度（不含可下线）',
      ]);
      node.figures.forEach((f, i) => {
        const want = bruteForce(ws, items, nodeId, scopes[i]!, policies[i]!);
        expect(f.counted, `${node.name} ${f.name}`).toBeCloseTo(want.counted, 9);
        expect(f.credit, `${node.name} ${f.name}`).toBeCloseTo(want.credit, 9);
        if (want.counted === 0) expect(f.percent).toBeNull();
        else expect(f.percent!).toBeCloseTo((want.credit / want.counted) * 100, 9);
      });
    }
    // Excluding what can be retired leaves 164 − 48 items in 迁移.
    const m = tree.figures[2]!;
    expect(m.counted).toBe(116);
    expect(m.explain).toContain('迁移进度（不含可下线）');
  });

  it('reads the same figures as of now, and the earlier ones as of before a change', async () => {
    const before = new Date();
    const live = await hive();
    await new Promise((r) => setTimeout(r, 5));
    const asOfNow = await hive(`, asOf: "${before.toISOString()}"`);
    expect(asOfNow).toEqual(live);
    // Finish an in-progress item: live figures move, the as-of view keeps the earlier ones.
    const page = await app.ok(
      '{ initiative(key: "hive") { items(first: 1, status: [IN_PROGRESS]) { nodes { id } } } }',
    );
    const itemId = page.initiative.items.nodes[0].id;
    const set = await app.ok(
      'mutation($id: ID!) { setItemStatus(input: { itemId: $id, status: DONE }) { userErrors { message } } }',
      { id: itemId },
    );
    expect(set.setItemStatus.userErrors).toEqual([]);
    const after = await hive();
    expect(after.figures[0]!.credit).toBeGreaterThan(live.figures[0]!.credit);
    expect(await hive(`, asOf: "${before.toISOString()}"`)).toEqual(live);
    // Before the initiative existed: no tree, and a scoped figure covers nothing then either.
    const empty = await hive(', asOf: "2020-01-01T00:00:00Z"');
    expect(empty.workstreams).toEqual([]);
    expect(empty.figures.map((f) => [f.percent, f.counted])).toEqual([
      [null, 0],
      [null, 0],
      [null, 0],
    ]);
  });

  it('reads the stage workflow and each staged item’s stage, as it stood too', async () => {
    const q = (args = '') =>
      app.ok(`{ initiative(key: "payment-channels"${args}) {
        stages { name percent }
        workstreams { stages { name } }
        items(first: 10) { nodes { name status percent stage stageNote } } } }`);
    const data = (await q()).initiative;
    expect(data.stages).toEqual([
      { name: '启动', percent: 20 },
      { name: '设计', percent: 40 },
      { name: '开发', percent: 60 },
      { name: '上线', percent: 80 },
      { name: '投产', percent: 100 },
    ]);
    const byName = new Map(data.items.nodes.map((i: { name: string }) => [i.name, i]));
    expect(byName.get('银联在线收银台')).toMatchObject({
      stage: '上线',
      status: 'IN_PROGRESS',
      percent: 80,
    });
    expect(byName.get('银商支付宝APP花呗')).toMatchObject({ stage: '投产', status: 'DONE' });
    expect(byName.get('网联代收')).toMatchObject({ stage: '启动' });
    expect((byName.get('网联代收') as { stageNote: string }).stageNote).toContain('待评审');
    // Before 网联代收 started (2023-05-10) it had no stage; the others were already staged.
    const then = (await q(', asOf: "2023-05-08T00:00:00+08:00"')).initiative;
    const thenByName = new Map(then.items.nodes.map((i: { name: string }) => [i.name, i]));
    expect(thenByName.get('银联在线收银台')).toMatchObject({ stage: '上线' });
    expect(
      (thenByName.get('网联代收') as { stage: string | null } | undefined)?.stage ?? null,
    ).toBeNull();
  });

  it('reads metrics with their latest reading, target check and burn-down', async () => {
    const data = await app.ok(`{ initiative(key: "account-2") { metrics {
      name unit target direction workstreamName met metLabel burnDown burnDownPercent
      latest { value lowerBound } readings(first: 1) { totalCount nodes { value } pageInfo { hasNextPage } } } } }`);
    const byName = new Map(data.initiative.metrics.map((m: { name: string }) => [m.name, m]));
    expect(byName.get('账户2.0性能-普通记账TPS（120并发线程）')).toMatchObject({
      target: '1000',
      met: true,
      metLabel: '已达标',
      latest: { value: '1047', lowerBound: false },
      workstreamName: '账户性能与功能兼容性',
    });
    expect(byName.get('账户2.0性能-热点账户记账TPS（80并发线程）')).toMatchObject({
      met: false,
      metLabel: '未达标',
    });
    expect(byName.get('金融收款宝（充值+退款）存量单')).toMatchObject({
      burnDown: true,
      target: '0',
      latest: { value: '200', lowerBound: true },
      burnDownPercent: 0,
    });
    // A metric's answers name its workstream as a read does (they said null).
    const { initiative } = await app.ok(
      '{ initiative(key: "account-2") { id workstreams { id name } } }',
    );
    const ws = initiative.workstreams[0];
    const defined = await app.ok(
      `mutation($i: ID!, $w: ID!) { defineMetric(input: { initiativeId: $i, workstreamId: $w,
        name: "名字测试", unit: "次", decimals: 0, direction: "UP" }) {
        metric { id workstreamName } userErrors { message } } }`,
      { i: initiative.id, w: ws.id },
    );
    expect(defined.defineMetric.metric.workstreamName).toBe(ws.name);
    const recorded = await app.ok(
      `mutation($m: Int!) { recordMetricReading(input: { metricId: $m, value: "3" }) {
        metric { workstreamName } userErrors { message } } }`,
      { m: defined.defineMetric.metric.id },
    );
    expect(recorded.recordMetricReading).toEqual({
      metric: { workstreamName: ws.name },
      userErrors: [],
    });
  });

  it('pages readings newest first, says the exact change, and hides readings after asOf', async () => {
    const { initiative } = await app.ok('{ initiative(key: "stability-cost") { id } }');
    const defined = await app.ok(
      `mutation($i: ID!) { defineMetric(input: { initiativeId: $i, name: "测试成本", unit: "元",
        decimals: 4, direction: "DOWN", effectiveAt: "2023-05-20T00:00:00Z" }) { metric { id } userErrors { message } } }`,
      { i: initiative.id },
    );
    const metricId = defined.defineMetric.metric.id;
    for (const [value, at] of [
      ['1621972.8175', '2023-06-01T00:00:00Z'],
      ['1409444.598', '2023-07-01T00:00:00Z'],
    ]) {
      const recorded = await app.ok(
        `mutation($m: Int!, $v: String!, $at: DateTimeISO!) { recordMetricReading(input: {
          metricId: $m, value: $v, effectiveAt: $at }) { userErrors { message } } }`,
        { m: metricId, v: value, at },
      );
      expect(recorded.recordMetricReading.userErrors).toEqual([]);
    }
    const read = async (
      args: string,
      after: string | null = null,
      since = '2023-06-15T00:00:00Z',
    ) =>
      (
        await app.ok(
          `query($after: String, $since: DateTimeISO!) { initiative(key: "stability-cost"${args}) { metrics {
            name change(since: $since) latest { value }
            readings(first: 1, after: $after) { totalCount nodes { value } pageInfo { hasNextPage endCursor } } } } }`,
          { after, since },
        )
      ).initiative.metrics.find((m: { name: string }) => m.name === '测试成本');
    const live = await read('');
    expect(live.change).toBe('-212528.2195');
    expect(live.readings.nodes).toEqual([{ value: '1409444.598' }]);
    expect(live.readings.pageInfo.hasNextPage).toBe(true);
    const next = await read('', live.readings.pageInfo.endCursor);
    expect(next.readings.nodes).toEqual([{ value: '1621972.8175' }]);
    expect(next.readings.pageInfo.hasNextPage).toBe(false);
    const then = await read(', asOf: "2023-06-20T00:00:00Z"');
    expect(then.latest).toEqual({ value: '1621972.8175' });
    expect(then.readings.totalCount).toBe(1);
    expect(then.change).toBe('0');
    const before = await read(', asOf: "2023-05-20T00:00:00Z"', null, '2023-05-01T00:00:00Z');
    expect(before.latest).toBeNull();
    expect(before.change).toBeNull();
    // A change from a time after the view's reads backwards: refused, as progressChange is.
    const backwards = await app.gql(
      `{ initiative(key: "stability-cost", asOf: "2023-05-20T00:00:00Z") { metrics {
        change(since: "2023-06-15T00:00:00Z") } } }`,
    );
    expect(backwards.errors?.map((e) => e.extensions?.code)).toContain('BAD_USER_INPUT');
    // Known before the metric was defined (and its readings recorded): not listed.
    const unknown = await read(
      `, asOf: "2023-07-02T00:00:00Z", knownAt: "${seededAt.toISOString()}"`,
    );
    expect(unknown).toBeUndefined();
  });

  it('reads milestones: due date, overdue on the read time’s day, slip', async () => {
    const q = (args = '') =>
      app.ok(
        `{ initiative(key: "pos"${args}) { milestones { id name dueDate duePrecision doneDate note overdue slipDays workstreamName } } }`,
      );
    const then = (await q(', asOf: "2023-05-13T12:00:00+08:00"')).initiative.milestones;
    const test = then.find((m: { workstreamName: string }) => m.workstreamName === '测试');
    expect(test).toMatchObject({
      dueDate: '2023-06-15',
      overdue: false,
      slipDays: 0,
      doneDate: null,
    });
    const live = (await q()).initiative.milestones;
    expect(live.find((m: { id: number }) => m.id === test.id).overdue).toBe(true);
    const moved = await app.ok(
      `mutation($id: Int!) { setMilestone(input: { milestoneId: $id, due: "2023-06-20" }) {
        milestone { dueDate slipDays overdue workstreamName } userErrors { message } } }`,
      { id: test.id },
    );
    // The answer names the workstream as a read does (it was null).
    expect(moved.setMilestone.milestone).toMatchObject({
      dueDate: '2023-06-20',
      slipDays: 5,
      workstreamName: '测试',
    });

    // A precision given alone was checked, then ignored: the milestone stayed a day.
    const precise = (duePrecision: string) =>
      app.ok(SET_MILESTONE, { input: { milestoneId: test.id, duePrecision } });
    expect((await precise('WEEK')).setMilestone).toMatchObject({
      milestone: { due: '2023-06-20', duePrecision: 'WEEK', slipDays: 10 }, // to Sunday 6/25
      userErrors: [],
    });
    expect((await precise('MONTH')).setMilestone).toMatchObject({
      milestone: { due: '2023-06-01', duePrecision: 'MONTH', slipDays: 15 }, // to 6/30
      userErrors: [],
    });
    // A month has no day to become.
    expect((await precise('DAY')).setMilestone).toMatchObject({
      milestone: null,
      userErrors: [expect.objectContaining({ code: 'INVALID_INPUT', field: ['due'] })],
    });
  });

  // Milestones were read as they are now at any time: a due date moved after the week-20 report
  // changed the report of that week as published, and an as-of read listed milestones added later.
  it('reads milestones as they stood and metrics defined by then, and a past week’s report prints them as published', async () => {
    const q = (args = '') =>
      app
        .ok(
          `{ initiative(key: "pos"${args}) { milestones { id name dueDate duePrecision note workstreamName } } }`,
        )
        .then((d) => d.initiative.milestones as { id: number; [k: string]: unknown }[]);
    const known = new Date().toISOString();
    const test = (await q()).find((m) => m.workstreamName === '测试')!;
    // Moved and made a month by the test above, effective now.
    expect(test).toMatchObject({ dueDate: '2023-06-01', duePrecision: 'MONTH' });
    const noted = await app.ok(SET_MILESTONE, {
      input: { milestoneId: test.id, note: '等联调环境' },
    });
    expect(noted.setMilestone.userErrors).toEqual([]);
    const pos = (await app.ok('{ initiative(key: "pos") { id } }')).initiative.id;
    // A metric defined today: no line in a past week's report, not listed as of then.
    const metric = await app.ok(DEFINE_METRIC, {
      input: { initiativeId: pos, name: '终端激活率', unit: '%', decimals: 1, direction: 'UP' },
    });
    expect(metric.defineMetric.userErrors).toEqual([]);
    const metricsAt = async (args = '') =>
      (await app.ok(`{ initiative(key: "pos"${args}) { metrics { name } } }`)).initiative.metrics;
    expect(await metricsAt(', asOf: "2023-05-13T12:00:00+08:00"')).toEqual([]);
    expect(await metricsAt()).toEqual([{ name: '终端激活率' }]);
    const added = await app.ok(SET_MILESTONE, {
      input: { initiativeId: pos, name: '全量上线', due: '2023-07-01' },
    });
    expect(added.setMilestone.userErrors).toEqual([]);
    const then = await q(', asOf: "2023-05-13T12:00:00+08:00"');
    expect(then.find((m) => m.id === test.id)).toMatchObject({
      dueDate: '2023-06-15',
      duePrecision: 'DAY',
      note: null,
      workstreamName: '测试',
    });
    expect(then.map((m) => m.name)).not.toContain('全量上线');
    const live = await q();
    expect(live.find((m) => m.id === test.id)).toMatchObject({ note: '等联调环境' });
    expect(live.map((m) => m.name)).toContain('全量上线');
    // The week-20 report as known before this test's writes, and as known now (every change
    // here took effect today).
    const report = async (knownAt?: string) =>
      (
        await app.ok('query($k: DateTimeISO) { weeklyReport(date: "2023-05-13", knownAt: $k) }', {
          k: knownAt,
        })
      ).weeklyReport as string;
    for (const md of [await report(known), await report()]) {
      expect(md).toContain('测试：预计6/15完成');
      expect(md).not.toContain('全量上线');
      expect(md).not.toContain('等联调环境');
      expect(md).not.toContain('终端激活率');
    }
    expect(await report()).not.toContain('暂无读数');
    const today = (await app.ok('{ weeklyReport }')).weeklyReport as string;
    expect(today).toContain('终端激活率：暂无读数');
  });

  it('answers the README’s copy-paste query', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Reading the report model'));
    const query = /```graphql\n([\s\S]*?)```/.exec(section)![1]!;
    const { initiative } = await app.ok(query);
    expect(initiative.metrics.length).toBeGreaterThan(0);
    expect(initiative.milestones.map((m: { name: string }) => m.name)).toContain('执行新一轮压测');
  });

  it('reads an initiative’s written updates by week, newest first, and as of a time', async () => {
    const q = (args: string, week: string) =>
      app.ok(
        `{ initiative(key: "payment-channels"${args}) { updates(week: "${week}") { totalCount nodes { section week body author } } } }`,
      );
    const { initiative } = await app.ok('{ initiative(key: "payment-channels") { id } }');
    for (const body of ['银联代收限额验证完成', '网联代收设计评审排期'])
      expect(
        (
          await app.ok(
            `mutation($i: ID!, $b: String!) { postUpdate(input: { initiativeId: $i, section: "PROGRESS",
              week: "2023-05-13", body: $b, effectiveAt: "2023-05-13T10:00:00+08:00" }) { userErrors { message } } }`,
            { i: initiative.id, b: body },
          )
        ).postUpdate.userErrors,
      ).toEqual([]);
    const week = (await q('', '2023-05-10')).initiative.updates;
    expect(week.nodes.map((u: { body: string }) => u.body)).toEqual([
      '网联代收设计评审排期',
      '银联代收限额验证完成',
    ]);
    expect(week.nodes[0].author).toBe('test');
    expect(week.totalCount).toBeGreaterThan(0);
    expect(week.nodes.every((u: { week: string }) => u.week === '2023-05-13')).toBe(true);
    expect((await q('', '2023-05-20')).initiative.updates.totalCount).toBe(0);
    expect(
      (await q(', asOf: "2023-05-01T00:00:00Z"', '2023-05-13')).initiative.updates.totalCount,
    ).toBe(0);
    const bad = await app.gql(
      '{ initiative(key: "payment-channels") { updates(week: "5/13") { totalCount } } }',
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('the cost model charges the report model’s lists by their bounds', () => {
  const sizes = {
    initiatives: 3,
    workstreams: 50,
    byKey: new Map([['x', 50]]),
    ever: { workstreams: 60, byKey: new Map([['x', 60]]) },
    now: Date.now(),
  };
  const costOf = async (query: string) =>
    queryCost(await jinduSchema(), parse(query), {}, undefined, sizes);

  it('charges metrics, milestones, figures and stages at their bound on each node', async () => {
    const one = await costOf(
      '{ initiative(key: "x") { metrics { name } milestones { name } figures { name } stages { name } } }',
    );
    expect(one.nodes).toBe(1 + 4 + MAX_METRICS + MAX_MILESTONES + MAX_NAMED_FIGURES + MAX_STAGES);
    const everyNode = await costOf(
      '{ initiative(key: "x") { workstreams { figures { name percent } } } }',
    );
    expect(everyNode.nodes).toBe(1 + 1 + 50 * (1 + MAX_NAMED_FIGURES * 2));
  });

  it('charges readings and updates by their page size', async () => {
    const paged = await costOf(
      '{ initiative(key: "x") { metrics { readings(first: 20) { nodes { value } } } updates(first: 10) { nodes { body } } } }',
    );
    expect(paged.nodes).toBe(1 + (1 + MAX_METRICS * (1 + 20 * 2)) + (1 + 10 * 2));
  });
});
