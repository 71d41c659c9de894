import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import { findInitiativeByKey } from '../../src/db/queries/initiative.queries.js';
import { loadSeed } from '../../src/services/load-seed.js';
import { SNAPSHOT_SETTLE_MS, takeSnapshot } from '../../src/services/snapshots.js';
import { verifyReplay } from '../../src/services/verify-replay.js';
import { DIALECTS } from '../helpers/databases.js';
import { GOLDEN_HEADER_START, GOLDEN_HIVE } from '../helpers/golden-report.js';
import { SET_ITEM_STATUS, UPDATE_ITEM } from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { reportDateOf } from '../../src/domain/report-day.js';

const AS_OF = `query($asOf: DateTimeISO, $knownAt: DateTimeISO) {
  initiative(key: "hive", asOf: $asOf, knownAt: $knownAt) {
    id progress { percent credit counted total byStatus { status count } }
    workstreams { id name progress { percent total } children { id name items(first: 100) { totalCount nodes { id status percent } } } }
    reportLines
  } }`;
const END_OF_5_13 = '2023-05-13T23:59:59+08:00';
const BEFORE = '2023-05-12T23:59:59+08:00';

describe.each(DIALECTS)('as-of reads (%s)', (dialect) => {
  let app: TestApp;
  let itemId: string;
  let published: string;

  beforeAll(async () => {
    app = await createTestApp(dialect);
    await loadSeed({ em: app.em(), initiatives: week20Seed });
    published = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
  });
  afterAll(() => app.close());

  it('refuses a time after now, whose state is not known yet, and a report of a later day', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    for (const [query, variables, field] of [
      [
        'query($t: DateTimeISO) { initiative(key: "hive", asOf: $t) { name } }',
        { t: later },
        'asOf',
      ],
      [
        'query($t: DateTimeISO) { initiative(key: "hive", asOf: "2023-05-13T00:00:00Z", knownAt: $t) { name } }',
        { t: later },
        'knownAt',
      ],
      ['query($t: DateTimeISO) { initiatives(asOf: $t) { name } }', { t: later }, 'asOf'],
      ['{ weeklyReport(date: "9999-12-31") }', {}, 'date'],
    ] as const) {
      const res = await app.gql(query, variables);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(res.errors?.[0]?.message).toContain(field);
    }
    // Today, as the team's calendar has it, is read to now.
    const today = reportDateOf(Date.now());
    expect((await app.gql(`{ weeklyReport(date: "${today}") }`)).errors).toBeUndefined();
  });

  it('gives the week-20 figures at the end of 2023-05-13, and nothing the day before', async () => {
    const at = (await app.ok(AS_OF, { asOf: END_OF_5_13 })).initiative;
    expect(at.progress.percent).toBeCloseTo(87.23, 2);
    expect(at.reportLines[0].startsWith(GOLDEN_HEADER_START)).toBe(true);
    expect(at.reportLines.slice(1)).toEqual(GOLDEN_HIVE);
    expect(at.workstreams.find((w: any) => w.name === '迁移').progress.percent).toBeCloseTo(
      86.11,
      2,
    );
    const before = (await app.ok(AS_OF, { asOf: BEFORE })).initiative;
    expect(before.progress).toMatchObject({ percent: null, credit: 0, counted: 0, total: 0 });
    expect(before.progress.byStatus.every((s: any) => s.count === 0)).toBe(true);
    expect(before.workstreams).toEqual([]);
    itemId = at.workstreams[0].children[0].items.nodes.find(
      (i: any) => i.status === 'IN_PROGRESS',
    ).id;
  });

  it('answers a malformed asOf with BAD_USER_INPUT', async () => {
    for (const asOf of ['上周五', '2023-13-45T00:00:00Z'])
      expect((await app.gql(AS_OF, { asOf })).errors?.map((e) => e.extensions?.code)).toEqual([
        'BAD_USER_INPUT',
      ]);
  });

  it('reads a time before 1900 (year 0 included) as an empty tree, and refuses to write one', async () => {
    for (const asOf of ['0000-01-01T00:00:00Z', '1899-12-31T23:59:59Z']) {
      const res = await app.gql(AS_OF, { asOf });
      expect(res.errors).toBeUndefined();
      expect(res.data.initiative.progress).toMatchObject({ total: 0, percent: null });
    }
    const report = await app.gql(
      `{ weeklyReport(date: "0000-01-01", knownAt: "0000-01-01T00:00:00Z") }`,
    );
    expect(report.errors).toBeUndefined();
    const p = await app.ok(
      `mutation { createInitiative(input: { key: "old", name: "旧", effectiveAt: "1899-12-31T00:00:00Z" }) { userErrors { code field } } }`,
    );
    expect(p.createInitiative.userErrors).toEqual([
      { code: 'INVALID_INPUT', field: ['effectiveAt'] },
    ]);
  });

  it('keeps the old answer for an earlier knownAt after a back-dated correction', async () => {
    // A snapshot known now, effective late on 5/13: later reads start from it.
    const hive = (await findInitiativeByKey(app.em(), 'hive'))!;
    await takeSnapshot(
      app.em(),
      hive.id,
      new Date('2023-05-13T20:00:00+08:00'),
      Date.now() + SNAPSHOT_SETTLE_MS,
    );
    await new Promise((r) => setTimeout(r, 5));
    const res = await app.ok(SET_ITEM_STATUS, {
      input: { itemId, status: 'DONE', effectiveAt: '2023-05-13T22:00:00+08:00' },
    });
    expect(res.setItemStatus.userErrors).toEqual([]);
    const live = (await app.ok(AS_OF, {})).initiative;
    const now = (await app.ok(AS_OF, { asOf: END_OF_5_13 })).initiative;
    const then = (await app.ok(AS_OF, { asOf: END_OF_5_13, knownAt: published })).initiative;
    expect(now.progress).toEqual(live.progress);
    expect(now.progress.credit).toBeGreaterThan(then.progress.credit);
    expect(then.reportLines.slice(1)).toEqual(GOLDEN_HIVE);
    expect(then.reportLines[0].startsWith(GOLDEN_HEADER_START)).toBe(true);
    const node = await app.ok(
      `query($id: ID!, $a: DateTimeISO, $k: DateTimeISO) {
      node(id: $id, asOf: $a, knownAt: $k) { ... on Item { status } } }`,
      {
        id: itemId,
        a: END_OF_5_13,
        k: published,
      },
    );
    expect(node.node.status).toBe('IN_PROGRESS');
  });

  it('refuses a change effective before the item’s latest, writing nothing', async () => {
    const res = await app.ok(SET_ITEM_STATUS, {
      input: { itemId, status: 'PAUSED', effectiveAt: '2023-05-13T21:00:00+08:00' },
    });
    expect(res.setItemStatus.userErrors.map((e: any) => [e.code, e.field])).toEqual([
      ['INVALID_INPUT', ['effectiveAt']],
    ]);
  });

  it('reproduces the weekly report of a date as published', async () => {
    const md = (
      await app.ok(`query($k: DateTimeISO) { weeklyReport(date: "2023-05-13", knownAt: $k) }`, {
        k: published,
      })
    ).weeklyReport as string;
    expect(md).toContain(`    ${GOLDEN_HIVE[0]}\n`);
  });

  // An as-of view and a report of a past day printed items under today's names: a rename made
  // after the week-20 report changed the report as published.
  it('names an item, and gives its note, as they stood at the read time', async () => {
    const ITEMS_AT = `query($a: DateTimeISO, $k: DateTimeISO, $s: String) {
      initiative(key: "hive", asOf: $a, knownAt: $k) {
        items(first: 5, search: $s) { nodes { id name note } } reportLines } }`;
    const at = (a: string | null, search: string, k?: string) =>
      app.ok(ITEMS_AT, { a, s: search, k }).then((d) => d.initiative);
    const item = (await at(null, '交易对账单')).items.nodes.find(
      (i: any) => i.name === '交易对账单',
    );
    const rename = async (name: string, note: string | null) =>
      expect(
        (await app.ok(UPDATE_ITEM, { input: { itemId: item.id, name, note } })).updateItem
          .userErrors,
      ).toEqual([]);
    await rename('交易对账单（新口径）', '按新口径核对');
    const renamedAt = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await rename('交易对账单（新口径二期）', null);
    // As of the report's day: the name and note it had then, in the items, the node and the
    // report lines, whose names are searched as they stood.
    const then = await at(END_OF_5_13, '交易对账单');
    expect(then.items.nodes.find((i: any) => i.id === item.id)).toMatchObject({
      name: '交易对账单',
      note: item.note,
    });
    expect(then.reportLines[1]).toContain('完成2个（手续费对账单，交易对账单）'); // set done above
    // As published: the report line of 5/13, word for word.
    expect((await at(END_OF_5_13, '交易对账单', published)).reportLines.slice(1)).toEqual(
      GOLDEN_HIVE,
    );
    expect((await at(END_OF_5_13, '新口径')).items.nodes).toEqual([]);
    const node = await app.ok(
      'query($id: ID!, $a: DateTimeISO) { node(id: $id, asOf: $a) { ... on Item { name note } } }',
      { id: item.id, a: END_OF_5_13 },
    );
    expect(node.node).toEqual({ name: '交易对账单', note: item.note });
    // Between the two renames, and as known then: the first one's name and note.
    expect((await at(renamedAt, '新口径')).items.nodes).toEqual([
      { id: item.id, name: '交易对账单（新口径）', note: '按新口径核对' },
    ]);
    // Live: today's, in the report too.
    const now = await at(null, '新口径');
    expect(now.items.nodes).toEqual([
      { id: item.id, name: '交易对账单（新口径二期）', note: null },
    ]);
    expect(now.reportLines[1]).toContain('完成2个（手续费对账单，交易对账单（新口径二期））');
    await rename('交易对账单', item.note);
  });

  it('rebuilds every counter and figure from the log alone', async () => {
    expect((await verifyReplay(app.em())).differences).toEqual([]);
  });
});
