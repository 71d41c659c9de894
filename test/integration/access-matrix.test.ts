import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serverOptions } from '../../src/config.js';
import { createApp, type App } from '../../src/server/app.js';
import { revokeToken } from '../../src/services/tokens.js';
import {
  ACTORS,
  expectedWrite,
  postRaw,
  sees,
  TOKEN_STATES,
  type Actor,
  type BadCredentials,
  type RawResponse,
  type WriteKind,
} from '../helpers/access-cases.js';
import { DIALECTS } from '../helpers/databases.js';
import { startHttpApp, type HttpTestApp } from '../helpers/http-app.js';
import {
  ARCHIVE_INITIATIVE,
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  DELETE_ITEM,
  DELETE_WORKSTREAM,
  MOVE_ITEM,
  MOVE_WORKSTREAM,
  RESTORE_INITIATIVE,
  SET_ITEM_STATUS,
  SET_ITEM_STATUSES,
  UPDATE_INITIATIVE,
  UPDATE_ITEM,
  UPDATE_WORKSTREAM,
} from '../helpers/operations.js';
import { silentLog } from '../helpers/test-app.js';
import { jinduSchema } from '../../src/graphql/schema.js';
import * as RM from '../helpers/report-model-ops.js';

// Initiative keys need two characters at least: `alpha` is the matrix's `a`, `beta` its `b`.
const A = { key: 'alpha', name: '项目甲 Alpha' };
const B = { key: 'beta', name: '项目乙 Beta' };

const RESTORE_ITEM = `mutation($input: RestoreItemInput!) {
  restoreItem(input: $input) { item { id version } userErrors { code message field } } }`;
const RESTORE_WORKSTREAM = `mutation($input: RestoreWorkstreamInput!) {
  restoreWorkstream(input: $input) { workstream { id } userErrors { code message field } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id
  ... on Workstream { phase children { id } history(first: 1) { nodes { actor kind } } }
  ... on Item { percent history(first: 1) { nodes { actor kind } } } } }`;
/** a's figures, tree, and live items with their versions, plus the list of initiatives. */
const SNAPSHOT = `query($a: ID!, $leaf: ID!) { initiatives { key }
  a: node(id: $a) { ... on Initiative { progress { percent credit counted total }
    workstreams { id name phase weight position children { id name phase position } } } }
  leaf: node(id: $leaf) { ... on Workstream {
    items(first: 100) { totalCount nodes { id status percent version } } } } }`;

interface World {
  a: string;
  b: string;
  aTop: string;
  aLeaf: string;
  aItems: string[];
}

interface ReadOp {
  readonly name: string;
  readonly query: string;
  readonly variables: (w: World) => Record<string, unknown>;
  /** What the answer must show for a caller that sees `a` (and `b`) or not. */
  readonly expectSeen: (data: any, seen: { a: boolean; b: boolean }, w: World) => void;
}

const nodeRead = (name: string, id: (w: World) => string): ReadOp => ({
  name,
  query: 'query($id: ID!) { node(id: $id) { id } }',
  variables: (w) => ({ id: id(w) }),
  expectSeen: (data, seen, w) => expect(data.node).toEqual(seen.a ? { id: id(w) } : null),
});

