import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { readSheet } from '../../../src/sheets/read-sheet.js';
import { MAX_SHEET_ROWS } from '../../../src/sheets/sheet-error.js';
import { writeZip, xlsxParts } from '../../helpers/zip-writer.js';

const HEAD = ['工作流', '事项', '状态', '进度'];
const xlsx = (wb: XLSX.WorkBook) =>
  new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
const sheet = (rows: unknown[][]) => XLSX.utils.aoa_to_sheet([HEAD, ...rows]);
const csv = (text: string) => new TextEncoder().encode(text);

describe('reading the file a person sees', () => {
  it('skips a hidden first sheet, and names the sheet read when the headers are wrong', () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, sheet([['迁移', '旧副本', '完成', 100]]), '旧版');
    XLSX.utils.book_append_sheet(wb, sheet([['迁移', '交易对账单', '处理中', 93]]), '事项');
    wb.Workbook = {
      Sheets: [
        { name: '旧版', Hidden: 1 },
        { name: '事项', Hidden: 0 },
      ],
    };
    const read = readSheet(xlsx(wb), 'items.xlsx');
    expect(read.rows.map((r) => r.cells.get('name'))).toEqual(['交易对账单']);

    const summaryFirst = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(summaryFirst, XLSX.utils.aoa_to_sheet([['汇总']]), '汇总');
    XLSX.utils.book_append_sheet(summaryFirst, sheet([]), '事项');
    expect(() => readSheet(xlsx(summaryFirst), 'items.xlsx')).toThrow('读的是工作表“汇总”');
  });

  it('reads a date, a time, or both, as the parts the cell shows, in either date system', () => {
    // The same days count 1,462 fewer from 1904, a workbook's other date system (older Macs).
    for (const [date1904, shift] of [
      [false, 0],
      [true, 1462],
    ] as const) {
      const notes: [number, string, string][] = [
        [45059 - shift, 'yyyy-mm-dd', '2023-05-13'],
        [0.75, 'h:mm', '18:00'],
        [0.75, 'h:mm AM/PM', '18:00'],
        [45059.75 - shift, 'yyyy/m/d h:mm', '2023-05-13 18:00'],
        [45059.5 - shift, 'yyyy"年"m"月"d"日" hh:mm:ss', '2023-05-13 12:00:00'],
        [1.25, '[h]:mm', '30:00'],
      ];
      const ws = XLSX.utils.aoa_to_sheet([
        [...HEAD, '备注'],
        ...notes.map(([value], i) => ['迁移', `事项${i}`, '完成', 100, value]),
      ]);
      notes.forEach(
        ([, format], i) => (ws[XLSX.utils.encode_cell({ r: i + 1, c: 4 })]!.z = format),
      );
      const wb = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(wb, ws, '事项');
      wb.Workbook = { ...wb.Workbook, WBProps: { date1904 } };
      const read = readSheet(xlsx(wb), 'items.xlsx');
      expect(
        read.rows.map((r) => r.cells.get('note')),
        `date1904 ${date1904}`,
      ).toEqual(notes.map(([, , text]) => text));
    }
  });

  it('reads a percent whose % is literal text as the number shown, not a hundred times it', () => {
    const ws = sheet([
      ['迁移', '引号', '处理中', 93],
      ['迁移', '转义', '处理中', 90],
      ['迁移', '百分比', '处理中', 0.85],
    ]);
    ws.D2!.z = '0"%"';
    ws.D3!.z = '0\\%';
    ws.D4!.z = '0%';
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '事项');
    const read = readSheet(xlsx(wb), 'items.xlsx');
    expect(read.rows.map((r) => r.cells.get('percent'))).toEqual(['93', '90', '85']);
  });

  it('refuses a page, RTF or a CSV that makes the reader fail, in one line and never a crash', () => {
    const html = csv('<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>\n');
    expect(() => readSheet(html, 'hive.csv')).toThrow('文件是 HTML/XML，不是 CSV');
    expect(() => readSheet(csv('{\\rtf1\\ansi hello}'), 'hive.csv')).toThrow('文件是 RTF');
    // SheetJS read this as XML and failed inside with a TypeError (a 500 over HTTP).
    expect(() => readSheet(csv('<事项>,工作流,状态\r\nx,迁移,完成\r\n'), 'x.csv')).toThrow(
      '不是 CSV',
    );
  });

  it('reads Excel\'s "Unicode text": UTF-16 with its BOM, tab-separated', () => {
    const text = '工作流\t事项\t状态\t进度\r\n迁移\t交易对账单\t处理中\t93\r\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const read = readSheet(new Uint8Array(le), 'items.txt');
    expect(read.encoding).toBe('utf-16le');
    expect(read.rows.map((r) => [r.cells.get('name'), r.cells.get('percent')])).toEqual([
      ['交易对账单', '93'],
    ]);
    const be = Buffer.from(le);
    for (let i = 0; i < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1]!, be[i]!];
    expect(readSheet(new Uint8Array(be), 'items.txt').encoding).toBe('utf-16be');
  });

  it('counts the rows and columns that hold something, not a dimension stretched by formatting', () => {
    const ws = sheet([['迁移', '交易对账单', '完成', 100]]);
    ws['!ref'] = 'A1:ZZ25000'; // what a border drawn down to row 25,000 and over to ZZ leaves
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, '事项');
    const read = readSheet(xlsx(wb), 'items.xlsx');
    expect(read.rows.map((r) => r.row)).toEqual([2]);
  });

  it('takes the first row with anything in it as the header, in a CSV as in a workbook', () => {
    const read = readSheet(csv('\n工作流,事项,状态\n迁移,交易对账单,完成\n'), 'items.csv');
    // Row numbers stay Excel's: the blank first line is row 1.
    expect(read.rows.map((r) => [r.row, r.cells.get('name')])).toEqual([[3, '交易对账单']]);
  });

  it('refuses too many rows below a blank first line too, rather than dropping the last ones', () => {
    const rows = Array.from({ length: MAX_SHEET_ROWS + 5 }, (_, i) => `迁移,事项${i},完成`);
    const text = `\n工作流,事项,状态\n${rows.join('\n')}\n`;
    expect(() => readSheet(csv(text), 'many.csv')).toThrow('行数太多');
  });

  it('reads a ;-separated CSV whose first column is ID (not SYLK)', () => {
    const read = readSheet(csv('ID;工作流;事项;状态\n;迁移;交易对账单;完成\n'), 'items.csv');
    expect(read.rows.map((r) => r.cells.get('name'))).toEqual(['交易对账单']);
  });
});

