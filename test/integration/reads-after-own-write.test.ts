import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../helpers/databases.js';
import { CREATE_INITIATIVE, CREATE_ITEMS, CREATE_WORKSTREAM } from '../helpers/operations.js';
import * as RM from '../helpers/report-model-ops.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * A request's mutations run one after another, and each payload's fields are read after its
 * own write committed: what an earlier payload of the same request read (an item's history, its
 * stage, a window of change) must not be served to a later one.
 */
describe.each(DIALECTS)('a later mutation’s payload reads after its own write (%s)', (dialect) => {
  let app: TestApp;
  let item: string;
  let since: string;

  beforeAll(async () => {
    app = await createTestApp(dialect);
    since = new Date(Date.now() - 60_000).toISOString();
    const ini = (await app.ok(CREATE_INITIATIVE, { input: { key: 'own', name: 'own' } }))
      .createInitiative.initiative.id;
    const ws = (await app.ok(CREATE_WORKSTREAM, { input: { initiativeId: ini, name: 'w' } }))
      .createWorkstream.workstream.id;
    await app.ok(RM.DEFINE_STAGES, {
      input: { initiativeId: ini, stages: [{ name: '设计' }, { name: '开发' }, { name: '上线' }] },
    });
    item = (await app.ok(CREATE_ITEMS, { input: { workstreamId: ws, items: [{ name: 'x' }] } }))
      .createItems.items[0].id;
  });
  afterAll(() => app?.close());

  it('an item’s history and its workstream’s change since a time', async () => {
    const fields = `item { percent history(first: 5) { nodes { toPercent } }
      workstream { progressChange(since: $since) { entries } } } userErrors { code }`;
    const data = await app.ok(
      `mutation($id: ID!, $since: DateTimeISO!) {
        a: setItemStatus(input: { itemId: $id, status: IN_PROGRESS, percent: 10 }) { ${fields} }
        b: setItemStatus(input: { itemId: $id, status: IN_PROGRESS, percent: 20 }) { ${fields} }
      }`,
      { id: item, since },
    );
    expect(data.a.item.history.nodes[0].toPercent).toBe(10);
    expect(data.b.item.percent).toBe(20);
    expect(data.b.item.history.nodes.map((n: { toPercent: number }) => n.toPercent)).toEqual([
      20, 10, 0,
    ]);
    expect(data.b.item.workstream.progressChange.entries).toBe(
      data.a.item.workstream.progressChange.entries + 1,
    );
  });

  it('an item’s stage', async () => {
    const fields = 'item { stage version } userErrors { code }';
    const data = await app.ok(
      `mutation($id: ID!) {
        a: setItemStage(input: { itemId: $id, stage: "开发" }) { ${fields} }
        b: setItemStage(input: { itemId: $id, stage: "上线" }) { ${fields} }
      }`,
      { id: item },
    );
    expect(data.a.item.stage).toBe('开发');
    expect(data.b.item).toEqual({ stage: '上线', version: data.a.item.version + 1 });
  });
});
