import { inflateRawSync } from 'node:zlib';
import { SheetError } from './sheet-error.js';

/**
 * What an .xlsx may unpack to, all its parts together. A 10 MB file can deflate from gigabytes
 * (a "zip bomb"), and the reader unpacks and parses every part in memory; 20,000 rows of a few
 * columns unpack to a few MB.
 */
export const MAX_UNPACKED_BYTES = 32 * 1024 * 1024;
/** Columns a sheet may span (the import reads six; users add a few of their own). */
export const MAX_SHEET_COLUMNS = 200;
/** Cells one file may hold (20,000 rows of 50 columns). */
export const MAX_SHEET_CELLS = 1_000_000;

const tooLarge = (what: string) =>
  new SheetError('TOO_LARGE', `文件解压后太大（${what}），无法导入：请只保留要导入的表格`);
const broken = () =>
  new SheetError('NOT_A_SPREADSHEET', '无法读取 xlsx 文件（文件损坏或不是电子表格）');

/**
 * Refuses an .xlsx (a ZIP) whose parts unpack to more than `budget` bytes, before the reader
 * sees it: each part is inflated with that many bytes left as its hard limit, so the sizes the
 * archive claims are never trusted. Costs one extra inflate of a file already under 10 MB.
 *
 * It walks the archive as SheetJS's reader does (`parse_zip` in its CFB code), or the guard
 * would measure other parts than the reader unpacks: the end record is the last signature in
 * the file, the count is its entries on this disk, and each part's method and start are its
 * local header's, inflated from there to the end of its stream whatever size is claimed. An
 * archive two readers could take differently (the two counts, or a part's method in the
 * directory and in its local header, disagree) is refused as broken.
 */
export function assertUnpackedWithin(bytes: Uint8Array, budget = MAX_UNPACKED_BYTES): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = buf.lastIndexOf(END_OF_DIRECTORY);
  if (eocd < 0 || eocd + 22 > buf.length) throw broken();
  const entries = buf.readUInt16LE(eocd + 8);
  if (entries !== buf.readUInt16LE(eocd + 10)) throw broken();
  let at = buf.readUInt32LE(eocd + 16);
  let left = budget;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) throw broken();
    const listedMethod = buf.readUInt16LE(at + 10);
    const local = buf.readUInt32LE(at + 42);
    at += 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw broken();
    const method = buf.readUInt16LE(local + 8);
    if (method !== listedMethod) throw broken();
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (method === 0) left -= Math.min(buf.readUInt32LE(local + 18), buf.length - start);
    else if (method === 8) {
      try {
        const data = buf.subarray(Math.min(start, buf.length));
        left -= inflateRawSync(data, { maxOutputLength: Math.max(1, left) }).length;
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw tooLarge('超过 32 MB');
        throw broken();
      }
    } else throw broken();
    if (left < 0) throw tooLarge('超过 32 MB');
  }
}

/** The end-of-central-directory record's signature, PK\x05\x06. */
const END_OF_DIRECTORY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/** Refuses a sheet wider than MAX_SHEET_COLUMNS or holding more than MAX_SHEET_CELLS cells. */
export function assertSheetBounds(columns: number, cells: number): void {
  if (columns > MAX_SHEET_COLUMNS)
    throw new SheetError(
      'TOO_LARGE',
      `列数太多：${columns} 列，最多 ${MAX_SHEET_COLUMNS} 列：请删去不需要的列`,
    );
  if (cells > MAX_SHEET_CELLS) throw tooLarge(`${cells} 个单元格，最多 ${MAX_SHEET_CELLS} 个`);
}

/**
 * A CSV's cells, at most: every character the reader may split on and every line end (quoted
 * ones counted too: an upper bound, read before parsing), so a small file of millions of empty
 * cells is refused unparsed. SheetJS splits on the separator it guesses among `,` tab `;` `|`, or
 * on whatever character a first line `sep=X` names, and ends a row at LF or CR.
 */
export function csvCellsAtMost(text: string): number {
  const named = /^sep=(.)[\r\n]/.exec(text)?.[1]?.charCodeAt(0) ?? -1;
  let n = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44 || c === 9 || c === 59 || c === 124 || c === 10 || c === 13 || c === named) n++;
  }
  return n;
}