describe('an .xlsx cell as its XML holds it', () => {
  /** A workbook of one item whose 状态 cell, C2, is `c2` as written, and C3 below it `c3`. */
  const withCells = (c2: string, c3 = '') => {
    const parts = xlsxParts([HEAD, ['迁移', '交易对账单', '完成', '50']]);
    return writeZip(
      parts.map((p) =>
        p.name === 'xl/worksheets/sheet1.xml'
          ? {
              ...p,
              content: (p.content as string)
                .replace(/<c r="C2"[^]*?<\/c>/, c2)
                .replace(
                  '</sheetData>',
                  c3 ? `<row r="3">${c3}</row></sheetData>` : '</sheetData>',
                ),
            }
          : p,
      ),
    );
  };

  it.each([
    [
      'as openpyxl writes it, an empty cached value',
      '<c r="C2"><f>IF(D2=100,"完成","处理中")</f><v></v></c>',
      '',
    ],
    ['without a cached value', '<c r="C2"><f>IF(D2=100,"完成","处理中")</f></c>', ''],
    [
      'shared with the cell below, neither with a cached value',
      '<c r="C2"><f t="shared" ref="C2:C3" si="0">A2</f><v></v></c>',
      '<c r="C3"><f t="shared" si="0"/><v></v></c>',
    ],
  ])('refuses a formula %s, as one with a value, not read as an empty cell', (_, c2, c3) => {
    expect(() => readSheet(withCells(c2, c3), 'f.xlsx')).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED', message: expect.stringContaining('含公式') }),
    );
  });

  it.each([
    ['a styled empty cell', '<c r="C2" s="1"/>'],
    ['an empty value', '<c r="C2"><v></v></c>'],
    ['a shared string without its index', '<c r="C2" t="s"/>'],
  ])('reads %s as empty, keeping the value', (_, c2) => {
    const read = readSheet(withCells(c2, '<c r="Z3" s="1"/>'), 'e.xlsx');
    expect(read.rows.map((r) => Object.fromEntries(r.cells))).toEqual([
      { path: '迁移', name: '交易对账单', percent: '50' },
    ]);
  });
});

