import * as XLSX from '@e965/xlsx';

/**
 * The parts a number format shows: a date (year, day, or a month written out), a time (hours,
 * seconds, AM/PM), or both; whether it shows seconds, and whether its time is elapsed time
 * (`[h]:mm`, which counts past a day). Quoted text, escaped characters and bracketed colours or
 * locales do not count. `m` alone is a month or a minute by its neighbours, so it decides
 * nothing here.
 */
export function formatParts(format: string): {
  date: boolean;
  time: boolean;
  seconds: boolean;
  elapsed: boolean;
} {
  const unquoted = format.replace(/"[^"]*"|\\./g, '');
  const bare = unquoted
    .replace(/\[(h+|m+|s+)\]/gi, '$1')
    .replace(/\[[^\]]*\]/g, '')
    .toLowerCase();
  return {
    date: /[yd]|mmm/.test(bare),
    time: /[hs]|am\/pm|a\/p/.test(bare),
    seconds: /s/.test(bare),
    elapsed: /\[(h+|m+|s+)\]/i.test(unquoted),
  };
}

/**
 * A date-formatted number cell as text, in the parts its format shows: `2023-05-13`,
 * `18:00`, or `2023-05-13 18:00` (seconds where the format shows them). A workbook saved with
 * the 1904 date system counts its days from 1904, not 1900. A note that read `18:00` in the
 * sheet used to import as `1899-12-30`, a date and time lost its time, and a 1904 workbook's
 * dates came out four years early.
 */
export function dateCellText(value: number, format: string, date1904: boolean): string {
  const parts = formatParts(format);
  const time = `${parts.elapsed ? '[h]' : 'hh'}:mm${parts.seconds ? ':ss' : ''}`;
  const canonical =
    parts.time && !parts.date ? time : parts.time ? `yyyy-mm-dd ${time}` : 'yyyy-mm-dd';
  return XLSX.SSF.format(canonical, value, { date1904 });
}
