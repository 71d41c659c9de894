import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import {
  assertUnpackedWithin,
  csvCellsAtMost,
  MAX_SHEET_CELLS,
  MAX_SHEET_COLUMNS,
  MAX_UNPACKED_BYTES,
} from '../../src/sheets/sheet-bounds.js';
import { MAX_SHEET_BYTES } from '../../src/sheets/sheet-error.js';
import { readSheet } from '../../src/sheets/read-sheet.js';
import {
  writeZip,
  xlsxParts,
  zip64Extra,
  type ZipOptions,
  type ZipPart,
} from '../helpers/zip-writer.js';

/** A ZIP of deflated entries, as an .xlsx is, each claiming 1,000 bytes unpacked in both
 * headers: small, as a hostile file would say. */
const zip = (entries: Record<string, string>): Buffer =>
  writeZip(
    Object.entries(entries).map(([name, content]) => ({
      name,
      content,
      local: { size: 1_000 },
      central: { size: 1_000 },
    })),
  );

/**
 * A readable .xlsx with one more part of `size` zero bytes (a part the reader unpacks though no
 * sheet uses it), deflated, and what `lie` makes that part's headers or the end record say.
 */
const withHiddenPart = (
  size: number,
  lie: { part?: Partial<ZipPart>; options?: ZipOptions } = {},
): Buffer =>
  writeZip(
    [
      ...xlsxParts([
        ['工作流', '事项'],
        ['叶', '一'],
      ]),
      { name: 'xl/media/part.bin', content: Buffer.alloc(size), ...lie.part },
    ],
    lie.options,
  );

const xlsx = (rows: unknown[][]) => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), 's');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
};

describe('spreadsheets that unpack or spread past the bounds are refused before they cost', () => {
  it('refuses a small .xlsx that inflates past the unpacked limit, whatever sizes it claims', () => {
    const row = '<c t="s"><v>0</v></c>'.repeat(1_000);
    const rows = `<row>${row}</row>`.repeat(Math.ceil(MAX_UNPACKED_BYTES / row.length) + 10);
    const bomb = zip({
      '[Content_Types].xml': '<Types/>',
      'xl/worksheets/sheet1.xml': `<worksheet><sheetData>${rows}</sheetData></worksheet>`,
    });
    expect(bomb.length).toBeLessThan(MAX_SHEET_BYTES);
    const started = performance.now();
    expect(() => readSheet(bomb, 'bomb.xlsx')).toThrow(
      expect.objectContaining({
        code: 'TOO_LARGE',
        message: expect.stringContaining('解压后太大'),
      }),
    );
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('reads a workbook with a part that unpacks within the limit', () => {
    expect(readSheet(withHiddenPart(1_000_000), 'ok.xlsx').rows).toHaveLength(1);
  });

  it.each([
    [
      'the end record counts fewer entries in all than on its disk, which the reader takes',
      // The workbook's five parts, without the hidden one.
      { options: { total: 5 } },
    ],
    [
      'the directory says stored where the local header, which the reader takes, says deflated',
      { part: { central: { method: 0 } } },
    ],
  ] as const)('refuses a part past the limit the guard would not see: %s', (_, lie) => {
    const file = withHiddenPart(MAX_UNPACKED_BYTES + 1_000_000, lie);
    expect(file.length).toBeLessThan(MAX_SHEET_BYTES);
    expect(() => readSheet(file, 'tampered.xlsx')).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/^(NOT_A_SPREADSHEET|TOO_LARGE)$/) }),
    );
  });

  it('refuses a part past the limit in a whole, well-formed archive', () => {
    expect(() => readSheet(withHiddenPart(MAX_UNPACKED_BYTES + 1_000_000), 'b.xlsx')).toThrow(
      expect.objectContaining({ code: 'TOO_LARGE' }),
    );
  });

  it('refuses a sheet wider than the column limit', () => {
    const header = [
      '工作流',
      '事项',
      ...Array.from({ length: MAX_SHEET_COLUMNS }, (_, i) => `x${i}`),
    ];
    expect(() => readSheet(xlsx([header, ['叶', '一']]), 'wide.xlsx')).toThrow(
      expect.objectContaining({ code: 'TOO_LARGE', message: expect.stringContaining('列数太多') }),
    );
    // At the limit it reads.
    const fits = header.slice(0, MAX_SHEET_COLUMNS);
    expect(readSheet(xlsx([fits, ['叶', '一']]), 'ok.xlsx').rows).toHaveLength(1);
  });

  it.each([
    ['commas', `工作流,事项\n${','.repeat(MAX_SHEET_CELLS)}\n`],
    // Every separator the reader may pick, and rows ended by CR alone.
    ['bars', `工作流|事项\n${'|'.repeat(MAX_SHEET_CELLS)}\n`],
    ['semicolons', `工作流;事项\n${';'.repeat(MAX_SHEET_CELLS)}\n`],
    ['tabs', `工作流\t事项\n${'\t'.repeat(MAX_SHEET_CELLS)}\n`],
    ['a separator a sep= line names', `sep=#\n工作流#事项\n${'#'.repeat(MAX_SHEET_CELLS)}\n`],
    ['rows ended by CR', `工作流,事项${'\r'.repeat(MAX_SHEET_CELLS)}`],
    // A line separator is a line end to a regular expression's `.`, not to the reader.
    [
      'a line separator a sep= line names',
      `sep=\u2028\n工作流\u2028事项\n${'\u2028'.repeat(MAX_SHEET_CELLS)}\n`,
    ],
  ])('refuses a CSV of more cells than the limit before parsing it (%s)', (_, csv) => {
    expect(new TextEncoder().encode(csv).length).toBeLessThan(MAX_SHEET_BYTES);
    // Counted, not refused later for its width at the cost of parsing every cell.
    expect(csvCellsAtMost(csv)).toBeGreaterThan(MAX_SHEET_CELLS);
    expect(() => readSheet(new TextEncoder().encode(csv), 'many.csv')).toThrow(
      expect.objectContaining({ code: 'TOO_LARGE' }),
    );
  });
});

