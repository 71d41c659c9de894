import { describe, expect, it } from 'vitest';
import { displayWidth, formatTable } from '../../../src/cli/text-table.js';

describe('displayWidth', () => {
  it.each([
    ['ci-bot', 6],
    ['项目经理', 8],
    ['pm-张三', 7],
    ['ｆｕｌｌ', 8],
    ['e\u0301', 1],
    ['a\u200bb', 2],
    ['🚀', 2],
  ])('%s takes %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe('formatTable', () => {
  it('aligns columns by display width, without quotes or an index column', () => {
    const table = formatTable(
      ['NAME', 'ROLE', 'STATE'],
      [
        ['ci-bot', 'viewer', 'active'],
        ['项目经理', 'admin', 'revoked'],
      ],
    );
    expect(table).toBe(
      'NAME      ROLE    STATE\n' + 'ci-bot    viewer  active\n' + '项目经理  admin   revoked\n',
    );
  });

  it('keeps each row on one line and strips terminal controls from cells', () => {
    const table = formatTable(['NAME', 'ROLE'], [['a\nb\x1b[2J\rc', 'viewer']]);
    expect(table).toBe('NAME  ROLE\na bc  viewer\n');
  });
});
