/**
 * A ratio measured as interleaved pairs within one run (A, B, B, A, A, B …, each load shorter): the
 * machine's drift during the run moves both sides of each pair alike, and the median of the
 * pairs' ratios drops the pair a burst of other work landed on. Returns the median pair.
 */
export async function interleaved<A, B = A>(
  pairs: number,
  measureA: () => Promise<A>,
  measureB: () => Promise<B>,
  ratio: (a: A, b: B) => number,
): Promise<{ ratio: number; a: A; b: B; as: A[] }> {
  const taken: { ratio: number; a: A; b: B }[] = [];
  for (let i = 0; i < pairs; i++) {
    // Every other pair in reverse order: a load's place in the pair must not favour a side
    // (two identical servers measured always in the same order read 1.59× and 1.40× of bare
    // Apollo in 4 rounds of bench/s1-ab.ts).
    let a: A;
    let b: B;
    if (i % 2 === 0) {
      a = await measureA();
      b = await measureB();
    } else {
      b = await measureB();
      a = await measureA();
    }
    taken.push({ ratio: ratio(a, b), a, b });
  }
  const as = taken.map((t) => t.a); // every pair's A, in the order measured
  taken.sort((x, y) => x.ratio - y.ratio);
  return { ...taken[Math.floor(taken.length / 2)]!, as };
}