describe('an .xlsx the guard and the reader could unpack differently is refused', () => {
  const rows = [
    ['工作流', '事项'],
    ['叶', '一'],
  ];
  const parts = xlsxParts(rows);
  const GIB = 1 << 30;
  const END = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
  /** The parts with the sheet's headers changed. */
  const sheetSays = (change: Pick<ZipPart, 'local' | 'central' | 'descriptor'>) =>
    parts.map((p) => (p.name === 'xl/worksheets/sheet1.xml' ? { ...p, ...change } : p));
  const broken = expect.objectContaining({ code: 'NOT_A_SPREADSHEET' });
  const tooLarge = expect.objectContaining({
    code: 'TOO_LARGE',
    message: expect.stringContaining('解压后太大'),
  });

  it.each([
    ['a plain archive', writeZip(parts)],
    [
      'parts followed by data descriptors',
      writeZip(parts.map((p) => ({ ...p, descriptor: true }))),
    ],
    [
      'ZIP64 sizes in local extra fields that agree with the directory',
      writeZip(
        parts.map((p) => {
          const size = Buffer.byteLength(p.content);
          return { ...p, method: 0, local: { extra: zip64Extra(size, size) } };
        }),
      ),
    ],
    ['an archive comment', writeZip(parts, { comment: Buffer.from('导出') })],
  ])('reads an ordinary workbook: %s', (_, file) => {
    expect(() => assertUnpackedWithin(file)).not.toThrow();
    expect(readSheet(file, 'ok.xlsx').rows).toHaveLength(1);
  });

  // Each is checked by the guard alone: the reader would first allocate what the file claims.
  it.each([
    ['a disk number', () => writeZip(parts, { disks: [1, 0] }), broken],
    ["the directory's disk number", () => writeZip(parts, { disks: [0, 1] }), broken],
    ['entry counts that disagree', () => writeZip(parts, { total: parts.length + 1 }), broken],
    ['methods that disagree', () => writeZip(sheetSays({ local: { method: 0 } })), broken],
    [
      'an unpacked size in the local header the directory does not give',
      () => writeZip(sheetSays({ local: { size: GIB } })),
      broken,
    ],
    [
      'a packed size in the local header the directory does not give',
      () => writeZip(sheetSays({ local: { packed: 1_000 } })),
      broken,
    ],
    [
      'an unpacked size both headers claim, which the reader allocates before inflating',
      () => writeZip(sheetSays({ local: { size: GIB }, central: { size: GIB } })),
      tooLarge,
    ],
    [
      'a ZIP64 size in the directory, which the reader takes over the local header',
      () =>
        writeZip(
          sheetSays({
            local: { extra: Buffer.from([0xff, 0xff, 0, 0]) },
            central: { extra: zip64Extra(GIB, 0) },
          }),
        ),
      tooLarge,
    ],
    [
      'an extra field whose record runs past it',
      () => writeZip(sheetSays({ central: { extra: zip64Extra(GIB, 0).subarray(0, 12) } })),
      broken,
    ],
    [
      // The reader gives a part without a size a quarter-MB buffer, and keeps it.
      '200 small parts that give no unpacked size',
      () =>
        writeZip([
          ...parts,
          ...Array.from({ length: 200 }, (_, i) => ({
            name: `xl/media/p${i}.bin`,
            content: 'x',
            descriptor: true,
          })),
        ]),
      tooLarge,
    ],
    [
      'bytes after the end record',
      () => writeZip(parts, { trailing: Buffer.from('0123456789') }),
      broken,
    ],
    [
      'an end-record comment longer than the file',
      () => writeZip(parts, { commentLength: 10 }),
      broken,
    ],
    ['an end-record signature in the last bytes', () => writeZip(parts, { trailing: END }), broken],
    [
      "an end record inside another's comment, both ending the file",
      () => {
        const inner = writeZip([]);
        return writeZip(parts, { comment: inner });
      },
      broken,
    ],
  ])('refuses %s', (_, build, refusal) => {
    const file = build();
    expect(file.length).toBeLessThan(100_000);
    expect(() => assertUnpackedWithin(file)).toThrow(refusal);
  });

  it('refuses a .csv whose text opens as a ZIP, which the reader would unpack unguarded', () => {
    const text = new TextEncoder().encode('PK\x05\x06工作流,事项\n叶,一\n');
    expect(() => readSheet(text, 'a.csv')).toThrow('文件是 ZIP，不是 CSV');
  });
});
