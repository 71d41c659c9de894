import * as XLSX from '@e965/xlsx';
import { cellText, shownText } from './cell-text.js';
import { holdsUncachedFormula, mayBeWorksheet } from './uncached-formulas.js';
import { fieldOfHeader, REQUIRED_FIELDS, EXPORT_HEADERS, type Field } from './columns.js';
import { csvCellText } from './csv-formulas.js';
import { structureVersionsOf } from './structure-version.js';
import { assertCsvQuotes } from './csv-quotes.js';
import { decodeCsvText, type TextEncodingName } from './decode-text.js';
import { assertSheetBounds, assertUnpackedWithin, csvCellsAtMost } from './sheet-bounds.js';
import { MAX_SHEET_BYTES, MAX_SHEET_ROWS, SheetError } from './sheet-error.js';

/** One data row: its 1-based row number in the file (the header is row 1) and its cells. */
export interface SheetRow {
  readonly row: number;
  readonly cells: ReadonlyMap<Field, string>;
  /**
   * What a cell showed in the spreadsheet, where its format rounds the value read: a 0.333
   * formatted 0% reads as 33.3 and shows 33%. Errors about the cell say both.
   */
  readonly shown?: ReadonlyMap<Field, string>;
}

export interface ReadSheet {
  readonly format: 'xlsx' | 'csv';
  readonly encoding: TextEncodingName | null;
  /** The header text of each field, for error messages in the user's own words. */
  readonly headers: ReadonlyMap<Field, string>;
  /**
   * Headers that name no column the import reads (a team's own 负责人, or a renamed 进度 such as
   * 完成度): ignored, and said, so a renamed column is not lost without a word.
   */
  readonly ignored: readonly string[];
  readonly rows: readonly SheetRow[];
}

/** What an import is told of the file once it is read. */
export interface SheetInfo extends Pick<ReadSheet, 'format' | 'encoding' | 'ignored'> {
  /** The older structures its paths must be read in (structure-version.ts). */
  readonly structureVersions: readonly number[];
}

/** The SheetInfo of a read file (the planner's answer to `read`, in or out of the thread). */
export const sheetInfo = (sheet: ReadSheet): SheetInfo => ({
  format: sheet.format,
  encoding: sheet.encoding,
  ignored: sheet.ignored,
  structureVersions: structureVersionsOf(sheet),
});

const ZIP = [0x50, 0x4b, 0x03, 0x04];

/** Which reader a file needs: by its first bytes (a .xlsx is a ZIP), else by its name. */
function formatOf(bytes: Uint8Array, fileName: string): 'xlsx' | 'csv' {
  const isZip = ZIP.every((b, i) => bytes[i] === b);
  const lower = fileName.toLowerCase();
  if (isZip) return 'xlsx';
  if (lower.endsWith('.xlsx') || lower.endsWith('.xls'))
    throw new SheetError('NOT_A_SPREADSHEET', `${fileName} 不是有效的 xlsx 文件`);
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  throw new SheetError('UNSUPPORTED', '只支持 .xlsx、.csv 和 .txt（按 CSV 读）文件');
}

/**
 * Rows SheetJS reads (it stops there, which bounds the work): the limit's data rows, the header,
 * up to a hundred blank rows above it, and one more, whose value says there are too many.
 */
const ROWS_READ = MAX_SHEET_ROWS + 102;

