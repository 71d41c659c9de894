import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInitiative } from '../../src/services/create-initiative.js';
import { createItems } from '../../src/services/create-items.js';
import { createWorkstream } from '../../src/services/create-workstream.js';
import { loadAsOfTree } from '../../src/services/as-of-tree.js';
import { findInitiativesByIds } from '../../src/db/queries/initiative.queries.js';
import {
  SNAPSHOT_SETTLE_MS,
  snapshotStale,
  takeSnapshot,
  WEEK_MS,
} from '../../src/services/snapshots.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import { operatorContext } from '../../src/services/write-pipeline/write-context.js';
import { DIALECTS } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** Snapshots come by age and by log volume, so an as-of read's rows since one stay bounded. */
describe.each(DIALECTS)('when snapshots are taken (%s)', (dialect) => {
  let app: TestApp;
  let leaf: number;
  let initiativeId: number;
  const snapshots = async () =>
    Number((await app.em().execute('select count(*) as n from tally_snapshot'))[0]!.n);

  beforeAll(async () => {
    app = await createTestApp(dialect);
    const op = operatorContext(app.em(), 'setup');
    const effectiveAt = new Date(Date.now() - 86_400_000);
    initiativeId = (await runWrite(op, createInitiative, { key: 'busy', name: '忙', effectiveAt }))
      .id;
    leaf = (await runWrite(op, createWorkstream, { initiativeId, name: '叶', effectiveAt })).id;
  });
  afterAll(() => app?.close());

  it('takes one when there is none, then again only after more than maxRows item rows', async () => {
    const items = (n: number) =>
      runWrite(operatorContext(app.em(), 'w'), createItems, {
        workstreamId: leaf,
        items: Array.from({ length: n }, (_, i) => ({ name: `i${i}` })),
        effectiveAt: new Date(Date.now() - 3_600_000), // known to a snapshot settled 5 min back
      });
    await items(3);
    expect((await snapshotStale(app.em(), WEEK_MS, 5)).length).toBe(1);
    expect(await snapshots()).toBe(1);
    // The snapshot is known as of 5 minutes back: the 3 rows are after it. 3 + 2 is not more
    // than 5; a sixth is.
    await items(2);
    const later = Date.now() + SNAPSHOT_SETTLE_MS + 1;
    expect(await snapshotStale(app.em(), WEEK_MS, 5)).toEqual([]);
    await items(1);
    const taken = await snapshotStale(app.em(), WEEK_MS, 5);
    expect(taken.map((s) => s.initiativeId)).toEqual([initiativeId]);
    expect(await snapshots()).toBe(2);
    // Either way the figures as of now are the same as without snapshots.
    const [record] = await findInitiativesByIds(app.em(), [initiativeId]);
    const t = { asOf: later, knownAt: later };
    const withSnap = await loadAsOfTree(app.em(), record!, t);
    const without = await loadAsOfTree(app.em(), record!, t, { useSnapshots: false });
    expect(withSnap.rollup.root?.total).toBe(6);
    expect(without.rollup.root?.total).toBe(6);
  });

  it('snapshots a time in the settle window as of the settled present, so no recent write is lost', async () => {
    const op = operatorContext(app.em(), 'recent');
    const id = (await runWrite(op, createInitiative, { key: 'recent', name: '近' })).id;
    const ws = (await runWrite(op, createWorkstream, { initiativeId: id, name: '叶' })).id;
    await runWrite(op, createItems, { workstreamId: ws, items: [{ name: 'a' }, { name: 'b' }] });
    const taken = await takeSnapshot(app.em(), id, new Date());
    expect(taken.effectiveAt.getTime()).toBeLessThanOrEqual(taken.recordedAt.getTime());
    const [record] = await findInitiativesByIds(app.em(), [id]);
    const t = { asOf: Date.now() + 1000, knownAt: Date.now() + 1000 };
    const withSnap = await loadAsOfTree(app.em(), record!, t);
    const fromLog = await loadAsOfTree(app.em(), record!, t, { useSnapshots: false });
    expect(fromLog.rollup.root?.total).toBe(2);
    expect(withSnap.rollup.root?.total).toBe(2);
  });

  it('skips a stored snapshot effective after it was recorded (older releases took them)', async () => {
    const op = operatorContext(app.em(), 'legacy');
    const id = (await runWrite(op, createInitiative, { key: 'legacy', name: '旧' })).id;
    const ws = (await runWrite(op, createWorkstream, { initiativeId: id, name: '叶' })).id;
    await runWrite(op, createItems, { workstreamId: ws, items: [{ name: 'a' }] });
    const now = Date.now();
    const p = (ms: number) => (dialect === 'sqlite' ? ms : new Date(ms));
    await app
      .em()
      .execute(
        'insert into tally_snapshot (initiative_id, effective_at, recorded_at) values (?, ?, ?)',
        [id, p(now), p(now - SNAPSHOT_SETTLE_MS)],
      );
    const [record] = await findInitiativesByIds(app.em(), [id]);
    const t = { asOf: now + 1000, knownAt: now + 1000 };
    expect((await loadAsOfTree(app.em(), record!, t)).rollup.root?.total).toBe(1);
  });
});
