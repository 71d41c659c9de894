import * as XLSX from '@e965/xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { week20Seed } from '../../seeds/week-20.seed.js';
import { exportSheet } from '../../src/services/export-sheet.js';
import { importSheet } from '../../src/services/import-sheet.js';
import { loadSeed } from '../../src/services/load-seed.js';
import { ALL_INITIATIVES } from '../../src/services/write-scope.js';
import { DIALECTS } from '../helpers/databases.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/*
 * A staged item's status follows its stage: setItemStatus, setItemStatuses and a sheet import
 * that would make them disagree are refused (naming the status field and setItemStage), and
 * nothing is written.
 */

const ITEMS = `{ initiative(key: "payment-channels") { progress { credit counted }
  items(first: 10) { nodes { id name status percent stage version } } } }`;

interface Item {
  id: string;
  name: string;
  status: string;
  percent: number;
  stage: string | null;
  version: number;
}

describe.each(DIALECTS)('status changes of staged items (%s)', (dialect) => {
  let app: TestApp;
  const state = async () => (await app.ok(ITEMS)).initiative;
  const item = async (name: string): Promise<Item> =>
    (await state()).items.nodes.find((i: Item) => i.name === name);

  beforeAll(async () => {
    app = await createTestApp(dialect);
    await loadSeed({ em: app.em(), initiatives: week20Seed });
  }, 120_000);
  afterAll(() => app?.close());

  it('refuses setItemStatus that would disagree with the stage, naming status and setItemStage', async () => {
    const before = await state();
    const channel = await item('银联在线收银台');
    const res = await app.ok(
      `mutation($id: ID!) { setItemStatus(input: { itemId: $id, status: DONE }) {
        item { status } userErrors { code field message } } }`,
      { id: channel.id },
    );
    expect(res.setItemStatus.item).toBeNull();
    expect(res.setItemStatus.userErrors).toEqual([
      {
        code: 'INVALID_INPUT',
        field: ['status'],
        message: expect.stringContaining('setItemStage'),
      },
    ]);
    expect(res.setItemStatus.userErrors[0].message).toContain('当前阶段：上线');
    expect(await state()).toEqual(before);
  });

  it('refuses the whole bulk call when one update is a staged item’s', async () => {
    const before = await state();
    const [a, b] = [await item('银联代收'), await item('网联代收')];
    const res = await app.ok(
      `mutation($a: ID!, $b: ID!) { setItemStatuses(input: { updates: [
        { itemId: $a, status: IN_PROGRESS, percent: 80 },
        { itemId: $b, status: IN_PROGRESS, percent: 50 }] }) { userErrors { field } } }`,
      { a: a.id, b: b.id },
    );
    // 银联代收 at 上线 already counts IN_PROGRESS 80: that update agrees; 网联代收's does not.
    expect(res.setItemStatuses.userErrors).toEqual([{ field: ['updates', '1', 'status'] }]);
    expect(await state()).toEqual(before);
  });

  it('lets through an update that leaves status and percent as the stage has them', async () => {
    const channel = await item('银联在线收银台');
    const res = await app.ok(
      `mutation($id: ID!) { setItemStatus(input: { itemId: $id, status: IN_PROGRESS, percent: 80, note: "复核" }) {
        item { status percent version } userErrors { message } } }`,
      { id: channel.id },
    );
    expect(res.setItemStatus.userErrors).toEqual([]);
    expect(res.setItemStatus.item).toMatchObject({ status: 'IN_PROGRESS', percent: 80 });
  });

  it('moves a staged item through setItemStage, and its status follows', async () => {
    const channel = await item('银联在线收银台');
    const res = await app.ok(
      `mutation($id: ID!) { setItemStage(input: { itemId: $id, stage: "投产" }) { userErrors { message } } }`,
      { id: channel.id },
    );
    expect(res.setItemStage.userErrors).toEqual([]);
    expect(await item('银联在线收银台')).toMatchObject({ stage: '投产', status: 'DONE' });
  });

  it('refuses a sheet import that changes a staged item’s status, writing nothing', async () => {
    const before = await state();
    const bytes = (
      await exportSheet({
        em: app.em(),
        initiativeKey: 'payment-channels',
        format: 'xlsx',
        canRead: () => true,
      })
    ).bytes;
    const wb = XLSX.read(bytes, { type: 'buffer' });
    const sheet = wb.Sheets[wb.SheetNames[0]!]!;
    const rows = XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1, raw: false, defval: '' });
    const statusCol = rows[0]!.findIndex((h) => h.includes('状态'));
    const row = rows.findIndex((r) => r.includes('网联代收'));
    expect(statusCol).toBeGreaterThanOrEqual(0);
    const percentCol = rows[0]!.findIndex((h) => h.includes('进度'));
    rows[row]![statusCol] = '完成';
    rows[row]![percentCol] = '100';
    const edited = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(edited, XLSX.utils.aoa_to_sheet(rows), 's');
    const run = importSheet({
      em: app.em(),
      initiativeKey: 'payment-channels',
      fileName: 'edits.xlsx',
      bytes: XLSX.write(edited, { type: 'buffer', bookType: 'xlsx' }) as Buffer,
      dryRun: false,
      skipErrors: false,
      prune: false,
      by: null,
      scope: ALL_INITIATIVES,
    });
    // Refused on its row and its 状态 cell, by the plan (its preview says the same), as the
    // write would refuse it.
    const result = await run;
    expect(result.applied).toBe(false);
    const errors = result.plan.rows.flatMap((r) => r.errors);
    expect(errors).toMatchObject([{ column: '状态' }]);
    expect(errors[0]!.message).toMatch(/网联代收.*当前阶段：启动.*setItemStage/);
    expect(await state()).toEqual(before);
  });
});
