import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInitiative } from '../../src/services/create-initiative.js';
import { createItems } from '../../src/services/create-items.js';
import { createWorkstream } from '../../src/services/create-workstream.js';
import { DIALECTS } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const P = 'id name progress { percent total byStatus { status count } }';
const DASHBOARD = `query($key: String!) { initiative(key: $key) { progress { percent total }
  workstreams { ${P} children { ${P} children { ${P} } } } } }`;

/** Builds `top × mid × leaf` workstreams with one item per leaf, straight through the services. */
async function buildTree(
  app: TestApp,
  key: string,
  top: number,
  mid: number,
  leaf: number,
): Promise<number> {
  const em = app.em();
  const initiative = await createInitiative({ em, key, name: key });
  let nodes = 0;
  for (let a = 0; a < top; a++) {
    const t = await createWorkstream({ em, initiativeId: initiative.id, name: `t${a}` });
    nodes++;
    for (let b = 0; b < mid; b++) {
      const m = await createWorkstream({
        em,
        initiativeId: initiative.id,
        parentId: t.id,
        name: `m${b}`,
      });
      nodes++;
      for (let c = 0; c < leaf; c++) {
        const l = await createWorkstream({
          em,
          initiativeId: initiative.id,
          parentId: m.id,
          name: `l${c}`,
        });
        nodes++;
        await createItems({
          em,
          workstreamId: l.id,
          items: [{ name: 'x', status: 'IN_PROGRESS', percent: c }],
          actor: 't',
        });
      }
    }
  }
  return nodes;
}

describe.each(DIALECTS)('the whole-tree query batches its reads (%s)', (dialect) => {
  let app: TestApp;
  let counting = false;
  const statements: string[] = [];
  beforeAll(async () => {
    app = await createTestApp(dialect, {
      onQuery: (sql) => counting && statements.push(sql),
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
    expect(b.data.initiative.progress.total).toBe(1000);
    expect(b.data.initiative.workstreams[9].children[9].children).toHaveLength(10);
    expect(a.count).toBe(b.count);
    // initiative by key, tree rows, counter rows: nothing per node.
    expect(b.count).toBeLessThanOrEqual(3);
  });
});
