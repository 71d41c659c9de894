import * as XLSX from '@e965/xlsx';
import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  MAX_SHEET_CELLS,
  MAX_SHEET_COLUMNS,
  MAX_UNPACKED_BYTES,
} from '../../src/sheets/sheet-bounds.js';
import { MAX_SHEET_BYTES } from '../../src/sheets/sheet-error.js';
import { readSheet } from '../../src/sheets/read-sheet.js';

/**
 * One deflated part of a ZIP at `offset`: its local header, name and data, and its entry in
 * the central directory, which claims `claimed` bytes unpacked.
 */
function deflatedPart(name: string, raw: Buffer, offset: number, claimed = raw.length) {
  const data = deflateRawSync(raw, { level: 9 });
  const nameBytes = Buffer.from(name);
  const head = Buffer.alloc(30);
  head.writeUInt32LE(0x04034b50, 0);
  head.writeUInt16LE(20, 4);
  head.writeUInt16LE(8, 8);
  head.writeUInt32LE(crc32(raw), 14);
  head.writeUInt32LE(data.length, 18);
  head.writeUInt32LE(raw.length, 22);
  head.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(raw), 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(claimed, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(offset, 42);
  return {
    local: Buffer.concat([head, nameBytes, data]),
    central: Buffer.concat([central, nameBytes]),
  };
}

/** The end of the central directory: `entries` entries, `size` bytes of them at `start`. */
function endRecord(entries: number, size: number, start: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries, 8);
  end.writeUInt16LE(entries, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(start, 16);
  return end;
}

/** A ZIP of deflated entries, as an .xlsx is. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    // The size it claims unpacked: small, as a hostile file would say.
    const part = deflatedPart(name, Buffer.from(text), offset, 1_000);
    locals.push(part.local);
    centrals.push(part.central);
    offset += part.local.length;
  }
  const cd = Buffer.concat(centrals);
  return Buffer.concat([...locals, cd, endRecord(centrals.length, cd.length, offset)]);
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
  const part = deflatedPart('xl/media/part.bin', Buffer.alloc(size), cdStart);
  const directory = Buffer.concat([book.subarray(cdStart, end), part.central]);
  const newStart = cdStart + part.local.length;
  const file = Buffer.concat([
    book.subarray(0, cdStart),
    part.local,
    directory,
    endRecord(count + 1, directory.length, newStart),
  ]);
  tamper(file, {
    central: newStart + directory.length - part.central.length,
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
    ['a separator a sep= line names', `sep=#\n工作流#事项\n${'#'.repeat(MAX_SHEET_CELLS)}\n`],
    ['rows ended by CR', `工作流,事项${'\r'.repeat(MAX_SHEET_CELLS)}`],
  ])('refuses a CSV of more cells than the limit before parsing it (%s)', (_, csv) => {
    expect(csv.length).toBeLessThan(MAX_SHEET_BYTES);
    expect(() => readSheet(new TextEncoder().encode(csv), 'many.csv')).toThrow(
      expect.objectContaining({ code: 'TOO_LARGE' }),
    );
  });
});
