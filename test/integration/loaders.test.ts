import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInitiative } from '../../src/services/create-initiative.js';
import { createItems } from '../../src/services/create-items.js';
import { createWorkstream } from '../../src/services/create-workstream.js';
import type { ChangeEvent } from '../../src/domain/change-events.js';
import { runStep } from '../../src/services/write-pipeline/run-step.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import type { UseCase } from '../../src/services/write-pipeline/use-case.js';
import { operatorContext } from '../../src/services/write-pipeline/write-context.js';
import { DIALECTS } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const P = 'id name progress { percent total byStatus { status count } }';
const DASHBOARD = `query($key: String!) { initiative(key: $key) { progress { percent total }
  workstreams { ${P} children { ${P} children { ${P} } } } } }`;

/**
 * Builds `top × mid × leaf` workstreams with an item in every fifth leaf, straight through the
 * services, as one write (as an import would): 1,330 writes one by one, each waiting for its
 * commit to reach the disk (about 8 ms on the test PostgreSQL, 3 ms on SQLite), took 45 s on
 * PostgreSQL on an idle machine.
 */
async function buildTree(
  app: TestApp,
  key: string,
  top: number,
  mid: number,
  leaf: number,
): Promise<number> {
  const ctx = operatorContext(app.em(), 't');
  const initiative = await runWrite(ctx, createInitiative, { key, name: key });
  const wholeTree: UseCase<{ initiativeId: number }, number> = {
    name: 'buildTree',
    lockTarget: async (_tem, props) => props.initiativeId,
    async run(at, { initiativeId }) {
      const events: ChangeEvent[] = [];
      const add = (parentId: number | null, name: string) =>
        runStep(at, events, createWorkstream, { initiativeId, parentId, name });
      let nodes = 0;
      for (let a = 0; a < top; a++) {
        const t = await add(null, `t${a}`);
        nodes++;
        for (let b = 0; b < mid; b++) {
          const m = await add(t.id, `m${b}`);
          nodes++;
          for (let c = 0; c < leaf; c++) {
            const l = await add(m.id, `l${c}`);
            nodes++;
            // Items in every fifth leaf: the figures need some, the reads counted here none per node.
            if (c % 5 === 0)
              await runStep(at, events, createItems, {
                workstreamId: l.id,
                items: [{ name: 'x', status: 'IN_PROGRESS', percent: c }],
              });
          }
        }
      }
      return { result: nodes, events };
    },
  };
  return runWrite(ctx, wholeTree, { initiativeId: initiative.id });
}

describe.each(DIALECTS)('the whole-tree query batches its reads (%s)', (dialect) => {
  let app: TestApp;
  let counting = false;
  const statements: string[] = [];
  beforeAll(async () => {
    app = await createTestApp(dialect, {
      sqliteFile: true, // a second connection (below) needs a file
      // The cost model's list sizes (one statement, at most once a second) are not the tree's.
      onQuery: (sql) => counting && !sql.includes('left join workstream w') && statements.push(sql),
      executor: 'jit', // the served path: compare mode would run each query twice
    });
  });
  afterAll(() => app?.close());

  const countFor = async (key: string) => {
    statements.length = 0;
    counting = true;
    const data = await app.ok(DASHBOARD, { key });
    counting = false;
    return { count: statements.length, data };
  };

  it('runs the same small number of statements for 10 and for 1,000+ workstreams', async () => {
    const small = await buildTree(app, 'small', 2, 2, 1); // 2 + 4 + 4 = 10 nodes
    const large = await buildTree(app, 'large', 10, 10, 10); // 10 + 100 + 1000 nodes
    expect(small).toBe(10);
    expect(large).toBe(1110);
    const a = await countFor('small');
    const b = await countFor('large');
    expect(a.data.initiative.progress.total).toBe(4);
    expect(b.data.initiative.progress.total).toBe(200);
    expect(b.data.initiative.workstreams[9].children[9].children).toHaveLength(10);
    expect(a.count).toBe(b.count);
    // initiative by key, tree rows, counter rows and the revision they are at (and SQLite's
    // data_version, read again after the tree to know nothing wrote in between, or
    // PostgreSQL's revision for the stamp), the three reads of the tree in one snapshot (its
    // begin and rollback): nothing per node.
    expect(b.count).toBeLessThanOrEqual(dialect === 'sqlite' ? 8 : 7);
  });

  it('serves a kept tree until something writes', async () => {
    const cold = await countFor('large');
    const warm = await countFor('large');
    expect(warm.data).toEqual(cold.data);
    // initiative by key and data_version (revision): the tree itself is not read again.
    expect(warm.count).toBe(2);
    expect(statements.some((s) => /workstream_tally/.test(s))).toBe(false);

    const leaf = await app.ok(
      '{ initiative(key: "large") { workstreams { children { children { id } } } } }',
    );
    const workstreamId = leaf.initiative.workstreams[0].children[0].children[0].id;
    await app.ok(
      `mutation($w: ID!) { createItems(input: { workstreamId: $w, items: [{ name: "新", status: DONE }] }) { userErrors { code } } }`,
      { w: workstreamId },
    );
    const after = await countFor('large');
    expect(after.data.initiative.progress.total).toBe(cold.data.initiative.progress.total + 1);
    // SQLite brings the kept tree forward by the write's counter deltas (tree-cache.ts);
    // PostgreSQL reads it again.
    if (dialect === 'sqlite') expect(after.count).toBe(2);
    else expect(after.count).toBeGreaterThan(2);

    if (dialect === 'postgresql') return; // other instances: test/e2e/live-instances.test.ts
    // A write by another connection (the CLI, another process) is seen through data_version.
    const other = new Database(app.db.url.replace(/^sqlite:/, ''));
    other
      .prepare(
        'update workstream set name = ? where id = (select min(id) from workstream where initiative_id = (select id from initiative where key = ?) and parent_id is null)',
      )
      .run('外部改名', 'large');
    other.close();
    const seen = await countFor('large');
    expect(seen.data.initiative.workstreams[0].name).toBe('外部改名');
  });
});
