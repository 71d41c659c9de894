import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MikroORM } from '@mikro-orm/core';
import type { Em } from '../../src/db/em.js';
import { openOrm } from '../../src/db/orm.js';
import * as itemQueries from '../../src/db/queries/item.queries.js';
import { importSheet } from '../../src/services/import-sheet.js';
import { setItemStatuses } from '../../src/services/set-item-statuses.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import { operatorContext } from '../../src/services/write-pipeline/write-context.js';
import { ALL_INITIATIVES } from '../../src/services/write-scope.js';
import { DIALECTS } from '../helpers/databases.js';
import { CREATE_INITIATIVE } from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// The plan reads an initiative's items a page at a time; the test commits a write between pages.
vi.mock('../../src/db/queries/item.queries.js', async (importOriginal) => {
  const real = await importOriginal<typeof itemQueries>();
  return { ...real, findItemsPage: vi.fn(real.findItemsPage) };
});
const pages = vi.mocked(itemQueries.findItemsPage);

/** More than one page of the plan's item read (load-sheet-state.ts reads 1,000 a page). */
const ITEMS = 1_500;

/**
 * An upload's plan (and its preview) is one state of the initiative: its workstreams and every
 * page of its items are read in one read snapshot (import-sheet.ts). Without it, a write
 * committed between two pages showed in the later page only, and the preview described a state
 * that never was: here, one of two items set 完成 together.
 */
describe.each(DIALECTS)('an import plan reads one state (%s)', (dialect) => {
  let app: TestApp;
  /** A second server on the same database (another process, as `jindu import` would be). */
  let other: MikroORM;
  let ids: number[];
  let real: typeof itemQueries;
  const csv = [
    '工作流,事项,状态,进度',
    ...Array.from({ length: ITEMS }, (_, i) => `组,事项${i},未启动,0`),
  ].join('\n');
  const run = (dryRun: boolean) =>
    importSheet({
      em: app.em(),
      initiativeKey: 'snap',
      fileName: 'f.csv',
      by: null,
      bytes: new TextEncoder().encode(csv),
      dryRun,
      skipErrors: false,
      prune: false,
      scope: ALL_INITIATIVES,
    });

  beforeAll(async () => {
    real = await vi.importActual<typeof itemQueries>('../../src/db/queries/item.queries.js');
    app = await createTestApp(dialect, { sqliteFile: true });
    other = await openOrm({ databaseUrl: app.db.url, poolSize: 2 });
    await app.ok(CREATE_INITIATIVE, { input: { key: 'snap', name: '快照' } });
    const created = await run(false);
    expect(created.plan.summary.create).toBe(ITEMS);
    const [row] = await app.em().execute('select min(id) as lo, max(id) as hi from item');
    ids = [Number(row.lo), Number(row.hi)];
  }, 60_000);
  afterAll(async () => {
    await other?.close();
    await app?.close();
  });

  it('does not show a write committed between two pages of items', async () => {
    let raced = false;
    pages.mockImplementation(async (em, q) => {
      if (q.afterId !== null && !raced) {
        raced = true;
        // The first and the last item together, committed by the other server.
        await runWrite(operatorContext(other.em.fork() as Em, 'racer'), setItemStatuses, {
          updates: ids.map((itemId) => ({ itemId, status: 'DONE' as const })),
        });
      }
      return real.findItemsPage(em, q);
    });
    const during = await run(true).finally(() => pages.mockImplementation(real.findItemsPage));
    expect(raced).toBe(true);
    // The state before the write: every row as the file says.
    expect(during.plan.summary).toMatchObject({ update: 0, unchanged: ITEMS });

    // The write did land: the next preview sees both items changed.
    const after = await run(true);
    expect(after.plan.summary).toMatchObject({ update: 2, unchanged: ITEMS - 2 });
  }, 60_000);
});
