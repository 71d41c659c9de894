import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm } from '../../src/db/orm.js';
import { type Em } from '../../src/db/em.js';
import { findInitiativeByKey } from '../../src/db/queries/initiative.queries.js';
import { findItemsPage } from '../../src/db/queries/item.queries.js';
import { findTreeRows } from '../../src/db/queries/workstream.queries.js';
import { setItemStatuses } from '../../src/services/set-item-statuses.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import { operatorContext } from '../../src/services/write-pipeline/write-context.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { runCli } from '../helpers/server-process.js';

describe.each(DIALECTS)('jindu verify --replay and jindu snapshot (%s)', (dialect) => {
  let db: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await createTestDatabase(dialect, true);
    env = { DATABASE_URL: db.url };
    expect((await runCli(['seed'], env)).code).toBe(0);
  });
  afterAll(() => db.drop());

  it('is clean after snapshots and back-dated writes, and names a corrupted counter', async () => {
    const snap = await runCli(['snapshot', '--initiative', 'hive', '--at', '2023-05-14'], env);
    expect(snap.stdout).toContain('snapshot hive: as of 2023-05-14T00:00:00.000Z');
    expect(snap.code).toBe(0);
    expect((await runCli(['snapshot', '--at', 'someday'], env)).code).toBe(2);
    const future = await runCli(['snapshot', '--at', '2999-01-01T00:00:00Z'], env);
    expect(future.code).toBe(2);
    expect(future.stderr).toContain('must not be in the future');
    const orm = await openOrm({ databaseUrl: db.url });
    try {
      const em = orm.em.fork() as Em;
      const hive = (await findInitiativeByKey(em, 'hive'))!;
      const leaves = (await findTreeRows(em, [hive.id])).map((w) => w.id);
      const items = await findItemsPage(em, {
        workstreamIds: leaves,
        afterId: null,
        limit: 3,
        statuses: null,
      });
      await runWrite(operatorContext(em, 'e2e'), setItemStatuses, {
        updates: items.map((i) => ({ itemId: i.id, status: 'DONE' as const })),
        effectiveAt: new Date('2023-05-20T00:00:00Z'),
      });
      const clean = await runCli(['verify', '--replay'], env);
      expect(clean.stdout).toContain('ok: the log alone rebuilds every counter');
      expect(clean.code).toBe(0);
      await em.execute(
        "update workstream_tally set items = items + 1 where workstream_id = ? and status = 'DONE'",
        [items[0]!.workstreamId],
      );
    } finally {
      await orm.close();
    }
    const dirty = await runCli(['verify', '--replay'], env);
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toMatch(/DIFF hive counter workstream \d+ DONE: live \{"items":\d+/);
  });
});
