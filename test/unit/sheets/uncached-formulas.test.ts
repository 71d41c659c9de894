import { describe, expect, it } from 'vitest';
import { holdsUncachedFormula, mayBeWorksheet } from '../../../src/sheets/uncached-formulas.js';

const xml = (cells: string) =>
  Buffer.from(`<worksheet><sheetData><row r="2">${cells}</row></sheetData></worksheet>`);

describe('formulas saved without their result', () => {
  it('are found without a value, with an empty one, shared, or under a namespace prefix', () => {
    for (const cell of [
      '<c r="C2"><f>IF(D2=100,"完成","处理中")</f></c>',
      '<c r="C2"><f>A1</f><v></v></c>',
      '<c r="C2"><f>A1</f><v/></c>',
      '<c r="C3"><f t="shared" si="0"/><v></v></c>',
      '<x:c r="C2"><x:f>A1</x:f></x:c>',
    ])
      expect(holdsUncachedFormula(xml(cell)), cell).toBe(true);
  });

  it('are not a formula with its result, a styled empty cell or a value', () => {
    for (const cell of [
      '<c r="C2"><f>A1</f><v>完成</v></c>',
      '<c r="C2" t="str"><f>A1</f><v>处理中</v></c>',
      '<c r="C2" s="1"/>',
      '<c r="C2" t="inlineStr"><is><t>f</t></is></c>',
      '<c r="C2"><v>50</v></c>',
    ])
      expect(holdsUncachedFormula(xml(cell)), cell).toBe(false);
  });

  it('are looked for in every XML part, wherever the workbook keeps its sheets', () => {
    expect(mayBeWorksheet('xl/worksheets/sheet1.xml')).toBe(true);
    expect(mayBeWorksheet('/sheets/Sheet2.XML')).toBe(true);
    expect(mayBeWorksheet('xl/worksheets/_rels/sheet1.xml.rels')).toBe(false);
    expect(mayBeWorksheet('xl/media/image1.png')).toBe(false);
    // Text in other parts is escaped: a formula written there is no formula element.
    expect(
      holdsUncachedFormula(
        Buffer.from('<sst><si><t>&lt;f&gt;A1&lt;/f&gt;&lt;/c&gt;</t></si></sst>'),
      ),
    ).toBe(false);
  });
});
