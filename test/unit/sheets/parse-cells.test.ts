import { describe, expect, it } from 'vitest';
import {
  ambiguousLabel,
  parseStatus,
  parseWholeNumber,
  statusSpellings,
} from '../../../src/sheets/parse-cells.js';

describe('status cells', () => {
  it('read the labels, the enum names, the initiative’s own labels and the report’s own words', () => {
    const spellings = statusSpellings({ 'zh-CN': { CANCELLED: '取消迁移' } });
    expect(parseStatus('处理中', spellings)).toBe('IN_PROGRESS');
    expect(parseStatus('推进中', spellings)).toBe('IN_PROGRESS'); // the week-20 report's word
    expect(parseStatus('已完成', spellings)).toBe('DONE');
    expect(parseStatus('done', spellings)).toBe('DONE');
    expect(parseStatus('取消迁移', spellings)).toBe('CANCELLED');
    expect(() => parseStatus('差不多了', spellings)).toThrow(/未知状态/);
  });

  it('read the usual other words, and full-width letters and digits as their ASCII selves', () => {
    const spellings = statusSpellings(null);
    for (const [word, status] of [
      ['未开始', 'NOT_STARTED'],
      ['已暂停', 'PAUSED'],
      ['已取消', 'CANCELLED'],
      ['Completed', 'DONE'],
      ['Canceled', 'CANCELLED'],
      ['ＤＯＮＥ', 'DONE'],
    ] as const)
      expect(parseStatus(word, spellings)).toBe(status);
    expect(parseWholeNumber('９５％', '进度')).toBe(95);
  });

  it('let an initiative’s own label win over a report word', () => {
    const spellings = statusSpellings({ 'zh-CN': { PAUSED: '推进中' } });
    expect(parseStatus('推进中', spellings)).toBe('PAUSED');
  });

  it('find a label that would name two statuses, as an import reads it', () => {
    expect(ambiguousLabel(null)).toBeNull();
    expect(
      ambiguousLabel({ 'zh-CN': { CANCELLED: '取消迁移' }, en: { DONE: 'shipped' } }),
    ).toBeNull();
    // A report word is not a status's own: an initiative's label may take it.
    expect(ambiguousLabel({ 'zh-CN': { PAUSED: '推进中' } })).toBeNull();
    // Another status's label, in this locale or another, or its name, in any spelling.
    expect(ambiguousLabel({ 'zh-CN': { CANCELLED: '暂停' } })).toEqual({
      label: '暂停',
      statuses: ['PAUSED', 'CANCELLED'],
    });
    expect(ambiguousLabel({ 'zh-CN': { PAUSED: 'In Progress' } })?.statuses).toEqual([
      'IN_PROGRESS',
      'PAUSED',
    ]);
    expect(ambiguousLabel({ en: { PAUSED: 'ｄｏｎｅ' } })?.statuses).toEqual(['PAUSED', 'DONE']);
    // Two statuses given one label; and a swap, since each default label is still read.
    expect(ambiguousLabel({ 'zh-CN': { PAUSED: '停', CANCELLED: '停' } })?.label).toBe('停');
    expect(ambiguousLabel({ 'zh-CN': { PAUSED: '取消', CANCELLED: '暂停' } })).not.toBeNull();
  });
});
