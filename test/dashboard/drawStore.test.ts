/**
 * DrawStore: post-warm-up draws per chain in a bounded number of stored
 * numbers. Each draw carries its received index (per chain) as its value, so
 * which draws were kept is visible in the stored columns.
 */
import { describe, expect, it } from "vitest";
import { DrawStore } from "../../src/dashboard/drawStore.ts";
import { STAT_NAMES, type ChainDraws, type DrawStats } from "../../src/inference/draws.ts";

/** The statistics of draw `i` of `chain`, each a distinct function of both. */
function statsOf(chain: number, i: number): DrawStats {
  return {
    lp: -i - chain / 10,
    acceptStat: (i % 10) / 10,
    stepSize: chain + 0.5,
    treeDepth: (i % 4) + 1,
    nLeapfrog: (i % 7) + 1,
    divergent: i % 5 === 0,
    energy: i + chain * 1000,
    recovered: i % 3,
  };
}

/** Draw `i` of `chain` as the store should hold it: values [i, chain·1e6 + i], then the statistics as numbers. */
function row(chain: number, i: number): number[] {
  const s = statsOf(chain, i);
  return [i, chain * 1e6 + i, ...STAT_NAMES.map((name) => Number(s[name]))];
}

/** The rows of a ChainDraws, one array per draw (values then statistics). */
function rowsOf(c: ChainDraws): number[][] {
  return Array.from({ length: c.draws }, (_, t) => [...c.values.map((v) => v[t]), ...STAT_NAMES.map((s) => c.stats[s][t])]);
}

const ROW = 2 + STAT_NAMES.length;

describe("DrawStore", () => {
  it("returns what was added, in chain order, cut to the shortest chain", () => {
    const store = new DrawStore(2, 1e6);
    const lengths: Record<number, number> = { 3: 9, 1: 10, 2: 7 };
    // Added out of chain order and interleaved.
    for (let i = 0; i < 10; i++)
      for (const chain of [3, 1, 2]) if (i < lengths[chain]) store.add(chain, row(chain, i).slice(0, 2), statsOf(chain, i));
    const chains = store.chainDraws().chains;
    expect(chains.map((c) => c.chain)).toEqual([1, 2, 3]);
    expect(store.thin).toBe(1);
    for (const c of chains) {
      expect(c.warmup).toBe(0);
      expect(c.draws).toBe(7);
      expect(c.values).toHaveLength(2);
      for (const name of STAT_NAMES) expect(c.stats[name]).toHaveLength(7);
      expect(rowsOf(c)).toEqual(Array.from({ length: 7 }, (_, i) => row(c.chain, i)));
    }
  });

  it("has no chains before any draw", () => {
    expect(new DrawStore(3, 100).chainDraws().chains).toEqual([]);
  });

  it.each([
    { chains: 1, note: "one chain: every stored row is visible" },
    { chains: 2, note: "two chains of unequal length: the common prefix is visible" },
  ])("past a tiny budget, keeps exactly the draws with received index % thin == 0 ($note)", ({ chains: nChains }) => {
    const budget = 10 * ROW; // ten rows over all chains
    const store = new DrawStore(2, budget);
    const received = new Array<number>(nChains).fill(0);
    let thin = 1;
    for (let step = 0; step < 1000; step++) {
      // Chain 2 receives half as many draws as chain 1, so the chains differ in length.
      const chain = nChains === 2 && step % 3 === 2 ? 2 : 1;
      const i = received[chain - 1]++;
      store.add(chain, row(chain, i).slice(0, 2), statsOf(chain, i));
      // thin only ever doubles.
      expect(store.thin === thin || store.thin === 2 * thin).toBe(true);
      thin = store.thin;
      // After every add, in every chain: the received draws whose index is a multiple of thin, in order.
      const kept = (k: number) => Array.from({ length: Math.ceil(received[k - 1] / thin) }, (_, m) => row(k, m * thin));
      const present = received.flatMap((r, k) => (r > 0 ? [k + 1] : []));
      const shortest = Math.min(...present.map((k) => kept(k).length));
      const chains = store.chainDraws().chains;
      expect(chains.map((c) => c.chain)).toEqual(present);
      for (const c of chains) expect(rowsOf(c)).toEqual(kept(c.chain).slice(0, shortest));
      // The kept rows (with one chain, exactly the store's rows, checked above) fit the budget.
      expect(present.reduce((n, k) => n + kept(k).length * ROW, 0)).toBeLessThanOrEqual(budget + ROW);
    }
    expect(store.thin).toBeGreaterThan(1);
  });

  it("stores at most budget (+ one row) numbers over 10^5 draws per chain, thinning to the smallest sufficient power of two", () => {
    const budget = 1000;
    const store = new DrawStore(2, budget);
    const n = 100_000;
    const stats = statsOf(1, 0);
    for (let i = 0; i < n; i++) {
      store.add(1, [i, -i], stats);
      store.add(2, [i, -i], stats);
    }
    // Kept per chain: ceil(n / thin); 2 chains · ceil(n / t) · 10 ≤ 1000 ⇔ ceil(n / t) ≤ 50 ⇒ t = 2048 (1024 gives 98).
    expect(store.thin).toBe(2048);
    const chains = store.chainDraws().chains;
    for (const c of chains) {
      expect(c.draws).toBe(Math.ceil(n / 2048));
      // Both chains received the same draws, so nothing is hidden past the shortest: 2 · 49 rows of 10 numbers.
      expect(c.draws * 2 * ROW).toBeLessThanOrEqual(budget + ROW);
      expect(Array.from(c.values[0])).toEqual(Array.from({ length: c.draws }, (_, m) => m * 2048));
      expect(Array.from(c.values[1])).toEqual(Array.from({ length: c.draws }, (_, m) => -m * 2048));
    }
  });

  it("reads every step-th draw when asked for at most maxPerChain per chain (live summaries), all otherwise", () => {
    const store = new DrawStore(2, 1e6);
    for (let i = 0; i < 2500; i++) for (const chain of [1, 2]) store.add(chain, [i, chain * 1e6 + i], statsOf(chain, i));
    // 2500 draws, at most 1000: step ceil(2500 / 1000) = 3, draws 0, 3, …, 2499: 834 of them.
    const { chains, step } = store.chainDraws(1000);
    expect(step).toBe(3);
    for (const c of chains) expect(rowsOf(c)).toEqual(Array.from({ length: 834 }, (_, t) => row(c.chain, 3 * t)));
    expect(store.chainDraws().step).toBe(1);
    expect(store.chainDraws(2500).chains[0].draws).toBe(2500);
  });
});
