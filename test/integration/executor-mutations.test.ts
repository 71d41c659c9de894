import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverOptions } from '../../src/config.js';
import { actorName, type Principal } from '../../src/domain/access.js';
import { jinduSchema } from '../../src/graphql/schema.js';
import { createApollo } from '../../src/server/apollo.js';
import { EXECUTOR_MODES } from '../../src/config.js';
import {
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  DELETE_ITEM,
  MOVE_ITEM,
  SET_ITEM_STATUS,
  SET_ITEM_STATUSES,
  UPDATE_INITIATIVE,
  UPDATE_ITEM,
} from '../helpers/operations.js';
import {
  createTestApp,
  silentLog,
  TEST_ADMIN,
  type GqlResult,
  type TestApp,
} from '../helpers/test-app.js';

/**
 * Mutations run through graphql-jit (executor.ts) and cannot be run twice to compare, so here
 * the same script of mutations runs on two databases that start alike, one server executing
 * with graphql-js and one with graphql-jit, and every answer (data, errors, their codes, paths
 * and messages) must be the same. Times differ between the two runs and are masked.
 */
const VIEWER: Principal = {
  kind: 'token',
  tokenId: 1,
  name: 'v',
  role: 'viewer',
  initiativeId: null,
};

type Step = readonly [
  what: string,
  query: string,
  variables: () => Record<string, unknown>,
  as?: Principal,
];

/** ISO times and millisecond stamps: the only thing two runs of one script answer differently. */
const masked = (result: GqlResult) =>
  JSON.stringify(result)
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/\b1\d{12}\b/g, '<ms>');