const READS: readonly ReadOp[] = [
  {
    name: 'initiative(key)',
    query: `query { initiative(key: "${A.key}") { key name } }`,
    variables: () => ({}),
    expectSeen: (data, seen) => expect(data.initiative).toEqual(seen.a ? A : null),
  },
  {
    name: 'initiatives',
    query: 'query { initiatives { key } }',
    variables: () => ({}),
    expectSeen: (data, seen) => {
      const keys = data.initiatives.map((i: { key: string }) => i.key);
      expect({ a: keys.includes(A.key), b: keys.includes(B.key) }).toEqual(seen);
    },
  },
  nodeRead('node(initiative)', (w) => w.a),
  nodeRead('node(workstream)', (w) => w.aTop),
  nodeRead('node(item)', (w) => w.aItems[0]!),
  {
    name: 'weeklyReport',
    // Live: a dated report lists the initiatives as they stood then (these are from today).
    query: 'query { weeklyReport }',
    variables: () => ({}),
    expectSeen: (data, seen) =>
      expect({
        a: data.weeklyReport.includes(A.name),
        b: data.weeklyReport.includes(B.name),
      }).toEqual(seen),
  },
  {
    name: 'report model reads (initiative)',
    query: `query { initiative(key: "${A.key}") { figures { name } stages { name }
      metrics { name latest { value } } milestones { name overdue } updates { totalCount }
      items(first: 1) { nodes { stage stageNote } } } }`,
    variables: () => ({}),
    expectSeen: (data, seen) =>
      seen.a
        ? expect(data.initiative).toMatchObject({
            figures: expect.any(Array),
            metrics: expect.any(Array),
            milestones: expect.any(Array),
            updates: { totalCount: expect.any(Number) },
          })
        : expect(data.initiative).toBeNull(),
  },
  {
    name: 'report model reads (workstream)',
    query: `query($id: ID!) { node(id: $id) { ... on Workstream {
      figures { name } stages { name } metrics { name } milestones { name } } } }`,
    variables: (w) => ({ id: w.aTop }),
    expectSeen: (data, seen) =>
      seen.a
        ? expect(data.node).toMatchObject({
            figures: expect.any(Array),
            metrics: expect.any(Array),
            milestones: expect.any(Array),
          })
        : expect(data.node).toBeNull(),
  },
  {
    name: 'Workstream.items',
    query: `query($id: ID!) { node(id: $id) { ... on Workstream {
      items(first: 10) { totalCount nodes { id } } } } }`,
    variables: (w) => ({ id: w.aLeaf }),
    expectSeen: (data, seen, w) => {
      if (!seen.a) return expect(data.node).toBeNull();
      expect(data.node.items.nodes.map((i: { id: string }) => i.id)).toEqual(
        expect.arrayContaining(w.aItems),
      );
    },
  },
];

