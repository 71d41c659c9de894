import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import * as RM from '../helpers/report-model-ops.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** Bad input to the report model's writes: a user error naming the field, and nothing written. */
describe.each(DIALECTS)('report model: bad input (%s)', (dialect) => {
  let app: TestApp;
  let a: string;
  let otherWs: string;
  let item: string;
  let metric: number;
  const tables = [
    'metric',
    'metric_reading',
    'milestone',
    'named_figure',
    'item_stage',
    'change_log',
  ];
  const counts = async () =>
    Promise.all(
      tables.map(async (t) =>
        Number((await app.em().execute(`select count(*) as n from ${t}`))[0]!.n),
      ),
    );
  const refused = async (
    query: string,
    input: Record<string, unknown>,
    code: string,
    field: string,
  ) => {
    const before = await counts();
    const data = await app.ok(query, { input });
    const payload: any = Object.values(data)[0];
    expect(payload.userErrors.map((e: any) => [e.code, e.field.join('.')])).toEqual([
      [code, field],
    ]);
    expect(await counts()).toEqual(before);
  };

  beforeAll(async () => {
    app = await createTestApp(dialect);
    const mk = async (key: string) =>
      (
        await app.ok(
          `mutation { createInitiative(input: { key: "${key}", name: "${key}" }) { initiative { id } } }`,
        )
      ).createInitiative.initiative.id as string;
    a = await mk('alpha');
    const b = await mk('beta');
    const ws = async (initiativeId: string) =>
      (
        await app.ok(
          `mutation($i: ID!) { createWorkstream(input: { initiativeId: $i, name: "w" }) { workstream { id } } }`,
          { i: initiativeId },
        )
      ).createWorkstream.workstream.id as string;
    const aWs = await ws(a);
    otherWs = await ws(b);
    await app.ok(RM.DEFINE_STAGES, {
      input: { initiativeId: a, stages: [{ name: '设计' }, { name: '投产' }] },
    });
    item = (
      await app.ok(
        `mutation($w: ID!) { createItems(input: { workstreamId: $w, items: [{ name: "x" }] }) { items { id } } }`,
        { w: aWs },
      )
    ).createItems.items[0].id;
    metric = (
      await app.ok(RM.DEFINE_METRIC, {
        input: { initiativeId: a, name: '成功率', decimals: 2, direction: 'UP' },
      })
    ).defineMetric.metric.id;
  });
  afterAll(() => app?.close());

  it('an unknown stage', () =>
    refused(RM.SET_ITEM_STAGE, { itemId: item, stage: '验收' }, 'INVALID_INPUT', 'stage'));

  it.each(['abc', '1e3', '99.8x', '', '1,000'])('a reading that is not a number: %j', (value) =>
    refused(RM.RECORD_READING, { metricId: metric, value }, 'INVALID_INPUT', 'value'),
  );

  it('a reading with more decimals than the metric allows', () =>
    refused(RM.RECORD_READING, { metricId: metric, value: '99.812' }, 'INVALID_INPUT', 'value'));

  it('a named figure whose scope is outside the initiative', () =>
    refused(
      RM.DEFINE_FIGURES,
      { initiativeId: a, figures: [{ name: '迁移进度', scopeWorkstreamId: otherWs }] },
      'NOT_FOUND',
      'figures.0.scopeWorkstreamId',
    ));

  it.each(['6/15', '2023-02-30', '2023-13', '下周'])(
    'a milestone date that does not parse: %j',
    (due) =>
      refused(RM.SET_MILESTONE, { initiativeId: a, name: '评审', due }, 'INVALID_INPUT', 'due'),
  );

  it('good input goes through: the reading is kept exactly as written', async () => {
    const data = await app.ok(RM.RECORD_READING, { input: { metricId: metric, value: '99.90' } });
    expect(data.recordMetricReading.reading).toMatchObject({ value: '99.90', lowerBound: false });
    // The metric comes back as it reads now, so a cached metric follows the reading.
    const withMetric = await app.ok(
      `mutation($input: RecordMetricReadingInput!) { recordMetricReading(input: $input) {
        metric { id latest { value } } userErrors { code } } }`,
      { input: { metricId: metric, value: '99.95' } },
    );
    expect(withMetric.recordMetricReading.metric).toMatchObject({
      id: metric,
      latest: { value: '99.95' },
    });
    const staged = await app.ok(RM.SET_ITEM_STAGE, { input: { itemId: item, stage: '设计' } });
    expect(staged.setItemStage.userErrors).toEqual([]);
    const node = await app.ok(
      `query($id: ID!) { node(id: $id) { ... on Item { status percent } } }`,
      { id: item },
    );
    expect(node.node).toEqual({ status: 'IN_PROGRESS', percent: 50 });
  });
});
