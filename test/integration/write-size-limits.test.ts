import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTallyDeltas, TALLY_ROWS_PER_STATEMENT } from '../../src/db/queries/item.queries.js';
import { importSheet } from '../../src/services/import-sheet.js';
import { inTransaction } from '../../src/services/transaction.js';
import { ALL_INITIATIVES } from '../../src/services/write-scope.js';
import { DIALECTS } from '../helpers/databases.js';
import { CREATE_INITIATIVE } from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** More counters than one statement could carry on either database (6 parameters each). */
const COUNTERS = Math.ceil(65_535 / 6) + 100;

// A write's statements whose parameters grow with the write (one per counter moved) go in
// slices: one import into thousands of new workstreams moves a counter in each.
describe.each(DIALECTS)('a write as large as an import makes it (%s)', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(dialect);
  });
  afterAll(() => app?.close());

  it(`moves ${COUNTERS} counters in one write, past both databases' parameter limits`, async () => {
    expect(COUNTERS).toBeGreaterThan(2 * TALLY_ROWS_PER_STATEMENT);
    const deltas = Array.from({ length: COUNTERS }, (_, i) => ({
      workstreamId: 1_000_000 + i,
      delta: { status: 'DONE' as const, items: 1, weight: 2, percentWeight: 200 },
    }));
    await inTransaction(app.em(), (tem) => applyTallyDeltas(tem, 999, deltas));
    await inTransaction(app.em(), (tem) => applyTallyDeltas(tem, 999, deltas.slice(0, 10)));
    const [sum] = await app
      .em()
      .execute(
        'select count(*) as n, sum(items) as items, sum(weight) as weight from workstream_tally where initiative_id = 999',
      );
    expect([Number(sum.n), Number(sum.items), Number(sum.weight)]).toEqual([
      COUNTERS,
      COUNTERS + 10,
      2 * (COUNTERS + 10),
    ]);
  });
});

// SQLite's limit (32,766 parameters) falls at 5,462 counters; PostgreSQL's at 10,923, which an
// import there takes most of a minute to reach (53 s for 11,000): the counters above stand for it.
describe('an import into thousands of new workstreams (sqlite)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp('sqlite');
  });
  afterAll(() => app?.close());

  it('imports 5,500 items each into a new workstream of its own', async () => {
    await app.ok(CREATE_INITIATIVE, { input: { key: 'wide', name: '宽' } });
    const rows = Array.from({ length: 5_500 }, (_, i) => `组${Math.floor(i / 50)}/叶${i},事项${i}`);
    const result = await importSheet({
      em: app.em(),
      initiativeKey: 'wide',
      fileName: 'wide.csv',
      by: null,
      bytes: new TextEncoder().encode(['工作流,事项', ...rows].join('\n')),
      dryRun: false,
      skipErrors: false,
      prune: false,
      scope: ALL_INITIATIVES,
    });
    expect(result.applied).toBe(true);
    expect(result.plan.summary).toMatchObject({ create: 5_500, newWorkstreams: 5_610 });
    const { initiative } = await app.ok('{ initiative(key: "wide") { progress { total } } }');
    expect(initiative.progress.total).toBe(5_500);
  }, 60_000);
});
