import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFigureStates, writeFigureStates } from '../../src/db/queries/outbox.queries.js';
import { countItems, findItemsPage } from '../../src/db/queries/item.queries.js';
import { findNamedItems } from '../../src/db/queries/report.queries.js';
import { readFigureInputs } from '../../src/db/queries/write-record.queries.js';
import { fromGlobalId } from '../../src/domain/global-id.js';
import { INITIATIVE_NODE } from '../../src/domain/live-events.js';
import { inTransaction } from '../../src/services/transaction.js';
import { DIALECTS } from '../helpers/databases.js';
import { CREATE_INITIATIVE, CREATE_ITEMS, CREATE_WORKSTREAM } from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** More ids than one statement could carry on either database. */
const MANY = 70_000;
const synthetic = (from: number) => Array.from({ length: MANY }, (_, i) => from + i);

// The figures a write publishes and the report's named items name one id per workstream: a
// subtree delete of tens of thousands of workstreams, an import into as many new ones, or a
// BY_NAME line over a big initiative passed the databases' parameter limits.
describe.each(DIALECTS)(
  'figures and reports of tens of thousands of workstreams (%s)',
  (dialect) => {
    let app: TestApp;
    beforeAll(async () => {
      app = await createTestApp(dialect);
    });
    afterAll(() => app?.close());

    it('records and forgets the figures of more nodes than a statement takes', async () => {
      const nodes = synthetic(3_000_000);
      const value = { credit: 1, counted: 1, total: 1 };
      await inTransaction(app.em(), (tem) =>
        writeFigureStates(
          tem,
          998,
          nodes.map((nodeId) => ({ nodeId, before: null, after: value })),
        ),
      );
      const read = await readFigureStates(app.em(), 998, [INITIATIVE_NODE, ...nodes]);
      expect(read.size).toBe(MANY);
      // A subtree delete forgets every node of the subtree (after: null).
      await inTransaction(app.em(), (tem) =>
        writeFigureStates(
          tem,
          998,
          nodes.slice(1).map((nodeId) => ({ nodeId, before: value, after: null })),
        ),
      );
      expect([...(await readFigureStates(app.em(), 998, nodes)).keys()]).toEqual([nodes[0]]);
    });

    it('reads the paths and figures of more new workstreams than a statement takes', async () => {
      const { createInitiative } = await app.ok(CREATE_INITIATIVE, {
        input: { key: 'paths', name: '路径' },
      });
      const initiativeId = fromGlobalId(createInitiative.initiative.id)!.id;
      const { createWorkstream } = await app.ok(CREATE_WORKSTREAM, {
        input: { initiativeId: createInitiative.initiative.id, name: '甲' },
      });
      const a = fromGlobalId(createWorkstream.workstream.id)!.id;
      const ids = [...synthetic(4_000_000), a];
      const inputs = await inTransaction(app.em(), (tem) =>
        readFigureInputs(tem, initiativeId, ids),
      );
      expect(inputs.initiative?.id).toBe(initiativeId);
      expect([...inputs.paths.keys()]).toEqual([a]);
    });

    it('reads the named items of more workstreams than a statement takes, in item order', async () => {
      const { createInitiative } = await app.ok(CREATE_INITIATIVE, {
        input: { key: 'named', name: '具名' },
      });
      const ws = async (name: string) =>
        (
          await app.ok(CREATE_WORKSTREAM, {
            input: { initiativeId: createInitiative.initiative.id, name },
          })
        ).createWorkstream.workstream.id as string;
      const [a, b] = [await ws('甲'), await ws('乙')];
      const add = async (workstreamId: string, name: string) =>
        fromGlobalId(
          (
            await app.ok(CREATE_ITEMS, {
              input: { workstreamId, items: [{ name, status: 'IN_PROGRESS', percent: 10 }] },
            })
          ).createItems.items[0].id as string,
        )!.id;
      const first = await add(a, '一');
      const second = await add(b, '二');
      const third = await add(a, '三');
      const id = (globalId: string) => fromGlobalId(globalId)!.id;
      // 乙 in the first slice, 甲 in the last.
      const named = await findNamedItems(app.em(), [id(b), ...synthetic(5_000_000), id(a)]);
      expect(named.map((n) => n.id)).toEqual([first, second, third]);
      // items(includeDescendants) on the root of such a subtree: a page in id order, and its count.
      const workstreamIds = [id(b), ...synthetic(5_000_000), id(a)];
      const page = (afterId: number | null) =>
        findItemsPage(app.em(), { workstreamIds, afterId, limit: 2, statuses: null });
      expect((await page(null)).map((i) => i.id)).toEqual([first, second]);
      expect((await page(second)).map((i) => i.id)).toEqual([third]);
      expect(await countItems(app.em(), { workstreamIds, statuses: null })).toBe(3);
    });
  },
);
