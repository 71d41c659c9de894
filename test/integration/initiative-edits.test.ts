import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCounters } from '../../src/services/verify-counters.js';
import { DIALECTS } from '../helpers/databases.js';
import {
  ARCHIVE_INITIATIVE,
  CREATE_INITIATIVE,
  CREATE_ITEMS,
  CREATE_WORKSTREAM,
  NODE_PROGRESS,
  RESTORE_INITIATIVE,
  UPDATE_INITIATIVE,
} from '../helpers/operations.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const ms = (v: unknown) => new Date(v as string | number | Date).getTime();
const HOUR = 3_600_000;
// The live report (a dated one lists the initiatives as they stood at that date).
const LISTS = `query { initiatives { key } archived: archivedInitiatives { key archived }
  weeklyReport }`;
const BY_KEY = `query($key: String!) { initiative(key: $key) { key name archived archivedAt
  progress { percent credit counted } reportLines } }`;

describe.each(DIALECTS)(
  'updateInitiative, archiveInitiative, restoreInitiative (%s)',
  (dialect) => {
    let app: TestApp;
    let mark = 0;
    let id: string;
    const items = [
      { name: 'a', status: 'IN_PROGRESS', percent: 50 },
      { name: 'b', status: 'CANCELLED' },
      { name: 'c', status: 'DONE' },
      { name: 'd' },
    ];
    const payload = async (query: string, input: Record<string, unknown>) =>
      Object.values(await app.ok(query, { input }))[0] as any;
    const write = async (query: string, input: Record<string, unknown>) => {
      const p = await payload(query, input);
      expect(p.userErrors).toEqual([]);
      return p;
    };
    const newRows = async () => {
      const rows = await app
        .em()
        .execute('select * from change_log where id > ? order by id', [mark]);
      if (rows.length > 0) mark = Number(rows.at(-1)!.id);
      return rows;
    };

    beforeAll(async () => {
      app = await createTestApp(dialect);
      const start = new Date(Date.now() - 12 * HOUR).toISOString();
      id = (
        await write(CREATE_INITIATIVE, {
          key: 'settings',
          name: '设置',
          objective: '【O1】',
          effectiveAt: start,
        })
      ).initiative.id;
      await write(CREATE_INITIATIVE, { key: 'stays', name: '留下' });
      const leaf = (
        await write(CREATE_WORKSTREAM, { initiativeId: id, name: '叶', effectiveAt: start })
      ).workstream.id;
      await write(CREATE_ITEMS, { workstreamId: leaf, items });
      await newRows();
    });
    afterAll(() => app?.close());

    it('logs one event per changed field, with before and after, back-dated where asked', async () => {
      const back = new Date(Date.now() - HOUR).toISOString();
      const p = await write(UPDATE_INITIATIVE, {
        initiativeId: id,
        name: '新设置',
        objective: '【O2】',
        phase: '投产',
        targetDate: '2026-12-31',
        reportLowPercentBucket: 30,
        statusLabels: [{ status: 'CANCELLED', label: '取消迁移' }],
        effectiveAt: back,
      });
      expect(p.initiative).toMatchObject({
        name: '新设置',
        objective: '【O2】',
        phase: '投产',
        targetDate: '2026-12-31',
        reportLowPercentBucket: 30,
      });
      const rows = await newRows();
      expect(rows.map((r) => r.kind)).toEqual([
        'InitiativeRenamed',
        'InitiativeObjectiveSet',
        'InitiativePhaseSet',
        'InitiativeTargetDateSet',
        'InitiativeLabelsChanged',
        'InitiativeLowPercentBucketSet',
      ]);
      for (const r of rows) {
        expect(r.actor).toBe('test');
        expect(ms(r.effective_at)).toBe(ms(back));
        expect(ms(r.recorded_at)).toBeGreaterThan(ms(back));
        expect(r.workstream_id).toBeNull();
      }
      expect(JSON.parse(String(rows[0]!.data))).toEqual({ from: '设置', to: '新设置' });
      expect(JSON.parse(String(rows[4]!.data))).toEqual({
        from: null,
        to: { 'zh-CN': { CANCELLED: '取消迁移' } },
      });
      expect(JSON.parse(String(rows[5]!.data))).toEqual({ from: null, to: 30 });
      // The same values again change nothing.
      await write(UPDATE_INITIATIVE, {
        initiativeId: id,
        name: '新设置',
        reportLowPercentBucket: 30,
      });
      expect(await newRows()).toEqual([]);
    });

    it('re-figures the whole tree on a policy change, and back on null', async () => {
      const node = async () => (await app.ok(NODE_PROGRESS, { id })).node.progress;
      // Default policy: a 50% in progress, b cancelled (full), c done, d not started (zero).
      expect(await node()).toMatchObject({ credit: 2.5, counted: 4 });
      await write(UPDATE_INITIATIVE, {
        initiativeId: id,
        rollupPolicy: [
          { status: 'CANCELLED', credit: 'EXCLUDED' },
          { status: 'IN_PROGRESS', credit: 'ZERO' },
        ],
      });
      const [row] = await newRows();
      expect(row).toMatchObject({ kind: 'InitiativePolicyChanged' });
      const data = JSON.parse(String(row!.data));
      expect(data.from).toBeNull();
      expect(data.to).toMatchObject({ CANCELLED: 'EXCLUDED', IN_PROGRESS: 'ZERO', DONE: 'FULL' });
      expect(await node()).toMatchObject({ credit: 1, counted: 3 });
      expect((await verifyCounters(app.em())).differences).toEqual([]);
      await write(UPDATE_INITIATIVE, { initiativeId: id, rollupPolicy: null });
      expect((await newRows()).map((r) => r.kind)).toEqual(['InitiativePolicyChanged']);
      expect(await node()).toMatchObject({ credit: 2.5, counted: 4 });
    });

    it('answers userErrors with field paths and writes nothing', async () => {
      const cases: [Record<string, unknown>, string, string][] = [
        [{ name: '' }, 'INVALID_INPUT', 'name'],
        [{ targetDate: '2026-02-30' }, 'INVALID_INPUT', 'targetDate'],
        [{ reportLowPercentBucket: 0 }, 'INVALID_PERCENT', 'reportLowPercentBucket'],
        [{ reportLowPercentBucket: 101 }, 'INVALID_PERCENT', 'reportLowPercentBucket'],
        [{ statusLabels: [{ status: 'DONE', label: 'x\ny' }] }, 'INVALID_INPUT', 'statusLabels'],
        // Another status's label: an export would read back as that status.
        [
          { statusLabels: [{ status: 'CANCELLED', label: '暂停' }] },
          'INVALID_INPUT',
          'statusLabels',
        ],
        [{ objective: 'x'.repeat(201) }, 'INVALID_INPUT', 'objective'],
        [{ effectiveAt: '2000-01-01T00:00:00Z', phase: 'p' }, 'INVALID_INPUT', 'effectiveAt'],
        // A list that says two things of one status is refused, not read last-wins.
        [
          {
            rollupPolicy: [
              { status: 'DONE', credit: 'EXCLUDED' },
              { status: 'DONE', credit: 'ZERO' },
            ],
          },
          'INVALID_INPUT',
          'rollupPolicy',
        ],
        [
          {
            statusLabels: [
              { status: 'DONE', label: '完' },
              { status: 'DONE', label: '完成了' },
            ],
          },
          'INVALID_INPUT',
          'statusLabels',
        ],
      ];
      for (const [input, code, field] of cases) {
        const p = await payload(UPDATE_INITIATIVE, { initiativeId: id, ...input });
        expect(p.initiative, JSON.stringify(input)).toBeNull();
        expect(p.userErrors, JSON.stringify(input)).toMatchObject([{ code, field: [field] }]);
      }
      const missing = await payload(UPDATE_INITIATIVE, {
        initiativeId: 'SW5pdGlhdGl2ZTo5OTk',
        name: 'x',
      });
      expect(missing.userErrors).toMatchObject([{ code: 'NOT_FOUND', field: ['initiativeId'] }]);
      expect(await newRows()).toEqual([]);
    });

    it('archives: out of initiatives and the weekly report, readable by key, logged', async () => {
      const before = await app.ok(LISTS);
      expect(before.initiatives.map((i: any) => i.key)).toEqual(['settings', 'stays']);
      expect(before.weeklyReport).toContain('新设置');
      const readable = await app.ok(BY_KEY, { key: 'settings' });
      const t0 = Date.now();
      const p = await write(ARCHIVE_INITIATIVE, { initiativeId: id });
      expect(p.initiative).toMatchObject({ key: 'settings', archived: true });
      expect(ms(p.initiative.archivedAt)).toBeGreaterThanOrEqual(t0 - 1000);
      const [row, ...rest] = await newRows();
      expect(rest).toEqual([]);
      expect(row).toMatchObject({ kind: 'InitiativeArchived', actor: 'test' });
      const after = await app.ok(LISTS);
      expect(after.initiatives.map((i: any) => i.key)).toEqual(['stays']);
      expect(after.archived).toEqual([{ key: 'settings', archived: true }]);
      expect(after.weeklyReport).not.toContain('新设置');
      expect(after.weeklyReport).toContain('留下');
      const archived = await app.ok(BY_KEY, { key: 'settings' });
      expect(archived.initiative).toMatchObject({
        ...readable.initiative,
        archived: true,
        archivedAt: p.initiative.archivedAt,
      });
      expect(ms(archived.initiative.archivedAt)).toBe(ms(p.initiative.archivedAt));
      // Archiving again changes nothing.
      await write(ARCHIVE_INITIATIVE, { initiativeId: id });
      expect(await newRows()).toEqual([]);
    });

    it('restores: back in lists and reports, logged', async () => {
      const p = await write(RESTORE_INITIATIVE, { initiativeId: id });
      expect(p.initiative).toMatchObject({ archived: false, archivedAt: null });
      expect((await newRows()).map((r) => r.kind)).toEqual(['InitiativeRestored']);
      const lists = await app.ok(LISTS);
      expect(lists.initiatives.map((i: any) => i.key)).toEqual(['settings', 'stays']);
      expect(lists.archived).toEqual([]);
      expect(lists.weeklyReport).toContain('新设置');
      const missing = await payload(RESTORE_INITIATIVE, { initiativeId: 'SW5pdGlhdGl2ZTo5OTk' });
      expect(missing.userErrors).toMatchObject([{ code: 'NOT_FOUND', field: ['initiativeId'] }]);
      expect((await verifyCounters(app.em())).differences).toEqual([]);
    });
  },
);
