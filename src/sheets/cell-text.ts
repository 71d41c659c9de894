import * as XLSX from '@e965/xlsx';
import { dateCellText } from './date-cells.js';
import { SheetError } from './sheet-error.js';

/**
 * A cell as text; a date-formatted number becomes YYYY-MM-DD (with its time, or a time alone,
 * where its format shows one), a 50% cell becomes 50.
 */
export function cellText(
  cell: XLSX.CellObject | undefined,
  where: string,
  date1904 = false,
): string {
  if (!cell) return '';
  // Before the value: a formula without a cached value is a stub cell that holds none.
  if (cell.f)
    throw new SheetError('UNSUPPORTED', `${where} 含公式（=${cell.f}）：请先粘贴为数值再导入`);
  if (cell.v === undefined || cell.v === null) return '';
  switch (cell.t) {
    case 'e':
      throw new SheetError('UNSUPPORTED', `${where} 是错误值（${cell.w ?? '#ERROR'}）`);
    case 'n': {
      const format = typeof cell.z === 'string' ? cell.z : '';
      if (format && XLSX.SSF.is_date(format)) return dateCellText(Number(cell.v), format, date1904);
      // A percent format scales by 100, unless its % is literal text ("%" or \%): `0"%"`
      // shows the stored 93 as 93%.
      if (format.replace(/"[^"]*"|\\./g, '').includes('%'))
        return String(Math.round(Number(cell.v) * 10000) / 100);
      return String(cell.v);
    }
    case 'd':
      return cell.v instanceof Date ? cell.v.toISOString().slice(0, 10) : String(cell.v);
    default:
      return String(cell.v);
  }
}

/** A number cell's displayed text, when it differs from the text read (null otherwise). */
export function shownText(cell: XLSX.CellObject | undefined, read: string): string | null {
  if (!cell || cell.t !== 'n' || typeof cell.w !== 'string') return null;
  const w = cell.w.trim();
  return w === '' || w === read || w === `${read}%` ? null : w;
}
