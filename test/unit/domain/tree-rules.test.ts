import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertInitiativeKey,
  assertIsoDate,
  assertWrittenDate,
  isCalendarDate,
  isIsoTime,
  assertMoveKeepsTree,
  assertName,
  childPath,
  cleanText,
  depthOfPath,
  isWithin,
} from '../../../src/domain/tree-rules.js';
import { codeOf, thrownBy } from './domain-error.helper.js';

describe('materialized paths', () => {
  it.each([
    [null, 1, '/1/'],
    ['/1/', 5, '/1/5/'],
    ['/1/5/', 9, '/1/5/9/'],
    [null, 12, '/12/'],
  ] as const)('childPath(%s, %s) = %s', (parent, id, path) => {
    expect(childPath(parent, id)).toBe(path);
  });

  it.each([
    ['/1/', 0],
    ['/1/5/', 1],
    ['/1/5/9/', 2],
    ['/10/200/3000/4/', 3],
  ] as const)('depthOfPath(%s) = %s', (path, depth) => {
    expect(depthOfPath(path)).toBe(depth);
  });

  it.each([
    ['/1/', '/1/', true],
    ['/1/5/', '/1/', true],
    ['/1/5/9/', '/1/', true],
    ['/1/', '/1/5/', false],
    ['/12/', '/1/', false],
    ['/1/52/', '/1/5/', false],
    ['/2/1/', '/1/', false],
  ] as const)('isWithin(%s, %s) = %s', (path, ancestor, within) => {
    expect(isWithin(path, ancestor)).toBe(within);
  });
});

describe('assertMoveKeepsTree', () => {
  it.each([
    ['under itself', '/1/', '/1/'],
    ['under a child', '/1/', '/1/5/'],
    ['under a grandchild', '/1/', '/1/5/9/'],
    ['a subtree under its own descendant', '/3/1/', '/3/1/7/'],
  ])('rejects moving %s with CYCLE on parentId', (_case, nodePath, newParentPath) => {
    expect(thrownBy(() => assertMoveKeepsTree(nodePath, newParentPath))).toEqual({
      code: 'CYCLE',
      field: ['parentId'],
    });
  });

  it.each([
    ['to the top level', '/1/5/', null],
    ['under its own parent', '/1/5/', '/1/'],
    ['under a sibling', '/1/5/', '/1/6/'],
    ['under an id sharing a prefix', '/1/', '/12/'],
    ['under a node whose path shares a prefix', '/1/5/', '/1/52/'],
    ['under its ancestor', '/1/5/9/', '/1/'],
    ['a top-level node to the top level', '/1/', null],
  ])('allows moving %s', (_case, nodePath, newParentPath) => {
    expect(() => assertMoveKeepsTree(nodePath, newParentPath)).not.toThrow();
  });
});

/** The path of `id` in a parent map (bounded, so a cycle would show as a thrown error). */
function pathOf(parent: Map<number, number | null>, id: number): string {
  const ids: number[] = [];
  for (let at: number | null = id; at !== null; at = parent.get(at)!) {
    if (ids.length > parent.size) throw new Error(`cycle through ${id}`);
    ids.unshift(at);
  }
  return `/${ids.join('/')}/`;
}

/** Whether `target` is `id` or lies below it, by walking the parent map upward from `target`. */
function isSelfOrDescendant(
  parent: Map<number, number | null>,
  target: number,
  id: number,
): boolean {
  for (
    let at: number | null = target, steps = 0;
    at !== null && steps <= parent.size;
    at = parent.get(at)!, steps++
  ) {
    if (at === id) return true;
  }
  return false;
}

