import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ITEM_STATUSES, type ItemStatus } from '../../../src/domain/item-status.js';
import type { ManualWork } from '../../../src/domain/credit.js';
import { CreditFold } from '../../../src/domain/credit-fold.js';
import {
  foldOrdered,
  foldRoot,
  foldTree,
  refoldPaths,
  type RollupNode,
} from '../../../src/domain/rollup.js';
import {
  CREDIT_RULES,
  type CreditRule,
  type RollupPolicy,
} from '../../../src/domain/rollup-policy.js';
import { tallyOf } from './hive-week20.fixture.js';

// ---- property: the fold equals a brute-force walk over every item and its ancestors ----

const GHOST = 10_000; // a parent id no node has
const itemArb = fc.record({
  status: fc.constantFrom(...ITEM_STATUSES),
  weight: fc.integer({ min: 1, max: 5 }),
  percent: fc.integer({ min: 0, max: 100 }),
});
const specArb = fc.record({
  parent: fc.oneof(
    { arbitrary: fc.constant<number | null>(null), weight: 2 },
    { arbitrary: fc.constant(-1), weight: 1 },
    { arbitrary: fc.nat(), weight: 8 },
  ),
  items: fc.array(itemArb, { maxLength: 6 }),
  manual: fc.option(
    fc.record({
      weightCenti: fc.integer({ min: 1, max: 100_000 }),
      percentBp: fc.integer({ min: 0, max: 10_000 }),
    }),
    { freq: 4 },
  ),
});
const policyArb = fc.record(
  Object.fromEntries(ITEM_STATUSES.map((s) => [s, fc.constantFrom(...CREDIT_RULES)])) as Record<
    ItemStatus,
    fc.Arbitrary<CreditRule>
  >,
);
type Spec = {
  parentId: number | null;
  items: { status: ItemStatus; weight: number; percent: number }[];
  manual: ManualWork | null;
};
const treeArb = fc.array(specArb, { maxLength: 40, size: 'max' }).chain((raw) => {
  const specs: Spec[] = raw.map((r, i) => ({
    parentId: r.parent === null ? null : r.parent === -1 ? GHOST : i === 0 ? null : r.parent % i,
    items: r.items,
    manual: r.manual,
  }));
  const nodes: RollupNode<number>[] = specs.map((s, id) => ({
    id,
    parentId: s.parentId,
    tally: tallyOf(s.items),
    manual: s.manual,
  }));
  return fc
    .shuffledSubarray(nodes, { minLength: nodes.length, maxLength: nodes.length })
    .map((shuffled) => ({ specs, nodes: shuffled }));
});

/** Credit, counted and item count per node id (and for the root), summed item by item. */
function bruteForce(specs: Spec[], policy: RollupPolicy) {
  const sums = new Map<number | 'root', { credit: number; counted: number; total: number }>([
    ['root', { credit: 0, counted: 0, total: 0 }],
  ]);
  specs.forEach((spec, id) => {
    const chain: (number | 'root')[] = [];
    for (let at: number | null = id; at !== null; at = at === GHOST ? null : specs[at]!.parentId)
      chain.push(at);
    if (chain.includes(GHOST)) return;
    chain.push('root');
    for (const at of chain) if (!sums.has(at)) sums.set(at, { credit: 0, counted: 0, total: 0 });
    const add = (credit: number, counted: number, items: number) => {
      for (const at of chain) {
        const s = sums.get(at)!;
        s.credit += credit;
        s.counted += counted;
        s.total += items;
      }
    };
    for (const { status, weight, percent } of spec.items) {
      const rule = policy[status];
      if (rule === 'FULL') add(weight * 1_000_000, weight * 1_000_000, 1);
      else if (rule === 'PERCENT') add(weight * percent * 10_000, weight * 1_000_000, 1);
      else if (rule === 'ZERO') add(0, weight * 1_000_000, 1);
      else add(0, 0, 1);
    }
    if (spec.manual)
      add(spec.manual.weightCenti * spec.manual.percentBp, spec.manual.weightCenti * 10_000, 0);
  });
  return sums;
}

