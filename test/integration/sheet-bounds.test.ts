import * as XLSX from '@e965/xlsx';
import { crc32, deflateRawSync } from 'node:zlib';
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
import { writeZip, xlsxParts, zip64Extra, type ZipPart } from '../helpers/zip-writer.js';

/** A ZIP of deflated entries, as an .xlsx is. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const raw = Buffer.from(text);
    const data = deflateRawSync(raw, { level: 9 });
    const nameBytes = Buffer.from(name);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(8, 8);
    head.writeUInt32LE(crc32(raw), 14);
    head.writeUInt32LE(data.length, 18);
    // The size it claims unpacked, in both headers: small, as a hostile file would say.
    head.writeUInt32LE(1_000, 22);
    head.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(raw), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(1_000, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(head, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += head.length + nameBytes.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/**
 * A readable .xlsx with one more part, deflated from `size` zero bytes (a part the reader
 * unpacks though no sheet uses it), and its archive's fields then changed by `tamper`.
 */
function withHiddenPart(
  size: number,
  tamper: (file: Buffer, at: { central: number; end: number }) => void,
): Buffer {
  const book = xlsx([
    ['工作流', '事项'],
    ['叶', '一'],
  ]);
  const end = book.length - 22;
  expect(book.readUInt32LE(end)).toBe(0x06054b50);
  const count = book.readUInt16LE(end + 8);
  const cdStart = book.readUInt32LE(end + 16);
  const name = Buffer.from('xl/media/part.bin');
  const raw = Buffer.alloc(size);
  const data = deflateRawSync(raw, { level: 9 });
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(raw), 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(raw.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(raw), 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(raw.length, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(cdStart, 42);
  const directory = Buffer.concat([book.subarray(cdStart, end), central, name]);
  const record = Buffer.from(book.subarray(end));
  const newStart = cdStart + local.length + name.length + data.length;
  record.writeUInt16LE(count + 1, 8);
  record.writeUInt16LE(count + 1, 10);
  record.writeUInt32LE(directory.length, 12);
  record.writeUInt32LE(newStart, 16);
  const file = Buffer.concat([book.subarray(0, cdStart), local, name, data, directory, record]);
  tamper(file, {
    central: newStart + directory.length - central.length - name.length,
    end: file.length - 22,
  });
  return file;
}

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
    expect(
      readSheet(
        withHiddenPart(1_000_000, () => {}),
        'ok.xlsx',
      ).rows,
    ).toHaveLength(1);
  });

  it.each([
    [
      'the end record counts fewer entries in all than on its disk, which the reader takes',
      (file: Buffer, at: { end: number }) =>
        file.writeUInt16LE(file.readUInt16LE(at.end + 10) - 1, at.end + 10),
    ],
    [
      'the directory says stored where the local header, which the reader takes, says deflated',
      (file: Buffer, at: { central: number }) => file.writeUInt16LE(0, at.central + 10),
    ],
  ])('refuses a part past the limit the guard would not see: %s', (_, tamper) => {
    const file = withHiddenPart(MAX_UNPACKED_BYTES + 1_000_000, tamper);
    expect(file.length).toBeLessThan(MAX_SHEET_BYTES);
    expect(() => readSheet(file, 'tampered.xlsx')).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/^(NOT_A_SPREADSHEET|TOO_LARGE)$/) }),
    );
  });

  it('refuses a part past the limit in a whole, well-formed archive', () => {
    expect(() =>
      readSheet(
        withHiddenPart(MAX_UNPACKED_BYTES + 1_000_000, () => {}),
        'b.xlsx',
      ),
    ).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }));
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