describe('mutations: graphql-jit answers as graphql-js does', () => {
  let reference: TestApp;
  let jit: TestApp;
  /** Ids the script reads from earlier answers (the same in both runs). */
  const ids: Record<string, string> = {};
  let items: string[] = [];

  beforeAll(async () => {
    reference = await createTestApp('sqlite', { executor: 'graphql-js' });
    jit = await createTestApp('sqlite', { executor: 'jit' });
  });
  afterAll(async () => {
    await reference?.close();
    await jit?.close();
  });

  const steps: Step[] = [
    ['createInitiative', CREATE_INITIATIVE, () => ({ input: { key: 'jit', name: '编译' } })],
    [
      'createWorkstream',
      CREATE_WORKSTREAM,
      () => ({ input: { initiativeId: ids.initiative, name: '工作流' } }),
    ],
    [
      'createItems',
      CREATE_ITEMS,
      () => ({
        input: {
          workstreamId: ids.workstream,
          items: Array.from({ length: 12 }, (_, i) => ({ name: `事项${i}`, weight: 1 + (i % 3) })),
        },
      }),
    ],
    [
      'setItemStatus',
      SET_ITEM_STATUS,
      () => ({ input: { itemId: items[0], status: 'IN_PROGRESS', percent: 40, note: '开始' } }),
    ],
    [
      'setItemStatuses, all applied',
      SET_ITEM_STATUSES,
      () => ({
        input: {
          updates: items.slice(1, 9).map((itemId, i) => ({
            itemId,
            status: i % 2 ? 'DONE' : 'PAUSED',
            ...(i % 2 ? {} : { percent: 10 * i }),
          })),
        },
      }),
    ],
    [
      'setItemStatuses, refused entries (user errors)',
      SET_ITEM_STATUSES,
      () => ({
        input: {
          updates: [
            { itemId: items[9], status: 'IN_PROGRESS', percent: 101 },
            { itemId: 'SXRlbTo5OTk5OTk', status: 'DONE' },
            { itemId: items[9], status: 'DONE' },
          ],
        },
      }),
    ],
    [
      'a stale expectedVersion',
      SET_ITEM_STATUS,
      () => ({ input: { itemId: items[0], status: 'DONE', expectedVersion: 1 } }),
    ],
    [
      'an idempotent retry, twice',
      SET_ITEM_STATUS,
      () => ({ input: { itemId: items[10], status: 'DONE', idempotencyKey: 'same-key' } }),
    ],
    [
      'an idempotent retry, twice',
      SET_ITEM_STATUS,
      () => ({ input: { itemId: items[10], status: 'DONE', idempotencyKey: 'same-key' } }),
    ],
    [
      'a viewer writing (FORBIDDEN)',
      SET_ITEM_STATUS,
      () => ({ input: { itemId: items[0], status: 'DONE' } }),
      VIEWER,
    ],
    [
      'a variable of the wrong type',
      SET_ITEM_STATUS,
      () => ({ input: { itemId: items[0], status: 'DONE', percent: '50' } }),
    ],
    [
      'a bad enum value',
      SET_ITEM_STATUS,
      () => ({ input: { itemId: items[0], status: 'FINISHED' } }),
    ],
    [
      'an unknown input field',
      SET_ITEM_STATUS,
      () => ({ input: { itemId: items[0], status: 'DONE', colour: 'red' } }),
    ],
    ['a missing variable', SET_ITEM_STATUS, () => ({})],
    [
      'a list entry null',
      SET_ITEM_STATUSES,
      () => ({ input: { updates: [null, { itemId: items[1], status: 'DONE' }] } }),
    ],
    [
      'literal arguments',
      `mutation { setItemStatus(input: { itemId: "${'<item>'}", status: IN_PROGRESS, percent: 55 }) {
         item { id status percent version } userErrors { code message field } } }`,
      () => ({}),
    ],
    [
      'updateInitiative with labels (an input field whose default is an enum)',
      UPDATE_INITIATIVE,
      () => ({
        input: {
          initiativeId: ids.initiative,
          name: '新名',
          statusLabels: [{ status: 'CANCELLED', label: '不迁了' }],
        },
      }),
    ],
    ['updateItem', UPDATE_ITEM, () => ({ input: { id: items[2], name: '改名', weight: 5 } })],
    [
      'moveItem to a workstream with children (user error)',
      MOVE_ITEM,
      () => ({ input: { id: items[3], workstreamId: ids.initiative } }),
    ],
    ['deleteItem', DELETE_ITEM, () => ({ input: { id: items[11] } })],
    ['deleteItem again (user error)', DELETE_ITEM, () => ({ input: { id: items[11] } })],
  ];

  it('answers every step of the script alike', async () => {
    for (const [what, query, variables, as] of steps) {
      const text = query.replace('<item>', items[4] ?? '');
      const expected = await reference.gql(text, variables(), as);
      const actual = await jit.gql(text, variables(), as);
      expect(masked(actual), what).toBe(masked(expected));
      const data = expected.data as Record<string, any> | undefined;
      ids.initiative ??= data?.createInitiative?.initiative?.id;
      ids.workstream ??= data?.createWorkstream?.workstream?.id;
      if (data?.createItems) items = data.createItems.items.map((i: { id: string }) => i.id);
    }
    // The script reached the paths it is about: answers with data, user errors and errors.
    expect(items).toHaveLength(12);
  });

  it('leaves the two databases with the same change log', async () => {
    const log = (app: TestApp) =>
      app
        .em()
        .execute(
          'select initiative_id, workstream_id, item_id, kind, from_status, from_percent, to_status, to_percent, weight, version, data, note from change_log order by id',
        );
    const [a, b] = [await log(reference), await log(jit)];
    expect(a.length).toBeGreaterThan(20);
    expect(b).toEqual(a);
  });

  /** A request whose database fails under it: every statement throws `failure`. */
  const failingContext = (failure: () => Error) =>
    new (class {
      readonly principal = TEST_ADMIN;
      readonly actor = actorName(TEST_ADMIN);
      readonly clientKey = 'test';
      readonly log = silentLog;
      // Getters on the prototype, as the server's context has them (Apollo copies own fields).
      get em(): never {
        throw failure();
      }
      get loaders(): never {
        throw failure();
      }
    })();

  it.each([
    [
      'an outage (DATABASE_UNAVAILABLE, 503)',
      () => Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' }),
    ],
    ['a bug (INTERNAL_SERVER_ERROR)', () => new TypeError('x is not a function')],
  ])('answers an error without extensions alike: %s', async (_what, failure) => {
    const answers = [];
    for (const executor of EXECUTOR_MODES.filter((m) => m !== 'compare')) {
      const apollo = createApollo(await jinduSchema(), silentLog, serverOptions({ executor }));
      await apollo.start();
      try {
        const res = await apollo.executeOperation(
          { query: SET_ITEM_STATUS, variables: { input: { itemId: 'SXRlbToy', status: 'DONE' } } },
          { contextValue: failingContext(failure) as never },
        );
        answers.push({ status: res.http.status, body: res.body });
      } finally {
        await apollo.stop();
      }
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(JSON.stringify(answers[0])).toContain('"path":["setItemStatus"]');
  });
});