describe('foldTree property', () => {
  it('every figure equals the brute-force sum; credit ≤ counted; root = Σ top-level', () => {
    fc.assert(
      fc.property(treeArb, policyArb, ({ specs, nodes }, policy) => {
        const { figures, root } = foldTree(nodes, policy);
        const expected = bruteForce(specs, policy);
        expect([...figures.keys()].sort((a, b) => a - b)).toEqual(
          [...expected.keys()]
            .filter((k) => k !== 'root')
            .sort((a, b) => (a as number) - (b as number)),
        );
        for (const [id, want] of expected) {
          const got = id === 'root' ? root : figures.get(id)!;
          expect({ credit: got.credit, counted: got.counted, total: got.total }).toEqual(want);
          expect(got.credit).toBeLessThanOrEqual(got.counted);
        }
        const tops = specs
          .map((s, id) => ({ s, id }))
          .filter(({ s }) => s.parentId === null)
          .map(({ id }) => figures.get(id)!);
        expect(root.credit).toBe(tops.reduce((n, f) => n + f.credit, 0));
        expect(root.counted).toBe(tops.reduce((n, f) => n + f.counted, 0));
      }),
      { numRuns: 300 },
    );
  });

  it('foldOrdered of the nodes in the tree, parents first, equals foldTree', () => {
    fc.assert(
      fc.property(treeArb, policyArb, ({ nodes }, policy) => {
        const expected = foldTree(nodes, policy);
        // A pre-order of the nodes that hang from a top-level node (what a skeleton lists).
        const byParent = new Map<number | null, RollupNode<number>[]>();
        for (const n of nodes) byParent.set(n.parentId, [...(byParent.get(n.parentId) ?? []), n]);
        const order: RollupNode<number>[] = [];
        const visit = (n: RollupNode<number>) => {
          order.push(n);
          for (const c of byParent.get(n.id) ?? []) visit(c);
        };
        for (const top of byParent.get(null) ?? []) visit(top);
        const got = foldOrdered(order, policy);
        expect(got.root).toEqual(expected.root);
        expect([...got.figures.keys()].sort((a, b) => a - b)).toEqual(
          [...expected.figures.keys()].sort((a, b) => a - b),
        );
        for (const [id, f] of expected.figures) expect(got.figures.get(id)).toEqual(f);
        // A child listed before its parent is refused, never folded into a finished parent.
        const child = order.find((n) => n.parentId !== null);
        if (child)
          expect(() => foldOrdered([child, ...order.filter((n) => n !== child)], policy)).toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('refoldPaths after some nodes’ own tallies change equals foldTree of the changed nodes', () => {
    fc.assert(
      fc.property(
        treeArb,
        policyArb,
        fc.array(fc.tuple(fc.nat(), fc.array(itemArb, { maxLength: 4 })), { maxLength: 5 }),
        ({ nodes }, policy, changes) => {
          const before = foldTree(nodes, policy);
          const changed = new Map<number, RollupNode<number>>();
          for (const [pick, items] of changes) {
            if (nodes.length === 0) break;
            const node = nodes[pick % nodes.length]!;
            changed.set(node.id, { ...node, tally: tallyOf(items) });
          }
          const after = nodes.map((n) => changed.get(n.id) ?? n);
          const expected = foldTree(after, policy);
          // What a kept tree knows of its shape: the nodes that hang from a top-level node.
          const byId = new Map(after.map((n) => [n.id, n]));
          const kids = new Map<number, number[]>();
          for (const n of after)
            if (n.parentId !== null && before.figures.has(n.id))
              kids.set(n.parentId, [...(kids.get(n.parentId) ?? []), n.id]);
          const depth = (id: number): number => {
            const parent = byId.get(id)!.parentId;
            return parent === null ? 0 : 1 + depth(parent);
          };
          const got = refoldPaths(
            before,
            changed.keys(),
            {
              input: (id) => byId.get(id)!,
              children: (id) => kids.get(id) ?? [],
              depth,
              tops: after.filter((n) => n.parentId === null).map((n) => n.id),
            },
            policy,
          );
          expect(got.root).toEqual(expected.root);
          expect([...got.figures.keys()]).toEqual([...expected.figures.keys()]);
          for (const [id, f] of expected.figures) expect(got.figures.get(id)).toEqual(f);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('foldRoot of the nodes in the tree equals foldTree’s root', () => {
    fc.assert(
      fc.property(treeArb, policyArb, ({ nodes }, policy) => {
        const { figures, root } = foldTree(nodes, policy);
        // What a series hands foldRoot: the nodes that hang from a top-level node.
        expect(
          foldRoot(
            nodes.filter((n) => figures.has(n.id)),
            policy,
          ),
        ).toEqual(root);
      }),
      { numRuns: 300 },
    );
  });

  it('CreditFold gives foldTree’s credit and counted on every node, fold after fold', () => {
    fc.assert(
      fc.property(
        treeArb,
        fc.array(policyArb, { minLength: 1, maxLength: 3 }),
        ({ nodes }, policies) => {
          const shape = new CreditFold(nodes);
          for (const policy of policies) {
            const { figures, root } = foldTree(nodes, policy);
            const byId = new Map(nodes.map((n) => [n.id, n.tally]));
            const whole = shape.fold(
              shape.ids.map((id) => byId.get(id)),
              policy,
            );
            expect(whole).toEqual({ credit: root.credit, counted: root.counted });
            expect([...shape.ids].sort((a, b) => a - b)).toEqual(
              [...figures.keys()].sort((a, b) => a - b),
            );
            shape.ids.forEach((id, i) => {
              const want = figures.get(id)!;
              expect([shape.credit[i], shape.counted[i]]).toEqual([want.credit, want.counted]);
            });
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
