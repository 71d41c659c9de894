import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRatioPercent } from '../../src/domain/format-number.js';
import { exportSheet } from '../../src/services/export-sheet.js';
import { importSheet } from '../../src/services/import-sheet.js';
import { DIALECTS } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { generateHistory, WEEK, type GeneratedHistory } from '../helpers/time-history.js';

const LABEL: Record<string, string> = {
  NOT_STARTED: '未启动',
  IN_PROGRESS: '处理中',
  PAUSED: '暂停',
  DONE: '完成',
  DECOMMISSIONABLE: '可下线',
  CANCELLED: '取消',
};
const AT = `query($at: DateTimeISO) { initiative(key: "hist", asOf: $at) {
  progress { credit counted total }
  items(first: 100) { nodes { id name status percent weight workstream { name } } } } }`;

function sheets(bytes: Buffer): string[][][] {
  const wb = XLSX.read(bytes, { type: 'buffer' });
  return wb.SheetNames.map((n) =>
    XLSX.utils.sheet_to_json<string[]>(wb.Sheets[n]!, { header: 1, raw: false, defval: '' }),
  );
}

describe.each(DIALECTS)('export as of a past time (%s)', (dialect) => {
  let app: TestApp;
  let history: GeneratedHistory;
  beforeAll(async () => {
    app = await createTestApp(dialect);
    history = await generateHistory(app, 'hist', 10);
  });
  afterAll(() => app.close());

  /** The export's bytes, live (null) or as of a time as known now. */
  const exportBytes = async (at: number | null, format: 'xlsx' | 'csv') =>
    (
      await exportSheet({
        em: app.em(),
        initiativeKey: 'hist',
        format,
        canRead: () => true,
        at: at === null ? null : { asOf: at, knownAt: Date.now() },
      })
    ).bytes;
  const exported = async (at: number | null) => sheets(await exportBytes(at, 'xlsx'));

  it('writes the items and the summary as they stood, equal to as-of reads', async () => {
    const at = history.start + 4 * WEEK + 12 * 3_600_000;
    const [items, summary] = await exported(at);
    const then = (await app.ok(AT, { at: new Date(at).toISOString() })).initiative;
    const expected = then.items.nodes.map((i: any) => [
      i.id,
      i.workstream.name,
      i.name,
      LABEL[i.status],
      String(i.percent),
      String(i.weight),
    ]);
    // The export lists items in tree order, the API in creation order: compare by ID.
    const byId = (a: unknown[], b: unknown[]) => (String(a[0]) < String(b[0]) ? -1 : 1);
    const rows = items!.slice(1).map((r) => r.slice(0, 6));
    expect(rows.map((r) => [r[0], r[1]!.split('/').at(-1), ...r.slice(2)]).sort(byId)).toEqual(
      expected.sort(byId),
    );
    expect(expected.length).toBeGreaterThan(0);
    const p = then.progress;
    expect(summary![1]!.slice(2, 4)).toEqual([
      formatRatioPercent(Math.round(p.credit * 10_000), Math.round(p.counted * 10_000)) ?? '',
      String(p.total),
    ]);
    // The live export differs: the history moved on after that week.
    const [liveItems, liveSummary] = await exported(null);
    expect(liveItems!.length).toBeGreaterThan(items!.length);
    expect(liveSummary![1]![2]).not.toBe(summary![1]![2]);
  });

  it('a file exported as of a past day, imported again, puts back no status changed since', async () => {
    const at = history.start + 4 * WEEK + 12 * 3_600_000;
    const csv = (when: number | null) => exportBytes(when, 'csv');
    const plan = async (bytes: Buffer) =>
      (
        await importSheet({
          em: app.em(),
          initiativeKey: 'hist',
          fileName: 'then.csv',
          by: null,
          bytes,
          dryRun: true,
          skipErrors: false,
          prune: false,
          scope: () => true,
        })
      ).plan;
    const rowsOf = (bytes: Buffer) =>
      new Map(
        new TextDecoder()
          .decode(bytes)
          .replace(/^\uFEFF/, '')
          .trim()
          .split(/\r?\n/)
          .slice(1)
          .map((line) => [line.split(',')[0]!, line.split(',').slice(3, 6).join(',')]),
      );
    const then = await csv(at);
    const now = rowsOf(await csv(null));
    // The items whose status, percent or weight moved since that day.
    const moved = [...rowsOf(then)].filter(([id, state]) => now.get(id) !== state);
    expect(moved.length).toBeGreaterThan(0);
    const { rows } = await plan(then);
    expect(rows.filter((r) => r.action === 'update')).toEqual([]);
    const refused = rows.filter((r) => r.action === 'error');
    // Changed since: refused on its version; deleted since: not an item of the initiative now.
    expect(refused.map((r) => r.errors[0]!.message)).toEqual(
      moved.map(([id]) =>
        now.has(id)
          ? expect.stringContaining('事项在导出后已被修改')
          : expect.stringContaining('不是本项目的事项'),
      ),
    );
    expect(moved.filter(([id]) => now.has(id)).length).toBeGreaterThan(0);
    expect(refused.length + rows.filter((r) => r.action === 'unchanged').length).toBe(rows.length);
    // Exported live, the same items import as unchanged: the versions are today's there.
    expect((await plan(await csv(null))).rows.every((r) => r.action === 'unchanged')).toBe(true);
  });

  it('before the initiative existed: headers only', async () => {
    const [items] = await exported(history.start - WEEK);
    expect(items).toEqual([
      ['ID', '工作流', '事项', '状态', '进度', '权重', '备注', '版本', '结构版本'],
    ]);
  });
});
