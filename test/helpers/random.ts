/** A small seeded PRNG (mulberry32) so a failing random test reproduces from its seed. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T | undefined =>
      list.length ? list[Math.floor(next() * list.length)] : undefined,
    chance: (p: number) => next() < p,
  };
}

/** A random percent a status accepts: DONE only 100, NOT_STARTED only 0 (see nextPercent). */
export function percentFor(status: string, r: { int: (min: number, max: number) => number }) {
  return status === 'DONE' ? 100 : status === 'NOT_STARTED' ? 0 : r.int(0, 100);
}

export type Rng = ReturnType<typeof rng>;
