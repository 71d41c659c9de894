import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { jinduSchema } from '../../../src/graphql/schema.js';
import { worthPatching } from '../../../src/server/answer-patch.js';
import { patchPlanOf } from '../../../src/server/patch-plan.js';
import { indexProgress } from '../../../src/server/progress-index.js';

const gid = (id: number) => Buffer.from(`Workstream:${id}`).toString('base64url');
const node = (id: number, name: string, percent: number, children = '') =>
  `{"id":"${gid(id)}","name":${JSON.stringify(name)},"progress":{"percent":${percent},"byStatus":[{"count":1}]},"children":[${children}]}`;

describe('indexProgress', () => {
  it('finds each workstream’s progress value, in text order, past names that look like JSON', () => {
    const tricky = 'a\\"progress":{"percent":1}, "id":"x\\\\';
    const text = `{"data":{"initiative":{"workstreams":[${node(1, tricky, 10, `${node(2, '"}]{', 20)},${node(3, '叶', 30)}`)},${node(4, '\\', 40)}]}}}`;
    expect(JSON.parse(text)).toBeTruthy();
    const index = indexProgress(text)!;
    expect([...index.slots.keys()]).toEqual([1, 2, 3, 4]);
    const values = [1, 2, 3, 4].map((id) => {
      const slot = index.slots.get(id)!;
      return text.slice(index.bounds[2 * slot], index.bounds[2 * slot + 1]);
    });
    expect(values.map((v) => JSON.parse(v).percent)).toEqual([10, 20, 30, 40]);
    for (let i = 2; i < index.bounds.length; i++)
      expect(index.bounds[i]).toBeGreaterThan(index.bounds[i - 1]!);
  });

  it('refuses an answer that holds a workstream twice', () => {
    const text = `{"data":{"a":{"workstreams":[${node(1, 'x', 1)}]},"b":{"workstreams":[${node(1, 'x', 1)}]}}}`;
    expect(indexProgress(text)).toBeNull();
  });
});

describe('patchPlanOf', () => {
  const plan = async (query: string) => patchPlanOf(await jinduSchema(), parse(query));
  const P = 'id name progress { percent byStatus(locale: EN) { status count } }';

  it('patches a dashboard of workstreams with one progress selection', async () => {
    expect(
      await plan(`query { initiative(key: "k") { workstreams { ${P} children { ${P} } } } }`),
    ).not.toBeNull();
  });

  it.each([
    ['the initiative’s own fields', `{ initiative(key: "k") { name workstreams { ${P} } } }`],
    [
      'a node without its id',
      '{ initiative(key: "k") { workstreams { name progress { percent } } } }',
    ],
    ['an aliased id', '{ initiative(key: "k") { workstreams { id: name progress { percent } } } }'],
    [
      'two progress selections',
      `{ initiative(key: "k") { workstreams { ${P} children { id progress { total } } } } }`,
    ],
    [
      'a fragment',
      '{ initiative(key: "k") { workstreams { ...W } } } fragment W on Workstream { id progress { total } }',
    ],
    [
      'a variable under progress',
      'query($l: Locale!) { initiative(key: "k") { workstreams { id progress { byStatus(locale: $l) { count } } } } }',
    ],
  ])('makes answers afresh with %s', async (_, query) => {
    expect(await plan(query)).toBeNull();
  });
});

describe('worthPatching', () => {
  it('patches up to a quarter of a large answer, and up to 64 values of any', () => {
    expect(worthPatching(64, 70)).toBe(true);
    expect(worthPatching(65, 70)).toBe(false);
    expect(worthPatching(2_500, 10_000)).toBe(true);
    expect(worthPatching(2_501, 10_000)).toBe(false);
    expect(worthPatching(0, 0)).toBe(true);
  });
});