const OTHER_TEXT_FORMATS: readonly (readonly [string, RegExp])[] = [
  ['HTML/XML', /^[\s\ufeff]*</],
  ['RTF', /^\ufeff?\{\\rt/],
  ['DIF', /^\ufeff?TABLE/],
  // A real SYLK file's first record is ID;P…; a CSV whose first header is ID (an export saved
  // by a ;-separated Excel) is not one.
  ['SYLK', /^\ufeff?ID;P/],
  // SheetJS reads any text that opens so as a ZIP, past the unpack guard (sheet-bounds.ts).
  ['ZIP', /^PK[\x00-\x08]{2}/],
];

function parseWorkbook(
  bytes: Uint8Array,
  format: 'xlsx' | 'csv',
): { wb: XLSX.WorkBook; encoding: TextEncodingName | null } {
  // sheetRows bounds the work (ROWS_READ): a row past the limit is enough to refuse the file.
  const common = { sheetRows: ROWS_READ, cellFormula: true, cellNF: true } as const;
  if (format === 'csv') {
    const { text, encoding } = decodeCsvText(bytes);
    if (text.trim() === '') throw new SheetError('EMPTY', '文件是空的');
    assertSheetBounds(0, csvCellsAtMost(text));
    // SheetJS picks a reader by the text's first bytes: an HTML page (a proxy's error page
    // saved as .csv), RTF, DIF or SYLK would be read as a table of something else, or fail
    // inside it. A CSV never starts so; refuse it by name.
    const other = OTHER_TEXT_FORMATS.find(([, opening]) => opening.test(text));
    if (other)
      throw new SheetError(
        'NOT_A_SPREADSHEET',
        `文件是 ${other[0]}，不是 CSV：请从表格软件另存为 CSV`,
      );
    assertCsvQuotes(text);
    try {
      return { wb: XLSX.read(text, { ...common, type: 'string', raw: true }), encoding };
    } catch {
      throw new SheetError('NOT_A_SPREADSHEET', '无法按 CSV 读取这个文件');
    }
  }
  let uncached = false;
  assertUnpackedWithin(bytes, undefined, (name, content) => {
    uncached ||= mayBeWorksheet(name) && holdsUncachedFormula(content);
  });
  try {
    // Without stubs, a formula without a cached value (as openpyxl writes one) is dropped and
    // reads as an empty cell, which keeps the item's value. With stubs it is kept, with its
    // formula, and refused as any formula is; but every styled empty cell becomes an object
    // too (1.2 million of them, from a 2.4 MB file: 240 MB and 5.8 s against 10 MB and 2.1 s).
    // So stubs only where a worksheet holds such a formula.
    const options = { ...common, type: 'array', cellDates: false, sheetStubs: uncached } as const;
    return { wb: XLSX.read(bytes, options), encoding: null };
  } catch {
    throw new SheetError('NOT_A_SPREADSHEET', '无法读取 xlsx 文件（文件损坏或不是电子表格）');
  }
}

/** The smallest range holding every cell with a value (null: none does). */
function usedRange(ws: XLSX.WorkSheet): XLSX.Range | null {
  let range: XLSX.Range | null = null;
  for (const key of Object.keys(ws)) {
    if (key.startsWith('!')) continue;
    const v = (ws[key] as XLSX.CellObject).v;
    if (v === undefined || v === null || v === '') continue;
    const { r, c } = XLSX.utils.decode_cell(key);
    if (!range) range = { s: { r, c }, e: { r, c } };
    else {
      range.s.r = Math.min(range.s.r, r);
      range.s.c = Math.min(range.s.c, c);
      range.e.r = Math.max(range.e.r, r);
      range.e.c = Math.max(range.e.c, c);
    }
  }
  return range;
}

/**
 * Reads the first sheet of an .xlsx or .csv file into rows keyed by field. Refuses by size
 * before parsing, and refuses formulas, error cells, merged cells and files past the row limit:
 * each would import something other than what the user sees.
 */
export function readSheet(bytes: Uint8Array, fileName: string): ReadSheet {
  if (bytes.length === 0) throw new SheetError('EMPTY', '文件是空的');
  if (bytes.length > MAX_SHEET_BYTES)
    throw new SheetError(
      'TOO_LARGE',
      `文件太大：${(bytes.length / 1048576).toFixed(1)} MB，上限 ${MAX_SHEET_BYTES / 1048576} MB`,
    );
  const format = formatOf(bytes, fileName);
  const { wb, encoding } = parseWorkbook(bytes, format);
  // The first sheet a person sees: a hidden one (an old copy kept out of sight) is never read.
  const visible = wb.SheetNames.filter((_, i) => !wb.Workbook?.Sheets?.[i]?.Hidden);
  const sheetName = visible[0];
  const ws = sheetName === undefined ? undefined : wb.Sheets[sheetName];
  if (!ws || !ws['!ref']) throw new SheetError('EMPTY', '文件是空的');
  // Where a workbook has several sheets, a complaint about its content names the one read.
  const date1904 = wb.Workbook?.WBProps?.date1904 === true;
  const onSheet = wb.SheetNames.length > 1 ? `（读的是工作表“${sheetName}”）` : '';
  const merged = ws['!merges'] ?? [];
  if (merged.length > 0)
    throw new SheetError(
      'UNSUPPORTED',
      `表格含合并单元格（${XLSX.utils.encode_range(merged[0]!)}）：请取消合并并填满每一格`,
    );
  // The cells that hold something, not the sheet's dimension: a border or a fill drawn down to
  // row 25,000 or over to column ZZ makes no row and no column a person sees.
  const range = usedRange(ws);
  if (!range) throw new SheetError('EMPTY', '文件是空的');
  // Rows past ROWS_READ are never read: a value in the last row read may have more below it.
  if (range.e.r - range.s.r > MAX_SHEET_ROWS || range.e.r >= ROWS_READ - 1)
    throw new SheetError(
      'TOO_MANY_ROWS',
      `行数太多：超过 ${MAX_SHEET_ROWS} 行数据，一次最多导入 ${MAX_SHEET_ROWS} 行`,
    );
  // Stub cells (t 'z': empty cells kept for their style, and formulas without a cached value)
  // are not counted: the limit counts the cells a reader without stubs gets.
  assertSheetBounds(
    range.e.c - range.s.c + 1,
    Object.keys(ws).filter((k) => !k.startsWith('!') && (ws[k] as XLSX.CellObject).t !== 'z')
      .length,
  );
  const columns = new Map<Field, number>();
  const headers = new Map<Field, string>();
  const ignored: string[] = [];
  for (let c = range.s.c; c <= range.e.c; c++) {
    const at = XLSX.utils.encode_cell({ r: range.s.r, c });
    const text = cellText(ws[at] as XLSX.CellObject | undefined, `表头 ${at}`).trim();
    const field = text === '' ? undefined : fieldOfHeader(text);
    if (!field) {
      // Unknown columns are ignored, as Excel users add their own; the preview names them.
      if (text !== '') ignored.push(text);
      continue;
    }
    if (columns.has(field))
      throw new SheetError('BAD_HEADERS', `表头重复：“${headers.get(field)}”和“${text}”是同一列`);
    columns.set(field, c);
    headers.set(field, text);
  }
  const missing = REQUIRED_FIELDS.filter((f) => !columns.has(f));
  if (missing.length > 0)
    throw new SheetError(
      'BAD_HEADERS',
      `缺少列：${missing.map((f) => EXPORT_HEADERS[f]).join('、')}（第一个非空行须是表头，这里是第 ${range.s.r + 1} 行）${onSheet}`,
    );
  const rows: SheetRow[] = [];
  for (let r = range.s.r + 1; r <= range.e.r; r++) {
    const cells = new Map<Field, string>();
    let shown: Map<Field, string> | undefined;
    for (const [field, c] of columns) {
      const at = XLSX.utils.encode_cell({ r, c });
      const raw = cellText(
        ws[at] as XLSX.CellObject | undefined,
        `第 ${r + 1} 行“${headers.get(field)}”列`,
        date1904,
      );
      const text = format === 'csv' ? csvCellText(raw) : raw;
      if (text.trim() !== '') cells.set(field, text);
      const seen = shownText(ws[at] as XLSX.CellObject | undefined, raw);
      if (seen !== null) (shown ??= new Map()).set(field, seen);
    }
    if (cells.size > 0) rows.push(shown ? { row: r + 1, cells, shown } : { row: r + 1, cells });
  }
  // Headers alone (the export of an initiative without items, or of a day before it existed)
  // read as no rows: importing it back changes nothing, as for any export.
  return { format, encoding, headers, ignored, rows };
}