describe('assertMoveKeepsTree property', () => {
  const forestArb = fc.integer({ min: 1, max: 30 }).chain((n) =>
    fc.record({
      initial: fc.array(fc.option(fc.nat(), { nil: null }), { minLength: n, maxLength: n }),
      moves: fc.array(
        fc.record({
          node: fc.integer({ min: 1, max: n }),
          to: fc.option(fc.integer({ min: 1, max: n }), { freq: 6, nil: null }),
        }),
        { maxLength: 60, size: 'max' },
      ),
    }),
  );

  it('random moves keep a forest and are refused exactly when they would make a cycle', () => {
    fc.assert(
      fc.property(forestArb, ({ initial, moves }) => {
        // ids 1..n; each initial parent is an earlier id or none, so the start is a forest
        const parent = new Map<number, number | null>(
          initial.map((p, i) => [i + 1, p === null || i === 0 ? null : (p % i) + 1]),
        );
        for (const { node, to } of moves) {
          const wouldCycle = to !== null && isSelfOrDescendant(parent, to, node);
          const code = codeOf(() =>
            assertMoveKeepsTree(pathOf(parent, node), to === null ? null : pathOf(parent, to)),
          );
          expect(code).toBe(wouldCycle ? 'CYCLE' : 'nothing thrown');
          if (code === 'nothing thrown') parent.set(node, to); // only moves the domain allows
          for (const id of parent.keys()) {
            const path = pathOf(parent, id); // throws on a cycle
            expect(depthOfPath(path)).toBe(path.split('/').filter(Boolean).length - 1);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('assertName', () => {
  it.each([
    ['Hive迁移-风控报表', 'Hive迁移-风控报表'],
    ['  padded  ', 'padded'],
    ['a', 'a'],
    ['x'.repeat(200), 'x'.repeat(200)],
    [`  ${'y'.repeat(200)}\n`, 'y'.repeat(200)],
  ])('accepts %j as %j', (name, trimmed) => {
    expect(assertName(name)).toBe(trimmed);
  });

  it.each(['', '   ', '\n\t', 'x'.repeat(201)])('rejects %j with INVALID_INPUT', (name) => {
    expect(thrownBy(() => assertName(name))).toEqual({ code: 'INVALID_INPUT', field: ['name'] });
  });

  it('reports the given field', () => {
    expect(thrownBy(() => assertName('', ['input', 'name'])).field).toEqual(['input', 'name']);
  });
});

describe('assertInitiativeKey', () => {
  it.each(['hive', 'ab', 'hive-2023', '0x', 'a-', 'a'.repeat(64)])('accepts %j', (key) => {
    expect(assertInitiativeKey(key)).toBe(key);
  });

  it.each(['', 'a', 'a'.repeat(65), 'Hive', '-ab', 'a_b', 'a b', 'ab\n', 'hive.x', '进度'])(
    'rejects %j with INVALID_INPUT',
    (key) => {
      expect(thrownBy(() => assertInitiativeKey(key))).toEqual({
        code: 'INVALID_INPUT',
        field: ['key'],
      });
    },
  );
});

describe('assertIsoDate', () => {
  it.each(['2023-05-13', '2024-02-29', '2023-12-31', '2000-01-01', '1900-01-01', '9999-12-31'])(
    'accepts %s',
    (d) => {
      expect(assertIsoDate(d, 'weekOf')).toBe(d);
    },
  );

  it.each([
    '2023-02-29',
    '2023-04-31',
    '2023-13-01',
    '2023-00-10',
    '2023-5-13',
    '2023/05/13',
    '2023-05-13T00:00:00Z',
    ' 2023-05-13',
    '',
    'soon',
  ])('rejects %j with INVALID_INPUT on the given field', (d) => {
    expect(thrownBy(() => assertIsoDate(d, 'weekOf'))).toEqual({
      code: 'INVALID_INPUT',
      field: ['weekOf'],
    });
  });
});

describe('cleanText', () => {
  it.each([
    [null, null],
    [undefined, null],
    ['', null],
    ['   ', null],
    ['  测试验证投产中 ', '测试验证投产中'],
    ['x'.repeat(2000), 'x'.repeat(2000)],
  ])('cleanText(%j) = %j', (value, cleaned) => {
    expect(cleanText(value, 'phase')).toBe(cleaned);
  });

  it('rejects text over the limit with INVALID_INPUT on the field, after trimming', () => {
    expect(thrownBy(() => cleanText('x'.repeat(2001), 'note'))).toEqual({
      code: 'INVALID_INPUT',
      field: ['note'],
    });
    expect(cleanText(' abcde ', 'phase', 5)).toBe('abcde');
    expect(codeOf(() => cleanText('abcdef', 'phase', 5))).toBe('INVALID_INPUT');
  });
});

describe('calendar days and ISO times', () => {
  it('takes real days only: JavaScript would roll 2023-02-30 over to March', () => {
    for (const ok of ['2023-05-13', '2024-02-29', '2000-02-29'])
      expect(isCalendarDate(ok)).toBe(true);
    for (const bad of [
      '2023-02-29',
      '2023-02-30',
      '2023-04-31',
      '2023-13-01',
      '2023-5-13',
      '13/05/2023',
    ])
      expect(isCalendarDate(bad)).toBe(false);
  });

  it('checks the day of an ISO time too', () => {
    expect(isIsoTime('2023-05-15T09:00:00+08:00')).toBe(true);
    expect(isIsoTime('2023-04-31T09:00:00Z')).toBe(false);
    expect(isIsoTime('yesterday')).toBe(false);
  });
});

describe('assertWrittenDate', () => {
  it('keeps dates from 1900 on, and refuses earlier ones a read would take', () => {
    expect(assertWrittenDate('1900-01-01', 'targetDate')).toBe('1900-01-01');
    for (const d of ['0000-01-01', '1899-12-31']) {
      expect(assertIsoDate(d, 'date')).toBe(d); // a read before 1900: an empty tree
      expect(thrownBy(() => assertWrittenDate(d, 'targetDate'))).toEqual({
        code: 'INVALID_INPUT',
        field: ['targetDate'],
      });
    }
  });
});
