import { SheetError } from './sheet-error.js';

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030';

const UTF16_BOMS = [
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
] as const;

/**
 * A CSV file's text, its encoding detected without asking: a UTF-16 BOM, a UTF-8 BOM, else valid UTF-8, else
 * GB18030 (a superset of GBK, what Excel on Chinese Windows writes). A file with NUL bytes is
 * binary, not a CSV.
 */
export function decodeCsvText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  // Excel's and WPS's "Unicode text" (.txt, tab-separated) is UTF-16 with its BOM; its NULs are
  // half of every ASCII character, not binary.
  for (const [encoding, bom] of UTF16_BOMS)
    if (bytes[0] === bom[0] && bytes[1] === bom[1])
      try {
        const text = new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(2));
        if (!text.includes('\0')) return { text, encoding };
      } catch {
        // not UTF-16 after all: judged as any other file below
      }
  if (bytes.includes(0))
    throw new SheetError('NOT_A_SPREADSHEET', '文件不是文本 CSV（含二进制内容）');
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    // Read leniently, bytes that are not UTF-8 (rows appended in GBK to a UTF-8 file) would
    // become U+FFFD in names and notes, and be written so.
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3));
      return { text, encoding: 'utf-8-bom' };
    } catch {
      throw new SheetError(
        'NOT_A_SPREADSHEET',
        '文件以 UTF-8 的 BOM 开头，但其中有不是 UTF-8 的内容（可能混有 GBK 编码的行）：请在表格软件中另存为 UTF-8 CSV',
      );
    }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    try {
      return {
        text: new TextDecoder('gb18030', { fatal: true }).decode(bytes),
        encoding: 'gb18030',
      };
    } catch {
      throw new SheetError(
        'NOT_A_SPREADSHEET',
        '无法识别文件编码（支持 UTF-8、带 BOM 的 UTF-8、带 BOM 的 UTF-16、GBK/GB18030）',
      );
    }
  }
}
