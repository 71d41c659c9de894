import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWorkflows } from '../../src/db/queries/report-model.queries.js';
import { createInitiative } from '../../src/services/create-initiative.js';
import { createItems } from '../../src/services/create-items.js';
import { createWorkstream } from '../../src/services/create-workstream.js';
import { deleteItem } from '../../src/services/delete-item.js';
import { defineStages, setItemStage } from '../../src/services/set-item-stage.js';
import type { UseCase } from '../../src/services/write-pipeline/use-case.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import { operatorContext } from '../../src/services/write-pipeline/write-context.js';
import { DIALECTS } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/*
 * A workflow may not be (re)defined while an item it governs, or would govern, has a stage: the
 * item's stage would then name a stage of another workflow, or none. Items under a nearer
 * workflow are not its concern.
 *
 *   initiative (stages a, b, c)
 *   ├── P ── C      item c1
 *   ├── S           item s1
 *   └── W (x, y) ── WC   item w1
 */
describe.each(DIALECTS)('redefining stages over staged items (%s)', (dialect) => {
  let app: TestApp;
  let initiativeId: number;
  const ids: Record<string, number> = {};
  const write = <P, R>(useCase: UseCase<P, R>, props: P) =>
    runWrite(operatorContext(app.em(), 'test'), useCase, props);
  const define = (workstream: string | null, names: string[]) =>
    write(defineStages, {
      initiativeId,
      workstreamId: workstream === null ? null : ids[workstream]!,
      stages: names.map((name) => ({ name })),
    }).then(
      () => 'defined',
      (e: { code?: string; field?: readonly string[] }) => `${e.code} ${e.field?.join('.')}`,
    );
  const workflows = async () =>
    (await findWorkflows(app.em(), [initiativeId]))
      .map((w) => `${w.workstreamId ?? 'initiative'}: ${w.stages}`)
      .sort();

  beforeAll(async () => {
    app = await createTestApp(dialect);
    initiativeId = (await write(createInitiative, { key: 'stages', name: 'Stages' })).id;
    const ws = async (name: string, parent?: string) =>
      (ids[name] = (
        await write(createWorkstream, { initiativeId, name, parentId: parent ? ids[parent] : null })
      ).id);
    for (const [name, parent] of [['P'], ['C', 'P'], ['S'], ['W'], ['WC', 'W']] as const)
      await ws(name, parent);
    for (const [item, leaf] of [
      ['c1', 'C'],
      ['s1', 'S'],
      ['w1', 'WC'],
    ] as const)
      ids[item] = (
        await write(createItems, { workstreamId: ids[leaf]!, items: [{ name: item }] })
      )[0]!.id;
    expect(await define(null, ['a', 'b', 'c'])).toBe('defined');
    expect(await define('W', ['x', 'y'])).toBe('defined');
  });
  afterAll(() => app?.close());

  it('a workflow whose items have no stage may change', async () => {
    expect(await define(null, ['a', 'b', 'c'])).toBe('defined');
    expect(await define('W', ['x', 'y'])).toBe('defined');
  });

  it('a staged item under a nearer workflow leaves the initiative’s free, not its own', async () => {
    await write(setItemStage, { itemId: ids.w1!, stage: 'x' });
    const before = await workflows();
    expect(await define('W', ['x', 'y', 'z'])).toBe('INVALID_INPUT stages');
    // A new workflow on WC would take w1 over from W.
    expect(await define('WC', ['x', 'y'])).toBe('INVALID_INPUT stages');
    expect(await workflows()).toEqual(before);
    expect(await define(null, ['a', 'b', 'c', 'd'])).toBe('defined');
  });

  it('a new workflow on a parent would take a staged item over: refused; beside it: free', async () => {
    await write(setItemStage, { itemId: ids.c1!, stage: 'b' });
    const before = await workflows();
    expect(await define('P', ['p', 'q'])).toBe('INVALID_INPUT stages');
    expect(await define('C', ['p', 'q'])).toBe('INVALID_INPUT stages');
    expect(await define(null, ['a', 'b'])).toBe('INVALID_INPUT stages');
    expect(await workflows()).toEqual(before);
    expect(await define('S', ['p', 'q'])).toBe('defined');
  });

  it('a deleted staged item still counts: a restore brings it back at its stage', async () => {
    await write(deleteItem, { itemId: ids.c1! });
    expect(await define('P', ['p', 'q'])).toBe('INVALID_INPUT stages');
  });
});
