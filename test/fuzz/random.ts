/**
 * Seeded randomness for property and fuzz tests: the same seed gives the same
 * inputs on every machine, so a failure names its seed and replays with
 * `VELA_FUZZ_SEED=<seed>`.
 */

/** mulberry32: small, fast, and good enough to spread inputs. */
export function randomSource(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  return { seed, next, int, pick, chance: (p: number) => next() < p };
}

export interface Random {
  readonly seed: number;
  next(): number;
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

/** The seed of this run: VELA_FUZZ_SEED when given (to replay a failure), else the fixed default. */
export function fuzzSeed(fallback: number): number {
  const given = process.env.VELA_FUZZ_SEED;
  return given !== undefined && given !== '' ? Number(given) >>> 0 : fallback;
}