describe('a CSV whose quotes the reader would misread', () => {
  const names = (text: string) =>
    readSheet(csv(text), 'items.csv').rows.map((r) => r.cells.get('name'));
  const head = `${HEAD.join(',')},备注\n`;

  it('refuses a quote that never ends, naming where it began, instead of losing the rows after it', () => {
    const text = `${head}测试,Q1,处理中,40,"他说\n测试,Q2,处理中,50,ok\n测试,Q3,完成,,ok\n`;
    expect(() => names(text)).toThrow('第 2 行第 E 列的引号没有结束');
    expect(() => names(`${head}"unterminated,处理中,40\n测试,Q2,处理中,50,ok\n`)).toThrow(
      '第 2 行第 A 列的引号没有结束',
    );
  });

  it('refuses a single quote inside a quoted cell, and text after a closing quote', () => {
    // One undoubled quote reopens the cell to the end of the file, as an unclosed one does.
    const inner = `${head}测试,Q0,处理中,40,ok\n测试,Q1,处理中,40,"他说"好"\n测试,Q2,处理中,50,ok\n`;
    expect(() => names(inner)).toThrow('第 3 行第 E 列的引号没有结束');
    expect(() => names(`${head}测试,"Q1" ,处理中,40,ok\n`)).toThrow('第 2 行第 B 列的引号用错了');
  });

  it('reads two undoubled quotes inside a quoted cell as the reader does, as meant', () => {
    expect(names(`${head}测试,"他说"好"吗",处理中,40,ok\n测试,Q2,处理中,50,ok\n`)).toEqual([
      '他说"好"吗',
      'Q2',
    ]);
  });

  it('reads what RFC 4180 allows: doubled quotes, separators and line breaks inside quotes', () => {
    const text = `${head}测试,"Q""1""",处理中,40,"多行\r\n备注"\r\n测试,"Q,2",处理中,50,ok\n测试,12" 管道,完成,,"x"`;
    expect(names(text)).toEqual(['Q"1"', 'Q,2', '12" 管道']);
    // A row number counts rows as the reader does: a cell's line breaks do not start one.
    expect(() => names(`${head}测试,"a\nb",处理中,1,\n测试,"Q3,完成,,\n`)).toThrow(
      '第 3 行第 B 列',
    );
  });

  it('checks with the separator the reader uses: ;, tab, or a sep= line', () => {
    expect(names(`工作流;事项;状态;进度\n测试;"a,b";完成;\n`)).toEqual(['a,b']);
    expect(() => names(`工作流;事项;状态;进度\n测试;"a"b;完成;\n`)).toThrow('第 2 行第 B 列');
    expect(names(`sep=|\n工作流|事项|状态|进度\n测试|"a;b"|完成|\n`)).toEqual(['a;b']);
    expect(names(`工作流\t事项\t状态\t进度\n测试\t"a\tb"\t完成\t\n`)).toEqual(['a\tb']);
    // Any character a sep= line names, a line separator too.
    expect(names(`sep=\u2028\n工作流\u2028事项\n"测试"\u2028a,b\n`)).toEqual(['a,b']);
  });
});
