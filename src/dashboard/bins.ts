/**
 * Histograms of draws over common bins, and rank histograms (Vehtari et al.
 * 2021's rank plot): the live page's marginals and the report's plots.
 * @module
 */
import { averageRanks } from "../inference/diagnostics/rank.ts";

/** `bins` equal-width bins over the finite values of `columns` (a unit interval when there is no spread), as bins + 1 edges. */
export function edgesOver(columns: readonly ArrayLike<number>[], bins: number): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of columns)
    for (let i = 0; i < c.length; i++) if (Number.isFinite(c[i])) [lo, hi] = [Math.min(lo, c[i]), Math.max(hi, c[i])];
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (!(hi > lo)) [lo, hi] = [lo - 0.5, lo + 0.5];
  return Array.from({ length: bins + 1 }, (_, b) => lo + ((hi - lo) * b) / bins);
}

/** Finite values of `xs` per bin of `edges` (values outside go to the first or last bin). */
export function binCounts(xs: ArrayLike<number>, edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const width = (edges[bins] - edges[0]) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < xs.length; i++)
    if (Number.isFinite(xs[i])) counts[Math.min(bins - 1, Math.max(0, Math.floor((xs[i] - edges[0]) / width)))]++;
  return counts;
}

/** Per chain (equal lengths), draws per rank bin, ranks taken over all chains pooled, `bins` equal bins. */
export function rankCounts(chains: readonly ArrayLike<number>[], bins: number): number[][] {
  const n = chains[0].length;
  const pooled = new Float64Array(n * chains.length);
  chains.forEach((c, k) => pooled.set(c, k * n));
  const r = averageRanks(pooled);
  const per = pooled.length / bins;
  return chains.map((_, k) => {
    const h = new Array<number>(bins).fill(0);
    for (let i = 0; i < n; i++) {
      const rank = r[k * n + i];
      if (!Number.isNaN(rank)) h[Math.min(bins - 1, Math.floor((rank - 1) / per))]++;
    }
    return h;
  });
}
