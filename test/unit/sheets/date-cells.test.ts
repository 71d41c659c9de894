import { describe, expect, it } from 'vitest';
import { dateCellText, formatParts } from '../../../src/sheets/date-cells.js';

describe('date-formatted number cells', () => {
  it('tell a date, a time and both apart by what the format shows', () => {
    expect(formatParts('yyyy-mm-dd')).toMatchObject({ date: true, time: false });
    expect(formatParts('m/d/yy')).toMatchObject({ date: true, time: false });
    expect(formatParts('mmm-yy')).toMatchObject({ date: true, time: false });
    expect(formatParts('h:mm')).toMatchObject({ date: false, time: true, seconds: false });
    expect(formatParts('mm:ss')).toMatchObject({ date: false, time: true, seconds: true });
    expect(formatParts('yyyy-mm-dd hh:mm')).toMatchObject({ date: true, time: true });
    expect(formatParts('[h]:mm')).toMatchObject({ time: true, elapsed: true });
    // Quoted text, escapes, colours and locales are not parts.
    expect(formatParts('"day" h:mm')).toMatchObject({ date: false, time: true });
    expect(formatParts('[$-409]h:mm\\d')).toMatchObject({ date: false, time: true });
    expect(formatParts('[Red]yyyy-mm-dd')).toMatchObject({ date: true, time: false });
  });

  it('write each in one spelling, counting days from 1900 or 1904', () => {
    expect(dateCellText(45059, 'm/d/yy', false)).toBe('2023-05-13');
    expect(dateCellText(45059 - 1462, 'm/d/yy', true)).toBe('2023-05-13');
    expect(dateCellText(0.75, 'h:mm AM/PM', false)).toBe('18:00');
    expect(dateCellText(45059.75, 'd/m/yyyy h:mm', false)).toBe('2023-05-13 18:00');
    expect(dateCellText(45059.7500116, 'yyyy-mm-dd hh:mm:ss', false)).toBe('2023-05-13 18:00:01');
    expect(dateCellText(1.25, '[h]:mm', false)).toBe('30:00');
  });
});