describe.each(DIALECTS)('access matrix over HTTP (%s)', (dialect) => {
  let app: HttpTestApp;
  let w: World;
  const secrets = new Map<string, string>();
  let bad: BadCredentials;
  let counter = 0;

  /** Runs an operation as the global admin; fails on any error or userError. */
  const admin = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await app.post(query, variables);
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    for (const payload of Object.values(res.body.data) as any[])
      if (payload && 'userErrors' in payload) expect(payload.userErrors).toEqual([]);
    return res.body.data;
  };
  const read = async (id: string) => (await admin(NODE, { id })).node;
  const snapshot = async () => admin(SNAPSHOT, { a: w.a, leaf: w.aLeaf });
  const newWorkstream = async (name: string) =>
    (await admin(CREATE_WORKSTREAM, { input: { initiativeId: w.a, name } })).createWorkstream
      .workstream.id as string;
  const newItem = async (name: string) =>
    (await admin(CREATE_ITEMS, { input: { workstreamId: w.aLeaf, items: [{ name }] } })).createItems
      .items[0].id as string;
  const lastChange = async (id: string) => (await read(id)).history.nodes[0];

  interface WriteOp {
    readonly name: string;
    readonly kind: WriteKind;
    readonly query: string;
    /** A fresh input for one case, its targets made with the admin token. */
    readonly input: (actor: Actor) => Promise<Record<string, unknown>>;
    /** What a success must have done, read back with the admin token. */
    readonly verify: (payload: any, input: any, actor: Actor) => Promise<void>;
  }

  const WEBHOOK_FIELDS =
    'webhook { id url events initiativeKey } userErrors { code message field }';
  const CREATE_WEBHOOK = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { ${WEBHOOK_FIELDS} secret } }`;
  const DELIVERY_FIELDS = 'delivery { id eventType state } userErrors { code message field }';
  /** An endpoint of `a`, made by the admin (a public address literal: no lookup, no delivery here). */
  const newWebhook = async (label: string) =>
    (
      await admin(CREATE_WEBHOOK, {
        input: {
          url: `https://203.0.113.10/${encodeURIComponent(label)}`,
          events: ['item.changed'],
          initiativeKey: A.key,
        },
      })
    ).createWebhook.webhook.id as string;

  const WRITES: WriteOp[] = [
    {
      name: 'createInitiative',
      kind: 'createInitiative',
      query: CREATE_INITIATIVE,
      input: async (actor) => ({ key: `by-${actor.tokenName}`, name: `由 ${actor.label} 创建` }),
      verify: async (payload, input) => {
        expect(payload.initiative.key).toBe(input.key);
        expect(await read(payload.initiative.id)).not.toBeNull();
      },
    },
    {
      name: 'createWorkstream',
      kind: 'write',
      query: CREATE_WORKSTREAM,
      input: async (actor) => ({ initiativeId: w.a, parentId: w.aTop, name: actor.label }),
      verify: async (payload) =>
        expect((await read(w.aTop)).children).toContainEqual({ id: payload.workstream.id }),
    },
    {
      name: 'updateWorkstream',
      kind: 'write',
      query: UPDATE_WORKSTREAM,
      input: async (actor) => ({ id: w.aTop, phase: `phase of ${actor.label}` }),
      verify: async (_payload, input) => expect((await read(w.aTop)).phase).toBe(input.phase),
    },
    {
      name: 'moveWorkstream',
      kind: 'write',
      query: MOVE_WORKSTREAM,
      input: async (actor) => ({
        id: await newWorkstream(`move ${actor.label}`),
        parentId: w.aTop,
      }),
      verify: async (payload) => expect(payload.workstream.parent).toEqual({ id: w.aTop }),
    },
    {
      name: 'deleteWorkstream',
      kind: 'write',
      query: DELETE_WORKSTREAM,
      input: async (actor) => ({ id: await newWorkstream(`delete ${actor.label}`) }),
      verify: async (payload, input) => {
        expect(payload.deletedId).toBe(input.id);
        expect(await read(input.id)).toBeNull();
      },
    },
    {
      name: 'createItems',
      kind: 'write',
      query: CREATE_ITEMS,
      input: async (actor) => ({ workstreamId: w.aLeaf, items: [{ name: actor.label }] }),
      verify: async (payload, _input, actor) =>
        expect(await lastChange(payload.items[0].id)).toEqual({
          actor: actor.tokenName,
          kind: 'CREATE',
        }),
    },
    {
      name: 'setItemStatus',
      kind: 'write',
      query: SET_ITEM_STATUS,
      input: async () => ({ itemId: w.aItems[0], status: 'IN_PROGRESS', percent: ++counter }),
      verify: async (_payload, input, actor) => {
        expect((await read(input.itemId)).percent).toBe(input.percent);
        expect(await lastChange(input.itemId)).toEqual({ actor: actor.tokenName, kind: 'STATUS' });
      },
    },
    {
      name: 'setItemStatuses',
      kind: 'write',
      query: SET_ITEM_STATUSES,
      input: async () => ({
        updates: w.aItems.slice(1).map((itemId) => ({
          itemId,
          status: 'PAUSED',
          percent: ++counter,
        })),
      }),
      verify: async (_payload, input) => {
        for (const u of input.updates) expect((await read(u.itemId)).percent).toBe(u.percent);
      },
    },
    {
      name: 'deleteItem',
      kind: 'write',
      query: DELETE_ITEM,
      input: async (actor) => ({ id: await newItem(`delete ${actor.label}`) }),
      verify: async (_payload, input) => expect(await read(input.id)).toBeNull(),
    },
    {
      name: 'restoreItem',
      kind: 'restore',
      query: RESTORE_ITEM,
      input: async (actor) => {
        const id = await newItem(`restore ${actor.label}`);
        await admin(DELETE_ITEM, { input: { id } });
        return { id };
      },
      verify: async (_payload, input, actor) =>
        expect(await lastChange(input.id)).toEqual({ actor: actor.tokenName, kind: 'RESTORE' }),
    },
    {
      name: 'restoreWorkstream',
      kind: 'restore',
      query: RESTORE_WORKSTREAM,
      input: async (actor) => {
        const id = await newWorkstream(`restore ${actor.label}`);
        await admin(DELETE_WORKSTREAM, { input: { id } });
        return { id };
      },
      verify: async (_payload, input, actor) =>
        expect(await lastChange(input.id)).toEqual({
          actor: actor.tokenName,
          kind: 'WORKSTREAM_RESTORE',
        }),
    },
    {
      name: 'updateItem',
      kind: 'write',
      query: UPDATE_ITEM,
      input: async (actor) => ({ itemId: await newItem(`edit ${actor.label}`), weight: 2 }),
      verify: async (payload, input, actor) => {
        expect(payload.item.weight).toBe(2);
        expect(await lastChange(input.itemId)).toEqual({
          actor: actor.tokenName,
          kind: 'ITEM_WEIGHT_CHANGED',
        });
      },
    },
    {
      name: 'moveItem',
      kind: 'write',
      query: MOVE_ITEM,
      input: async (actor) => ({
        itemId: await newItem(`move item ${actor.label}`),
        workstreamId: await newWorkstream(`item target ${actor.label}`),
      }),
      verify: async (payload, input, actor) => {
        expect(payload.item.workstream).toEqual({ id: input.workstreamId });
        expect(await lastChange(input.itemId)).toEqual({
          actor: actor.tokenName,
          kind: 'ITEM_MOVED',
        });
      },
    },
    {
      name: 'updateInitiative',
      kind: 'settings',
      query: UPDATE_INITIATIVE,
      input: async (actor) => ({ initiativeId: w.a, phase: `phase of ${actor.label}` }),
      verify: async (payload, input) => expect(payload.initiative.phase).toBe(input.phase),
    },
    {
      name: 'archiveInitiative',
      kind: 'settings',
      query: ARCHIVE_INITIATIVE,
      input: async () => ({ initiativeId: w.a }),
      verify: async (payload) => {
        expect(payload.initiative.archived).toBe(true);
        const keys = (await admin('query { initiatives { key } }')).initiatives;
        expect(keys).not.toContainEqual({ key: A.key });
        await admin(RESTORE_INITIATIVE, { input: { initiativeId: w.a } });
      },
    },
    {
      name: 'createWebhook',
      kind: 'settings',
      query: CREATE_WEBHOOK,
      input: async (actor) => ({
        url: `https://203.0.113.10/by-${actor.tokenName}`,
        events: ['figure.changed'],
        initiativeKey: A.key,
      }),
      verify: async (payload) => {
        expect(payload.webhook.initiativeKey).toBe(A.key);
        expect(payload.secret).toMatch(/^whsec_/);
      },
    },
    {
      name: 'updateWebhook',
      kind: 'settings',
      query: `mutation($input: UpdateWebhookInput!) { updateWebhook(input: $input) { ${WEBHOOK_FIELDS} } }`,
      input: async (actor) => ({
        id: await newWebhook(`update ${actor.label}`),
        events: ['figure.changed', 'item.changed'],
      }),
      verify: async (payload) =>
        expect(payload.webhook.events).toEqual(['figure.changed', 'item.changed']),
    },
    {
      name: 'deleteWebhook',
      kind: 'settings',
      query: `mutation($input: WebhookIdInput!) { deleteWebhook(input: $input) { deletedId userErrors { code message field } } }`,
      input: async (actor) => ({ id: await newWebhook(`delete ${actor.label}`) }),
      verify: async (payload, input) => {
        expect(payload.deletedId).toBe(input.id);
        expect((await admin('{ webhooks { id } }')).webhooks).not.toContainEqual({ id: input.id });
      },
    },
    {
      name: 'sendTestWebhook',
      kind: 'settings',
      query: `mutation($input: WebhookIdInput!) { sendTestWebhook(input: $input) { ${DELIVERY_FIELDS} } }`,
      input: async (actor) => ({ id: await newWebhook(`test ${actor.label}`) }),
      verify: async (payload) => expect(payload.delivery.eventType).toBe('webhook.test'),
    },
    {
      name: 'redeliverWebhook',
      kind: 'settings',
      query: `mutation($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) { ${DELIVERY_FIELDS} } }`,
      input: async (actor) => {
        const id = await newWebhook(`redeliver ${actor.label}`);
        const sent = await admin(
          `mutation($id: ID!) { sendTestWebhook(input: { id: $id }) { delivery { id } } }`,
          { id },
        );
        return { deliveryId: sent.sendTestWebhook.delivery.id };
      },
      verify: async (payload) => expect(payload.delivery.state).toBe('pending'),
    },
    {
      name: 'restoreInitiative',
      kind: 'settings',
      query: RESTORE_INITIATIVE,
      input: async () => {
        await admin(ARCHIVE_INITIATIVE, { input: { initiativeId: w.a } });
        return { initiativeId: w.a };
      },
      verify: async (payload) => {
        expect(payload.initiative.archived).toBe(false);
        const keys = (await admin('query { initiatives { key } }')).initiatives;
        expect(keys).toContainEqual({ key: A.key });
      },
    },
  ];

  const SET_HEALTH = `mutation($input: SetHealthInput!) {
    setHealth(input: $input) { health { status source reason } userErrors { code field } } }`;
  const CLEAR_HEALTH = `mutation($input: ClearHealthInput!) {
    clearHealth(input: $input) { health { status source } userErrors { code field } } }`;
  WRITES.push(
    {
      name: 'setHealth',
      kind: 'write',
      query: SET_HEALTH,
      input: async (actor) => ({
        id: await newWorkstream(`health ${actor.label}`),
        status: 'AT_RISK',
        reason: `set by ${actor.label}`,
      }),
      verify: async (payload, input, actor) => {
        expect(payload.health).toMatchObject({ status: 'AT_RISK', source: 'MANUAL' });
        // The reason shows who set it.
        expect(payload.health.reason).toContain(input.reason);
        expect(payload.health.reason).toContain(actor.tokenName);
      },
    },
    {
      name: 'clearHealth',
      kind: 'write',
      query: CLEAR_HEALTH,
      input: async (actor) => {
        const id = await newWorkstream(`cleared health ${actor.label}`);
        await admin(SET_HEALTH, { input: { id, status: 'OFF_TRACK', reason: 'by hand' } });
        return { id };
      },
      verify: async (payload) => expect(payload.health.source).toBe('COMPUTED'),
    },
  );

  /** A workstream of `a` with its own stage workflow and an item in it (made by the admin). */
  const stagedItem = async (name: string) => {
    const ws = await newWorkstream(`阶段 ${name}`);
    await admin(RM.DEFINE_STAGES, {
      input: { initiativeId: w.a, workstreamId: ws, stages: [{ name: '开发' }, { name: '上线' }] },
    });
    return (await admin(CREATE_ITEMS, { input: { workstreamId: ws, items: [{ name }] } }))
      .createItems.items[0].id as string;
  };
  WRITES.push(
    {
      name: 'defineStages',
      kind: 'write',
      query: RM.DEFINE_STAGES,
      input: async (actor) => ({
        initiativeId: w.a,
        workstreamId: await newWorkstream(`stages ${actor.label}`),
        stages: [{ name: '设计' }, { name: '投产' }],
      }),
      verify: async (payload) =>
        expect(payload.stages).toEqual([
          { name: '设计', percent: 50 },
          { name: '投产', percent: 100 },
        ]),
    },
    {
      name: 'setItemStage',
      kind: 'write',
      query: RM.SET_ITEM_STAGE,
      input: async (actor) => ({ itemId: await stagedItem(`stage ${actor.label}`), stage: '开发' }),
      verify: async (_payload, input, actor) =>
        expect(await lastChange(input.itemId)).toEqual({
          actor: actor.tokenName,
          kind: 'ITEM_STAGE_CHANGED',
        }),
    },
    {
      name: 'defineMetric',
      kind: 'write',
      query: RM.DEFINE_METRIC,
      input: async (actor) => ({
        initiativeId: w.a,
        name: `指标 ${actor.label}`,
        decimals: 1,
        direction: 'UP',
      }),
      verify: async (payload, input) => expect(payload.metric.name).toBe(input.name),
    },
    {
      name: 'recordMetricReading',
      kind: 'write',
      query: RM.RECORD_READING,
      input: async (actor) => {
        const input = {
          initiativeId: w.a,
          name: `读数 ${actor.label}`,
          decimals: 1,
          direction: 'UP',
        };
        return {
          metricId: (await admin(RM.DEFINE_METRIC, { input })).defineMetric.metric.id,
          value: '1.5',
        };
      },
      verify: async (payload, _input, actor) =>
        expect(payload.reading).toMatchObject({ value: '1.5', actor: actor.tokenName }),
    },
    {
      name: 'setMilestone',
      kind: 'write',
      query: RM.SET_MILESTONE,
      input: async (actor) => ({
        initiativeId: w.a,
        name: `里程碑 ${actor.label}`,
        due: '2023-06-15',
      }),
      verify: async (payload) =>
        expect(payload.milestone).toMatchObject({ due: '2023-06-15', slipDays: 0 }),
    },
    {
      name: 'defineNamedFigures',
      kind: 'write',
      query: RM.DEFINE_FIGURES,
      input: async () => ({ initiativeId: w.a, figures: [{ name: '总进度' }] }),
      verify: async (payload) => expect(payload.figures).toEqual(['总进度']),
    },
    {
      name: 'postUpdate',
      kind: 'write',
      query: RM.POST_UPDATE,
      input: async (actor) => ({
        initiativeId: w.a,
        section: 'PROGRESS',
        week: '2023-05-13',
        body: `进展 ${actor.label}`,
      }),
      verify: async (payload, _input, actor) => expect(payload.update.author).toBe(actor.tokenName),
    },
  );

  it('has a case for every mutation of the schema', async () => {
    // A new mutation fails here until its row in WRITES says who may run it.
    const mutations = Object.keys((await jinduSchema()).getMutationType()!.getFields());
    expect(WRITES.map((w) => w.name).sort()).toEqual(mutations.sort());
  });

  function expectUnauthenticated(res: RawResponse): void {
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.body.data ?? null).toBeNull();
  }

  // Each webhook case makes its own endpoints of A, and an initiative holds at most 20.
  afterEach(async () => {
    if (!app) return;
    for (const { id } of (await admin('{ webhooks { id } }')).webhooks)
      await admin(
        'mutation($input: WebhookIdInput!) { deleteWebhook(input: $input) { deletedId } }',
        { input: { id } },
      );
  });

  beforeAll(async () => {
    // Rate limits are tested elsewhere; here the admin's snapshots would spend the minute's points.
    app = await startHttpApp(dialect, {
      anonymousRead: false,
      rateLimitPerMinute: 0,
      // Endpoints are made here, never called: the delivery worker stays off.
      webhooks: { allowPrivate: false, retryBaseMs: 10_000, worker: false },
    });
    const ids: Record<string, { id: string; top: string; leaf: string; items: string[] }> = {};
    for (const { key, name } of [A, B]) {
      const id = (await admin(CREATE_INITIATIVE, { input: { key, name } })).createInitiative
        .initiative.id;
      const top = (await admin(CREATE_WORKSTREAM, { input: { initiativeId: id, name: '顶层' } }))
        .createWorkstream.workstream.id;
      const leaf = (
        await admin(CREATE_WORKSTREAM, { input: { initiativeId: id, parentId: top, name: '叶子' } })
      ).createWorkstream.workstream.id;
      const items = ['x', 'y', 'z'].map((n) => ({ name: n, status: 'IN_PROGRESS', percent: 50 }));
      const created = await admin(CREATE_ITEMS, { input: { workstreamId: leaf, items } });
      ids[key] = { id, top, leaf, items: created.createItems.items.map((i: any) => i.id) };
    }
    const { id: a, top: aTop, leaf: aLeaf, items: aItems } = ids[A.key]!;
    w = { a, b: ids[B.key]!.id, aTop, aLeaf, aItems };
    for (const actor of ACTORS) {
      const scopeKey = { global: undefined, own: A.key, other: B.key }[actor.scope];
      secrets.set(actor.label, await app.token(actor.tokenName, actor.role, scopeKey));
    }
    // Expired and revoked tokens are global admins: were they let in, the write would succeed.
    const expired = await app.token('expired-admin', 'admin', undefined, '1m');
    const revoked = await app.token('revoked-admin', 'admin');
    // Both work until the clock and revokeToken say otherwise.
    for (const secret of [expired, revoked])
      expect((await app.post('query { initiatives { key } }', {}, secret)).status).toBe(200);
    await app
      .em()
      .execute('update api_token set expires_at = ? where name = ?', [
        new Date(Date.now() - 1000),
        'expired-admin',
      ]);
    await revokeToken(app.em(), 'revoked-admin');
    bad = { unknown: `jindu_${'A'.repeat(43)}`, expired, revoked };
  });
  afterAll(() => app?.close());

  const readCases = ACTORS.flatMap((actor) =>
    READS.map((op) => ({
      actor,
      op,
      title: `${actor.label}: ${op.name} → ${sees(actor).a ? 'visible' : 'not found'}`,
    })),
  );
  it.each(readCases)('$title', async ({ actor, op }) => {
    const res = await app.post(op.query, op.variables(w), secrets.get(actor.label));
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    op.expectSeen(res.body.data, sees(actor), w);
  });

  const writeCases = ACTORS.flatMap((actor) =>
    WRITES.map((op) => {
      const outcome = expectedWrite(op.kind, actor);
      return { actor, op, outcome, title: `${actor.label}: ${op.name} → ${outcome}` };
    }),
  );
  it.each(writeCases)('$title', async ({ actor, op, outcome }) => {
    const input = await op.input(actor);
    const before = await snapshot();
    const res = await app.post(op.query, { input }, secrets.get(actor.label));
    expect(res.status).toBe(200);
    if (outcome === 'FORBIDDEN') {
      expect(res.body.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
      expect(res.body.data).toBeNull();
    } else {
      expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
      const payload: any = Object.values(res.body.data)[0];
      if (outcome === 'success') {
        expect(payload.userErrors).toEqual([]);
        await op.verify(payload, input, actor);
      } else {
        expect(payload.userErrors.length).toBeGreaterThan(0);
        expect(payload.userErrors.map((e: any) => e.code)).toEqual(
          payload.userErrors.map(() => 'NOT_FOUND'),
        );
        // The payload's object (item, workstream, deletedId…) is null: not found, nothing to show.
        for (const [field, value] of Object.entries(payload))
          if (field !== 'userErrors') expect(value, field).toBeNull();
      }
    }
    if (outcome !== 'success') expect(await snapshot()).toEqual(before);
    // A refused restoreInitiative leaves `a` archived: bring it back for the cases after it.
    if (op.name === 'restoreInitiative' && outcome !== 'success')
      await admin(RESTORE_INITIATIVE, { input: { initiativeId: w.a } });
  });

  const stateCases = TOKEN_STATES.flatMap(({ state, authorization }) =>
    (['initiatives', 'setItemStatus'] as const).map((op) => ({
      op,
      authorization,
      title: `${state}: ${op} → 401 UNAUTHENTICATED`,
    })),
  );
  it.each(stateCases)('$title', async ({ op, authorization }) => {
    const before = await snapshot();
    const [query, variables] =
      op === 'initiatives'
        ? ['query { initiatives { key } }', {}]
        : [SET_ITEM_STATUS, { input: { itemId: w.aItems[0], status: 'DONE' } }];
    expectUnauthenticated(await postRaw(app.url, query, variables, authorization(bad)));
    expect(await snapshot()).toEqual(before);
  });

  it('the change log names the editor token as the actor of its write', async () => {
    const input = { itemId: w.aItems[0], status: 'IN_PROGRESS', percent: 77 };
    const res = await app.post(SET_ITEM_STATUS, { input }, secrets.get('editor/own'));
    expect(res.body.data.setItemStatus.userErrors).toEqual([]);
    const history = `query($id: ID!) { node(id: $id) { ... on Item {
      history(first: 1) { nodes { actor kind } } } } }`;
    expect((await admin(history, { id: w.aItems[0] })).node.history.nodes).toEqual([
      { actor: 'editor-own', kind: 'STATUS' },
    ]);
  });

  describe('a second server over the same database, with anonymous reads on', () => {
    let open: App;
    let url: string;
    beforeAll(async () => {
      open = await createApp(
        app.orm,
        silentLog,
        serverOptions({ anonymousRead: true, rateLimitPerMinute: 0 }),
      );
      url = await open.listen(0, '127.0.0.1');
    });
    afterAll(() => open?.close());

    it.each(READS.map((op) => ({ op, title: `anonymous: ${op.name} → visible` })))(
      '$title',
      async ({ op }) => {
        const res = await postRaw(url, op.query, op.variables(w), null);
        expect(res.status).toBe(200);
        expect(res.body.errors).toBeUndefined();
        op.expectSeen(res.body.data, { a: true, b: true }, w);
      },
    );

    const anonymousActor: Actor = {
      role: 'viewer',
      scope: 'global',
      label: 'anonymous',
      tokenName: 'anonymous',
    };
    it.each(WRITES.map((op) => ({ op, title: `anonymous: ${op.name} → 401 UNAUTHENTICATED` })))(
      '$title',
      async ({ op }) => {
        const input = await op.input(anonymousActor);
        const before = await snapshot();
        expectUnauthenticated(await postRaw(url, op.query, { input }, null));
        expect(await snapshot()).toEqual(before);
      },
    );

    it.each(TOKEN_STATES.filter((s) => s.state !== 'no token'))(
      '$state: initiatives → 401 UNAUTHENTICATED even with anonymous reads on',
      async ({ authorization }) => {
        const res = await postRaw(url, 'query { initiatives { key } }', {}, authorization(bad));
        expectUnauthenticated(res);
      },
    );
  });
});
