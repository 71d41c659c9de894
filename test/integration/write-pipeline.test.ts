import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DomainError, DomainErrors } from '../../src/domain/errors.js';
import { ItemSchema, WorkstreamSchema } from '../../src/db/entities/index.js';
import { createInitiative } from '../../src/services/create-initiative.js';
import { createItems } from '../../src/services/create-items.js';
import { createWorkstream } from '../../src/services/create-workstream.js';
import { setItemStatuses } from '../../src/services/set-item-statuses.js';
import { itemsCodec } from '../../src/services/item-codec.js';
import { runWrite } from '../../src/services/write-pipeline/run-write.js';
import type { ChangeEvent } from '../../src/domain/change-events.js';
import { runStep } from '../../src/services/write-pipeline/run-step.js';
import type { UseCase } from '../../src/services/write-pipeline/use-case.js';
import {
  operatorContext,
  type Touched,
  type WriteContext,
} from '../../src/services/write-pipeline/write-context.js';
import { verifyCounters } from '../../src/services/verify-counters.js';
import { DIALECTS } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

describe.each(DIALECTS)('the write pipeline (%s)', (dialect) => {
  let app: TestApp;
  let mine: number;
  let other: number;
  let leaf: number;
  let items: number[];
  let forgotten: Touched[];
  const logCount = async () =>
    Number((await app.em().execute('select count(*) as n from change_log'))[0]!.n);
  /** An editor of `mine` only, who records what it is told to forget. */
  const editor = (idempotencyKey: string | null = null): WriteContext => ({
    em: app.em(),
    actor: 'editor',
    scope: (id) => id === mine,
    idempotency: idempotencyKey ? { key: idempotencyKey, owner: 'token:1' } : null,
    forget: (t) => forgotten.push(t),
  });

  beforeAll(async () => {
    app = await createTestApp(dialect);
    const op = operatorContext(app.em(), 'setup');
    const effectiveAt = new Date(Date.now() - 86_400_000); // yesterday: later writes may back-date
    mine = (await runWrite(op, createInitiative, { key: 'mine', name: '我的', effectiveAt })).id;
    other = (await runWrite(op, createInitiative, { key: 'other', name: '别人的' })).id;
    leaf = (await runWrite(op, createWorkstream, { initiativeId: mine, name: '叶子', effectiveAt }))
      .id;
    items = (
      await runWrite(op, createItems, {
        workstreamId: leaf,
        items: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
        effectiveAt,
      })
    ).map((i) => i.id);
  });
  beforeEach(() => {
    forgotten = [];
  });
  afterAll(() => app?.close());

  it('logs the events, applies their deltas, and says what to forget after commit', async () => {
    const before = await logCount();
    const updated = await runWrite(editor(), setItemStatuses, {
      updates: [
        { itemId: items[0]!, status: 'IN_PROGRESS', percent: 40 },
        { itemId: items[1]!, status: 'DONE' },
      ],
    });
    expect(updated.map((i) => [i.status, i.percent])).toEqual([
      ['IN_PROGRESS', 40],
      ['DONE', 100],
    ]);
    expect(await logCount()).toBe(before + 2);
    expect((await verifyCounters(app.em())).differences).toEqual([]);
    expect(forgotten).toEqual([
      {
        initiativeIds: new Set([mine]),
        workstreamIds: new Set([leaf]),
        itemIds: new Set(items.slice(0, 2)),
        wholeTrees: new Set(),
      },
    ]);
  });

  it('keeps no created workstream or item in the unit of work: a later flush of the same transaction does not scan them', async () => {
    // An import writes thousands of rows in one transaction, a step at a time: before, 1,110
    // workstreams in one write took 12 s on SQLite and 23 s on PostgreSQL.
    const held: number[][] = [];
    const steps: UseCase<null, number> = {
      name: 'createSteps',
      lockTarget: async () => mine,
      async run(at) {
        const events: ChangeEvent[] = [];
        const hold = () => {
          const managed = at.tem.getUnitOfWork().getIdentityMap().values();
          held.push([
            managed.filter((e) => e instanceof WorkstreamSchema.class).length,
            managed.filter((e) => e instanceof ItemSchema.class).length,
          ]);
        };
        const ws = await runStep(at, events, createWorkstream, {
          initiativeId: mine,
          name: '多步',
        });
        hold();
        for (const name of ['x', 'y']) {
          await runStep(at, events, createItems, {
            workstreamId: ws.id,
            items: [{ name: `${name}1` }, { name: `${name}2` }],
          });
          hold();
        }
        return { result: events.length, events };
      },
    };
    expect(await runWrite(editor(), steps, null)).toBe(5);
    expect(held).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it('answers NOT_FOUND outside the scope and writes nothing', async () => {
    const before = await logCount();
    const ws = runWrite(editor(), createWorkstream, { initiativeId: other, name: 'x' });
    await expect(ws).rejects.toMatchObject({ code: 'NOT_FOUND', field: ['initiativeId'] });
    expect(await logCount()).toBe(before);
    expect(forgotten).toEqual([]);
  });

  it('refuses events outside the scope even when a use-case forgot to check, rolling back its rows', async () => {
    const careless: UseCase<{ name: string }, number> = {
      name: 'careless',
      async run({ tem, now }, props) {
        const item = tem.create(ItemSchema, {
          name: props.name,
          status: 'DONE',
          initiative: other,
          workstream: leaf,
          effectiveFrom: now,
        });
        await tem.flush();
        return {
          result: item.id,
          events: [
            {
              type: 'ItemCreated',
              initiativeId: other,
              workstreamId: leaf,
              itemId: item.id,
              version: 1,
              state: { status: 'DONE', percent: 100, weight: 1 },
              effectiveAt: now,
            },
          ],
        };
      },
    };
    const before = await logCount();
    await expect(runWrite(editor(), careless, { name: '越权' })).rejects.toBeInstanceOf(
      DomainError,
    );
    expect(await logCount()).toBe(before);
    expect(await app.em().count(ItemSchema, { name: '越权' })).toBe(0);
  });

  it('refuses an event dated in the future even from a use-case that did not check', async () => {
    const future: UseCase<object, null> = {
      name: 'future',
      run: async ({ now }) => ({
        result: null,
        events: [
          {
            type: 'WorkstreamRenamed',
            initiativeId: mine,
            workstreamId: leaf,
            from: '叶子',
            to: '叶',
            effectiveAt: new Date(now.getTime() + 120_000),
          },
        ],
      }),
    };
    await expect(runWrite(editor(), future, {})).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      field: ['effectiveAt'],
    });
  });

  it('rolls back the whole bulk, log rows included, when one update fails', async () => {
    const before = await logCount();
    const [first] = await app.em().find(ItemSchema, { id: items[2]! });
    const bulk = runWrite(editor(), setItemStatuses, {
      updates: [
        { itemId: items[2]!, status: 'PAUSED', percent: 10 },
        { itemId: items[0]!, status: 'DONE', expectedVersion: 1 },
      ],
    });
    await expect(bulk).rejects.toBeInstanceOf(DomainErrors);
    expect(await logCount()).toBe(before);
    const [again] = await app.em().find(ItemSchema, { id: items[2]! });
    expect([again!.status, again!.version]).toEqual([first!.status, first!.version]);
    expect(forgotten).toEqual([]);
  });

  it('applies a retry with the same idempotency key once, and refuses the key for another payload', async () => {
    const props = { updates: [{ itemId: items[2]!, status: 'IN_PROGRESS' as const, percent: 5 }] };
    const before = await logCount();
    const first = await runWrite(editor('k-1'), setItemStatuses, props);
    const retry = await runWrite(editor('k-1'), setItemStatuses, props);
    expect(itemsCodec.decode(JSON.parse(JSON.stringify(retry)))).toEqual(first);
    expect(await logCount()).toBe(before + 1);
    // The replay changed nothing, and tells its caller what the first run touched.
    expect(forgotten).toHaveLength(2);
    expect(forgotten[1]).toEqual(forgotten[0]);
    await expect(
      runWrite(editor('k-1'), setItemStatuses, {
        updates: [{ itemId: items[2]!, status: 'DONE' }],
      }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await logCount()).toBe(before + 1);
  });

  it('stamps every row with the server clock and the effective time', async () => {
    const t0 = Date.now();
    const backdated = new Date(t0 - 3_600_000);
    // An item nothing has changed since yesterday: a back-dated change may not precede its latest.
    const [fresh] = await runWrite(editor(), createItems, {
      workstreamId: leaf,
      items: [{ name: 'd' }],
      effectiveAt: new Date(t0 - 86_400_000),
    });
    await runWrite(editor(), setItemStatuses, {
      updates: [{ itemId: fresh!.id, status: 'PAUSED', effectiveAt: backdated }],
    });
    const [row] = await app
      .em()
      .execute('select effective_at, recorded_at, actor from change_log order by id desc limit 1');
    const ms = (v: unknown) => new Date(v as string | number | Date).getTime();
    expect(ms(row!.effective_at)).toBe(backdated.getTime());
    expect(ms(row!.recorded_at)).toBeGreaterThanOrEqual(t0 - 1);
    expect(ms(row!.recorded_at)).toBeLessThanOrEqual(Date.now());
    expect(row!.actor).toBe('editor');
  });
});
