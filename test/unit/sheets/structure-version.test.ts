import { describe, expect, it } from 'vitest';
import type { WorkstreamReplayState } from '../../../src/domain/replay-structure.js';
import { workstreamsByNamedPath } from '../../../src/domain/structure-paths.js';
import type { SheetRow } from '../../../src/sheets/read-sheet.js';
import type { SheetWorkstream } from '../../../src/sheets/sheet-state.js';
import {
  MAX_STRUCTURE_VERSIONS,
  pathsAtVersion,
  readPathThen,
  structureVersionsOf,
} from '../../../src/sheets/structure-version.js';

const replayed = (
  id: number,
  name: string,
  parentId: number | null,
  deleted = false,
): WorkstreamReplayState =>
  ({ id, name, parentId, deleted, position: 0 }) as unknown as WorkstreamReplayState;

const now = (...list: [number, string][]): Map<number, SheetWorkstream> =>
  new Map(
    list.map(([id, path]) => [
      id,
      { id, parentId: null, path, hasChildren: false, manual: false, depth: 0 },
    ]),
  );

describe('workstreamsByNamedPath', () => {
  it('names each live workstream by its path, the ids where siblings share one, none under a deleted one', () => {
    const paths = workstreamsByNamedPath(
      new Map(
        [
          replayed(1, '迁移', null),
          replayed(2, 'X/Y', 1),
          replayed(3, '甲', 2),
          replayed(4, '同名', 1),
          replayed(5, '同名', 1),
          replayed(6, '下线', null, true),
          replayed(7, '乙', 6),
          replayed(8, '孤儿', 99),
        ].map((w) => [w.id, w]),
      ),
    );
    expect([...paths]).toEqual([
      ['迁移', 1],
      ['迁移/X/Y', 2],
      ['迁移/X/Y/甲', 3],
      ['迁移/同名', [4, 5]],
    ]);
  });
});

describe('readPathThen', () => {
  const then = new Map<string, number | readonly number[]>([
    ['迁移', 1],
    ['迁移/X/Y', 2],
    ['迁移/同名', [4, 5]],
    ['下线', 6],
  ]);
  const today = now([1, '迁移（改名）'], [2, '迁移（改名）/X/Y']);

  it('reads a whole path that named a workstream then as that workstream today', () => {
    expect(readPathThen('迁移/X/Y', then, today)).toEqual({
      kind: 'workstream',
      workstream: today.get(2),
    });
  });

  it('puts new names below where the longest part that stood then is now, a name with a slash whole', () => {
    expect(readPathThen('迁移/X/Y/新', then, today)).toEqual({
      kind: 'below',
      path: '迁移（改名）/X/Y/新',
      anchor: today.get(2),
    });
    expect(readPathThen('迁移/X/新', then, today)).toEqual({
      kind: 'below',
      path: '迁移（改名）/X/新',
      anchor: today.get(1),
    });
  });

  it('reads a path with spaces around its slashes as the path without them', () => {
    expect(readPathThen('迁移 / X/Y', then, today)).toEqual({
      kind: 'workstream',
      workstream: today.get(2),
    });
    expect(readPathThen('迁移 /新', then, today)).toMatchObject({
      kind: 'below',
      path: '迁移（改名）/新',
    });
  });

  it('reads as written a path that named nothing then, or siblings of one name', () => {
    expect(readPathThen('新组/新', then, today)).toEqual({ kind: 'as-written' });
    expect(readPathThen('迁移/同名', then, today)).toEqual({ kind: 'as-written' });
    expect(readPathThen('/迁移', then, today)).toEqual({ kind: 'as-written' });
  });

  it('reads a path siblings of one name shared then as the row item’s own workstream, when it was one of them', () => {
    const renamed = now([4, '迁移（改名）/同名'], [5, '迁移（改名）/别名'], [7, '其他']);
    expect(readPathThen('迁移/同名', then, renamed, 5)).toEqual({
      kind: 'workstream',
      workstream: renamed.get(5),
    });
    expect(readPathThen('迁移/同名', then, renamed, 7)).toEqual({ kind: 'as-written' });
    expect(readPathThen('迁移/同名/新', then, renamed, 5)).toEqual({ kind: 'as-written' });
  });

  it('says which part is gone when the workstream it named was deleted since', () => {
    expect(readPathThen('下线/乙', then, today)).toEqual({ kind: 'gone', path: '下线' });
  });
});

describe('pathsAtVersion and structureVersionsOf', () => {
  const at3 = new Map([['迁移', 1]]);
  const structure = { version: 9, pathsAt: new Map([[3, at3]]) };

  it('gives the paths of an older version, and none for today’s or an empty cell', () => {
    expect(pathsAtVersion(structure, ' 3 ')).toBe(at3);
    expect(pathsAtVersion(structure, '9')).toBeNull();
    expect(pathsAtVersion(structure, '')).toBeNull();
  });

  it('refuses a version past today’s, a negative one, text, and one beyond those loaded', () => {
    expect(() => pathsAtVersion(structure, '10')).toThrow(/比本项目现在的（9）还新/);
    expect(() => pathsAtVersion(structure, '-3')).toThrow(/不能是负数/);
    expect(() => pathsAtVersion(structure, '三')).toThrow(/结构版本必须是整数/);
    expect(() => pathsAtVersion(structure, '4')).toThrow(
      new RegExp(`超过 ${MAX_STRUCTURE_VERSIONS} 种结构版本`),
    );
  });

  it('lists a file’s versions once each, first seen first, stopping one past the most', () => {
    const row = (n: number, text?: string): SheetRow => ({
      row: n,
      cells: new Map(text === undefined ? [] : [['structure', text]]),
    });
    expect(
      structureVersionsOf({
        rows: [
          row(2, '7'),
          row(3),
          row(4, ' 5'),
          row(5, '7'),
          row(6, 'x'),
          row(7, '６.0'),
          row(8, '-1'),
        ],
      }),
    ).toEqual([7, 5, 6]);
    const many = Array.from({ length: 40 }, (_, i) => row(i + 2, String(i)));
    expect(structureVersionsOf({ rows: many })).toHaveLength(MAX_STRUCTURE_VERSIONS + 1);
  });
});
