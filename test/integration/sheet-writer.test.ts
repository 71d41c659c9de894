import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { SheetThread } from '../../src/sheets/sheet-thread.js';
import { writeInThread, writeOffThread } from '../../src/sheets/sheet-writer.js';
import type { Table } from '../../src/sheets/write-sheet.js';

/**
 * A server writes an export on the sheet thread (sheet-writer.ts), the command line on its own:
 * both must give the same file. The tables cross a part (2,000 rows) at a time, so these are
 * longer than a part, and one has no data rows at all.
 */
const items: Table = {
  name: '事项',
  rows: [
    ['编号', '工作流', '事项', '状态', '进度', '备注'],
    ...Array.from({ length: 4_321 }, (_, i) => [
      `#${i}`,
      `迁移/组${i % 17}`,
      i % 5 === 0 ? `=${i}+1` : `事项${i}`,
      ['完成', '处理中', '未启动'][i % 3]!,
      (i * 7) % 101,
      i % 11 === 0 ? `第一行\n第二行,"引号"` : '',
    ]),
  ],
};
const empty: Table = { name: '汇总', rows: [['工作流', '进度%']] };

/** Every sheet of an .xlsx as rows of cell values (the file's bytes hold its write time). */
const cells = (bytes: Buffer) => {
  const wb = XLSX.read(bytes);
  return wb.SheetNames.map((name) => [
    name,
    XLSX.utils.sheet_to_json(wb.Sheets[name]!, { header: 1 }),
  ]);
};

describe('an export written on the sheet thread', () => {
  const thread = new SheetThread();
  const onThread = writeOffThread({ timeoutMs: 60_000 }, thread);

  it('is the .xlsx written here, every table and row', async () => {
    const [there, here] = await Promise.all([
      onThread([items, empty], 'xlsx'),
      writeInThread([items, empty], 'xlsx'),
    ]);
    expect(Buffer.isBuffer(there)).toBe(true);
    const read = cells(there);
    expect(read).toEqual(cells(here));
    expect(read.map(([name, rows]) => [name, (rows as unknown[]).length])).toEqual([
      ['事项', 4_322],
      ['汇总', 1],
    ]);
  });

  it('is the CSV written here, byte for byte, in both encodings', async () => {
    for (const encoding of ['utf-8', 'gb18030'] as const) {
      const there = await onThread([items], 'csv', encoding);
      expect(there.equals(await writeInThread([items], 'csv', encoding))).toBe(true);
    }
  });
});
