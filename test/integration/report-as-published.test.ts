import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import {
  ARCHIVE_INITIATIVE,
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  UPDATE_INITIATIVE,
} from '../helpers/operations.js';
import * as RM from '../helpers/report-model-ops.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const pause = () => new Promise((r) => setTimeout(r, 10));

/** A report or initiative read at a time shows the initiatives as they stood then. */
describe.each(DIALECTS)('initiatives as they stood (%s)', (dialect) => {
  let app: TestApp;
  const ok = async (query: string, input: Record<string, unknown>) => {
    const payload: any = Object.values(await app.ok(query, { input }))[0];
    expect(payload.userErrors).toEqual([]);
    return payload;
  };
  const seed = async (key: string, extra: Record<string, unknown> = {}) => {
    const ini = (await ok(CREATE_INITIATIVE, { key, name: `项目${key}`, ...extra })).initiative.id;
    const ws = (await ok(CREATE_WORKSTREAM, { initiativeId: ini, name: '迁移' })).workstream.id;
    await ok(CREATE_ITEMS, {
      workstreamId: ws,
      items: [{ name: 'a', status: 'DONE' }, { name: 'b' }],
    });
    return ini as string;
  };
  beforeAll(async () => {
    app = await createTestApp(dialect);
  });
  afterAll(() => app?.close());

  it('reproduces a published weekly report after renames, archiving and new initiatives', async () => {
    const one = await seed('one', { objective: 'O1 目标', phase: '测试中' });
    const two = await seed('two', { objective: 'O1 目标' });
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await pause();
    const t1 = new Date().toISOString();
    const published = (await app.ok(`{ weeklyReport(date: "${day}") }`)).weeklyReport;
    await pause();
    await ok(UPDATE_INITIATIVE, {
      initiativeId: one,
      name: '改名了',
      objective: 'O2 新目标',
      phase: '投产',
    });
    await ok(ARCHIVE_INITIATIVE, { initiativeId: two });
    await seed('three', { objective: 'O3' });
    const now = (await app.ok(`{ weeklyReport(date: "${day}") }`)).weeklyReport;
    expect(now).not.toBe(published);
    expect(now).toContain('改名了');
    const again = (await app.ok(`{ weeklyReport(date: "${day}", knownAt: "${t1}") }`)).weeklyReport;
    expect(again).toBe(published);

    const fields = '{ key name objective phase archived }';
    const at = await app.ok(`{ initiative(key: "one", asOf: "${t1}") ${fields}
      node(id: "${one}", asOf: "${t1}") { ... on Initiative ${fields} }
      initiatives(asOf: "${t1}") ${fields} }`);
    const then = {
      key: 'one',
      name: '项目one',
      objective: 'O1 目标',
      phase: '测试中',
      archived: false,
    };
    expect(at.initiative).toEqual(then);
    expect(at.node).toEqual(then);
    expect(at.initiatives.map((i: { key: string }) => i.key)).toEqual(['one', 'two']);
    const live = await app.ok(`{ initiatives ${fields} }`);
    expect(live.initiatives.map((i: { key: string }) => i.key)).toEqual(['one', 'three']);
    const archived = await app.ok(
      `{ initiative(key: "two", asOf: "${new Date().toISOString()}") { archived } }`,
    );
    expect(archived.initiative.archived).toBe(true);
  });

  it('leaves out updates, readings and stages recorded after knownAt, and shows stages as they stood', async () => {
    const ini = (await ok(CREATE_INITIATIVE, { key: 'model', name: '模型', objective: 'O9' }))
      .initiative.id;
    const ws = (await ok(CREATE_WORKSTREAM, { initiativeId: ini, name: '上线' })).workstream.id;
    const [x] = (await ok(CREATE_ITEMS, { workstreamId: ws, items: [{ name: '支付网关' }] })).items;
    await ok(RM.DEFINE_STAGES, { initiativeId: ini, stages: [{ name: '设计' }, { name: '投产' }] });
    const metric = (
      await ok(RM.DEFINE_METRIC, {
        initiativeId: ini,
        name: '成功率',
        decimals: 0,
        direction: 'UP',
      })
    ).metric.id;
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await ok(RM.SET_ITEM_STAGE, { itemId: x.id, stage: '设计' });
    await ok(RM.RECORD_READING, { metricId: metric, value: '97' });
    await ok(RM.POST_UPDATE, { initiativeId: ini, section: 'PROGRESS', week: day, body: '先写的' });
    await pause();
    const t1 = new Date().toISOString();
    const report = (knownAt?: string) =>
      app
        .ok(`{ weeklyReport(date: "${day}"${knownAt ? `, knownAt: "${knownAt}"` : ''}) }`)
        .then((d) => d.weeklyReport as string);
    const published = await report();
    expect(published).toContain('先写的');
    expect(published).toContain('成功率：97');
    expect(published).toContain('设计');
    await pause();
    // Later, and back-dated to before t1: none of it was in the report published at t1.
    const earlier = new Date(Date.parse(t1) - 5).toISOString();
    await ok(RM.SET_ITEM_STAGE, { itemId: x.id, stage: '投产', effectiveAt: earlier });
    await ok(RM.RECORD_READING, { metricId: metric, value: '99', effectiveAt: earlier });
    await ok(RM.POST_UPDATE, { initiativeId: ini, section: 'PROGRESS', week: day, body: '后补的' });
    const now = await report();
    expect(now).toContain('后补的');
    expect(now).toContain('成功率：99');
    expect(now).toContain('投产');
    expect(await report(t1)).toBe(published);
    // Before the item was staged, the report has no staged line for it.
    const before = (await app.ok(`{ weeklyReport(date: "2000-01-03") }`)).weeklyReport;
    expect(before).not.toContain('支付网关');
  });

  it('takes a field a creation row predates as its earliest known value', async () => {
    const id = await seed('old', { objective: '最初的目标' });
    // A creation row written before the report fields were logged.
    const [row] = await app
      .em()
      .execute(`select id, data from change_log where kind = 'InitiativeCreated' and data like ?`, [
        '%"key":"old"%',
      ]);
    const old = JSON.parse(String(row!.data)).state;
    for (const f of ['objective', 'phase', 'targetDate', 'reportLowPercentBucket']) delete old[f];
    await app
      .em()
      .execute('update change_log set data = ? where id = ?', [
        JSON.stringify({ state: old }),
        row!.id,
      ]);
    await pause();
    const t1 = new Date().toISOString();
    await pause();
    await ok(UPDATE_INITIATIVE, { initiativeId: id, objective: '后来的目标' });
    const q = (t: string) => `{ initiative(key: "old", asOf: "${t}") { objective phase } }`;
    expect((await app.ok(q(t1))).initiative).toEqual({ objective: '最初的目标', phase: null });
    expect((await app.ok(q(new Date().toISOString()))).initiative.objective).toBe('后来的目标');
  });
});
