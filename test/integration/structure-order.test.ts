import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyReplay } from '../../src/services/verify-replay.js';
import { DIALECTS } from '../helpers/databases.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  DELETE_WORKSTREAM,
  MOVE_ITEM,
  MOVE_WORKSTREAM,
} from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { reportTimeText } from '../../src/domain/report-day.js';

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const RESTORE_WORKSTREAM = `mutation($input: RestoreWorkstreamInput!) {
  restoreWorkstream(input: $input) { workstream { id } userErrors { code message field } } }`;

/** A back-dated change to a tree's shape may not slip in before a later one already logged. */
describe.each(DIALECTS)('structural writes in effective order (%s)', (dialect) => {
  let app: TestApp;
  const logCount = async () =>
    Number((await app.em().execute('select count(*) as n from change_log'))[0]!.n);
  const ok = async (query: string, input: Record<string, unknown>) => {
    const payload: any = Object.values(await app.ok(query, { input }))[0];
    expect(payload.userErrors).toEqual([]);
    return payload;
  };
  /** Refused on effectiveAt, naming the latest structural time, and nothing written. */
  const refused = async (query: string, input: Record<string, unknown>, latest: number) => {
    const before = await logCount();
    const payload: any = Object.values(await app.ok(query, { input }))[0];
    expect(payload.userErrors).toMatchObject([{ code: 'INVALID_INPUT', field: ['effectiveAt'] }]);
    expect(payload.userErrors[0].message).toContain(reportTimeText(latest)); // the team's time
    expect(await logCount()).toBe(before);
  };

  beforeAll(async () => {
    app = await createTestApp(dialect);
  });
  afterAll(() => app?.close());

  it('refuses a back-dated move before a later move, so no cycle forms in effective time', async () => {
    const t0 = Date.now() - 60 * MINUTE;
    const at = (m: number) => iso(t0 + m * MINUTE);
    const ini = (await ok(CREATE_INITIATIVE, { key: 'cy', name: 'cy', effectiveAt: at(0) }))
      .initiative.id;
    const ws = async (name: string, parentId: string | null = null) =>
      (await ok(CREATE_WORKSTREAM, { initiativeId: ini, parentId, name, effectiveAt: at(0) }))
        .workstream.id as string;
    const a = await ws('A');
    const b = await ws('B');
    const leaf = await ws('L', b);
    await ok(CREATE_ITEMS, {
      workstreamId: leaf,
      items: [{ name: 'x', status: 'DONE' }],
      effectiveAt: at(0),
    });
    await ok(MOVE_WORKSTREAM, { id: b, parentId: a, effectiveAt: at(40) });
    await ok(MOVE_WORKSTREAM, { id: b, parentId: null, effectiveAt: at(50) });
    await refused(MOVE_WORKSTREAM, { id: a, parentId: b, effectiveAt: at(30) }, t0 + 50 * MINUTE);
    await refused(
      CREATE_WORKSTREAM,
      { initiativeId: ini, parentId: a, name: 'N', effectiveAt: at(45) },
      t0 + 50 * MINUTE,
    );
    await refused(DELETE_WORKSTREAM, { id: a, effectiveAt: at(45) }, t0 + 50 * MINUTE);
    // At or after the latest structural row is fine.
    await ok(MOVE_WORKSTREAM, { id: a, parentId: b, effectiveAt: at(50) });
    for (const m of [35, 45, 55]) {
      const res = await app.ok(
        `{ initiative(key: "cy", asOf: "${at(m)}") { progress { total } } }`,
      );
      expect(res.initiative.progress.total).toBe(1);
    }
    expect((await verifyReplay(app.em())).differences).toEqual([]);
  });

  it('refuses an item moved into a workstream back-dated to when it was deleted', async () => {
    const t0 = Date.now() - 60 * MINUTE;
    const at = (m: number) => iso(t0 + m * MINUTE);
    const ini = (await ok(CREATE_INITIATIVE, { key: 'mv', name: 'mv', effectiveAt: at(0) }))
      .initiative.id;
    const ws = async (name: string) =>
      (await ok(CREATE_WORKSTREAM, { initiativeId: ini, name, effectiveAt: at(0) })).workstream
        .id as string;
    const from = await ws('甲');
    const to = await ws('乙');
    const [item] = (
      await ok(CREATE_ITEMS, { workstreamId: from, items: [{ name: 'x' }], effectiveAt: at(0) })
    ).items;
    await ok(DELETE_WORKSTREAM, { id: to, effectiveAt: at(20) });
    await ok(RESTORE_WORKSTREAM, { id: to });
    const p: any = Object.values(
      await app.ok(MOVE_ITEM, {
        input: { itemId: item.id, workstreamId: to, effectiveAt: at(30) },
      }),
    )[0];
    expect(p.userErrors).toMatchObject([{ code: 'INVALID_INPUT', field: ['effectiveAt'] }]);
    // Items may still be back-dated into a workstream whose shape has not changed since.
    await ok(CREATE_ITEMS, { workstreamId: from, items: [{ name: 'y' }], effectiveAt: at(30) });
    expect((await verifyReplay(app.em())).differences).toEqual([]);
  });
});
