import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS } from '../../src/domain/effective-time.js';
import { ITEM_STATUSES } from '../../src/domain/item-status.js';
import { createInitiative } from '../../src/services/create-initiative.js';
import { createItems } from '../../src/services/create-items.js';
import { createWorkstream } from '../../src/services/create-workstream.js';
import { moveItem } from '../../src/services/move-item.js';
import { defineStages, setItemStage } from '../../src/services/set-item-stage.js';
import { setItemStatuses } from '../../src/services/set-item-statuses.js';
import { updateItem } from '../../src/services/update-item.js';
import { verifyReplay } from '../../src/services/verify-replay.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import { operatorContext } from '../../src/services/write-pipeline/write-context.js';
import { DIALECTS } from '../helpers/databases.js';
import { rng } from '../helpers/random.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const CLIENTS = 12;
const WRITES_PER_CLIENT = 10;

/**
 * Writers to one object must stamp their rows in commit order: a writer that waited for
 * another's lock may not log an earlier time than the one it waited for, or the replay (by
 * effective time, then recording order) would end in a different state than the live rows.
 */
describe.each(DIALECTS)('the write clock under concurrent writers (%s)', (dialect) => {
  let app: TestApp;
  let leaves: number[];
  let hot: number;

  beforeAll(async () => {
    app = await createTestApp(dialect);
    const op = operatorContext(app.em(), 'setup');
    const ini = (await runWrite(op, createInitiative, { key: 'hot', name: '热点' })).id;
    leaves = [];
    for (const name of ['甲', '乙'])
      leaves.push((await runWrite(op, createWorkstream, { initiativeId: ini, name })).id);
    hot = (
      await runWrite(op, createItems, { workstreamId: leaves[0]!, items: [{ name: 'hot' }] })
    )[0]!.id;
  });
  afterAll(() => app?.close());

  const logOf = async (itemId: number) =>
    (
      await app
        .em()
        .execute(
          'select id, version, recorded_at, effective_at from change_log where item_id = ? order by id',
          [itemId],
        )
    ).map((r) => ({
      id: Number(r.id),
      version: Number(r.version),
      recordedAt: new Date(r.recorded_at as string).getTime(),
      effectiveAt: new Date(r.effective_at as string).getTime(),
    }));

  it('hammers one item from many clients: replay is clean, recordedAt order is version order', async () => {
    const r = rng(7);
    const client = async (c: number) => {
      const ctx = operatorContext(app.em(), `client-${c}`);
      for (let i = 0; i < WRITES_PER_CLIENT; i++) {
        const kind = r.int(0, 2);
        if (kind === 0) {
          const status = r.pick(ITEM_STATUSES)!;
          const percent = status === 'IN_PROGRESS' ? r.int(1, 99) : undefined;
          await runWrite(ctx, setItemStatuses, {
            updates: [{ itemId: hot, status, percent }],
            single: true,
          });
        } else if (kind === 1) {
          await runWrite(ctx, updateItem, { itemId: hot, weight: r.int(1, 9) });
        } else {
          await runWrite(ctx, moveItem, { itemId: hot, workstreamId: r.pick(leaves)! });
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));

    const rows = await logOf(hot);
    expect(rows.length).toBeGreaterThan((CLIENTS * WRITES_PER_CLIENT) / 2); // some were no-ops
    const byVersion = [...rows].sort((a, b) => a.version - b.version);
    expect(byVersion.map((x) => x.id)).toEqual(rows.map((x) => x.id)); // versions in log order
    for (let i = 1; i < byVersion.length; i++) {
      expect(byVersion[i]!.recordedAt).toBeGreaterThanOrEqual(byVersion[i - 1]!.recordedAt);
      expect(byVersion[i]!.effectiveAt).toBeGreaterThanOrEqual(byVersion[i - 1]!.effectiveAt);
    }
    const report = await verifyReplay(app.em());
    expect(report.differences).toEqual([]);
  });

  it('hammers a staged item with stage, rename and move writes: the same order holds', async () => {
    const op = operatorContext(app.em(), 'setup');
    const [initiative] = await app
      .em()
      .execute('select initiative_id from workstream where id = ?', [leaves[0]!]);
    const stages = ['设计', '开发', '测试', '上线'];
    await runWrite(op, defineStages, {
      initiativeId: Number(initiative!.initiative_id),
      stages: stages.map((name) => ({ name })),
    });
    const staged = (
      await runWrite(op, createItems, { workstreamId: leaves[0]!, items: [{ name: 'staged' }] })
    )[0]!.id;
    const r = rng(11);
    const client = async (c: number) => {
      const ctx = operatorContext(app.em(), `stager-${c}`);
      for (let i = 0; i < WRITES_PER_CLIENT; i++) {
        const kind = r.int(0, 2);
        if (kind === 0)
          await runWrite(ctx, setItemStage, { itemId: staged, stage: r.pick(stages)! });
        else if (kind === 1)
          await runWrite(ctx, updateItem, { itemId: staged, weight: r.int(1, 9) });
        else await runWrite(ctx, moveItem, { itemId: staged, workstreamId: r.pick(leaves)! });
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));

    const rows = await logOf(staged);
    const byVersion = [...rows].sort((a, b) => a.version - b.version);
    expect(byVersion.map((x) => x.version)).toEqual(byVersion.map((_, i) => i + 1));
    expect(byVersion.map((x) => x.id)).toEqual(rows.map((x) => x.id));
    for (let i = 1; i < byVersion.length; i++)
      expect(byVersion[i]!.effectiveAt).toBeGreaterThanOrEqual(byVersion[i - 1]!.effectiveAt);
    expect((await verifyReplay(app.em())).differences).toEqual([]);
  });

  it('takes an effectiveAt ahead of the clock (within the skew) as now, so later writes follow it', async () => {
    const ctx = operatorContext(app.em(), 'fast-clock');
    const ahead = new Date(Date.now() + CLOCK_SKEW_MS / 2);
    await runWrite(ctx, setItemStatuses, {
      updates: [{ itemId: hot, status: 'DONE' }],
      effectiveAt: ahead,
    });
    await runWrite(ctx, setItemStatuses, { updates: [{ itemId: hot, status: 'NOT_STARTED' }] });
    const rows = await logOf(hot);
    const [done, after] = rows.slice(-2);
    expect(done!.effectiveAt).toBeLessThanOrEqual(done!.recordedAt);
    expect(after!.effectiveAt).toBeGreaterThanOrEqual(done!.effectiveAt);
    expect((await verifyReplay(app.em())).differences).toEqual([]);
  });
});
