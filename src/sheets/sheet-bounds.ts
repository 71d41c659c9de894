import { inflateRawSync } from 'node:zlib';
import { csvSeparatorOf } from './csv-quotes.js';
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
 * archive claims are never trusted to be small. Costs one extra inflate of a file already under
 * 10 MB.
 *
 * It walks the archive as SheetJS's reader does (`parse_zip` and `parse_local_file` in its CFB
 * code), or the guard would measure other parts than the reader unpacks: the end record is the
 * last signature in the file, the count is its entries on this disk, and each part's method,
 * sizes and start are its local header's (with a ZIP64 extra field's sizes), inflated from
 * there to the end of its stream. The reader's inflate first allocates the unpacked size the
 * local header claims (a quarter MB when it claims none) and keeps that buffer, so a part costs
 * that or what it inflates to, the larger. An archive two readers could take differently is
 * refused as broken: an end record not ending the file with its comment, or inside another's
 * comment; a disk number; counts that disagree; a part whose method, or sizes when no data
 * descriptor follows, differ between the directory and the local header.
 */
export function assertUnpackedWithin(
  bytes: Uint8Array,
  budget = MAX_UNPACKED_BYTES,
  /** Shown each part the reader will unpack, by its name in the directory, as unpacked. */
  inspect?: (name: string, content: Buffer) => void,
): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = endRecord(buf);
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0) throw broken();
  const entries = buf.readUInt16LE(eocd + 8);
  if (entries !== buf.readUInt16LE(eocd + 10)) throw broken();
  let at = buf.readUInt32LE(eocd + 16);
  let left = budget;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) throw broken();
    const listedMethod = buf.readUInt16LE(at + 10);
    const listedExtra = zip64Sizes(
      buf,
      at + 46 + buf.readUInt16LE(at + 28),
      buf.readUInt16LE(at + 30),
    );
    const listedPacked = listedExtra.packed || buf.readUInt32LE(at + 20);
    const listedSize = listedExtra.size || buf.readUInt32LE(at + 24);
    const local = buf.readUInt32LE(at + 42);
    const name = inspect ? buf.toString('utf8', at + 46, at + 46 + buf.readUInt16LE(at + 28)) : '';
    at += 46 + buf.readUInt16LE(at + 28) + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    if (at > buf.length) throw broken();
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw broken();
    const flags = buf.readUInt16LE(local + 6);
    const method = buf.readUInt16LE(local + 8);
    let packed = buf.readUInt32LE(local + 18);
    let size = buf.readUInt32LE(local + 22);
    const extraLength = buf.readUInt16LE(local + 28);
    const start = local + 30 + buf.readUInt16LE(local + 26) + extraLength;
    if (start > buf.length) throw broken();
    if (extraLength > 0) {
      // As the reader: the local extra field's ZIP64 sizes, then the directory's, when nonzero.
      const own = zip64Sizes(buf, start - extraLength, extraLength);
      packed = listedExtra.packed || own.packed || packed;
      size = listedExtra.size || own.size || size;
    }
    if (method !== listedMethod) throw broken();
    if ((flags & 8) === 0 && (packed !== listedPacked || size !== listedSize)) throw broken();
    let cost: number;
    if (method === 0) {
      cost = Math.min(packed, buf.length - start);
      inspect?.(name, buf.subarray(start, start + cost));
    } else if (method === 8) {
      const allocated = size || FIRST_INFLATE_BUFFER;
      if (allocated > left) throw tooLarge('超过 32 MB');
      try {
        const unpacked = inflateRawSync(buf.subarray(start), {
          maxOutputLength: Math.max(1, left),
        });
        cost = unpacked.length;
        inspect?.(name, unpacked);
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
          throw tooLarge('超过 32 MB');
        throw broken();
      }
      cost = Math.max(cost, allocated);
    } else throw broken();
    left -= cost;
    if (left < 0) throw tooLarge('超过 32 MB');
  }
}

/** The end-of-central-directory record's signature, PK\x05\x06. */
const END_OF_DIRECTORY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
/** What SheetJS's inflate allocates for a part whose local header gives no unpacked size. */
const FIRST_INFLATE_BUFFER = 1 << 18;

/**
 * Where the end record starts: the last signature in the file, as SheetJS takes it, which
 * must end the file with its comment. One that sits in an earlier record's comment, which
 * also ends the file, is refused: a reader searching the other way takes the earlier one.
 */
function endRecord(buf: Buffer): number {
  const at = buf.lastIndexOf(END_OF_DIRECTORY);
  if (at < 0 || at + 22 > buf.length || at + 22 + buf.readUInt16LE(at + 20) !== buf.length)
    throw broken();
  for (
    let earlier = at > 0 ? buf.lastIndexOf(END_OF_DIRECTORY, at - 1) : -1;
    earlier >= 0 && earlier >= buf.length - 22 - 0xffff;
    earlier = earlier > 0 ? buf.lastIndexOf(END_OF_DIRECTORY, earlier - 1) : -1
  )
    if (earlier + 22 <= buf.length && earlier + 22 + buf.readUInt16LE(earlier + 20) === buf.length)
      throw broken();
  return at;
}

/**
 * The sizes a ZIP64 extra field (tag 1) gives, 0 where none: the last such record, its unpacked
 * then packed size, as SheetJS reads them. An extra field whose records do not fit it is refused.
 */
function zip64Sizes(buf: Buffer, from: number, length: number): { size: number; packed: number } {
  const end = from + length;
  if (end > buf.length) throw broken();
  const sizes = { size: 0, packed: 0 };
  let at = from;
  while (at + 4 <= end) {
    const tag = buf.readUInt16LE(at);
    const next = at + 4 + buf.readUInt16LE(at + 2);
    if (next > end) throw broken();
    if (tag === 1) {
      if (next - at < 20) throw broken();
      sizes.size = Number(buf.readBigUInt64LE(at + 4));
      sizes.packed = Number(buf.readBigUInt64LE(at + 12));
    }
    at = next;
  }
  return sizes;
}

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
 * A CSV's cells, at most: the separator the reader will split on (`csvSeparatorOf`: a `sep=`
 * line's, or the one it guesses among `,` tab `;` `|`) and every line end, LF or CR (quoted ones
 * counted too: an upper bound, read before parsing), so a small file of millions of empty cells
 * is refused unparsed.
 */
export function csvCellsAtMost(text: string): number {
  const sep = csvSeparatorOf(text).charCodeAt(0);
  let n = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === sep || c === 10 || c === 13) n++;
  }
  return n;
}
