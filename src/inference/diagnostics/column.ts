/**
 * One quantity's draws pooled into buffers that are reused from column to
 * column, and every measure of a summary row computed from them. One sort
 * serves the quantiles, the ranks of the split chains and, merging its two
 * sides around the median, the ranks of the folded draws. The single-measure
 * functions (`essBulk`, `rhat`, …) and `summarizeColumn` all go through here,
 * so they agree to the bit.
 * @module
 */
import { type Chains, drawsPerChain, isDegenerateRange, variance } from "./chains.ts";
import { essGeyer } from "./geyer.ts";
import { quantileSorted } from "./quantile.ts";
import { foldSorted, scatterNormalScores, tieRanks } from "./rank.ts";
import { rhatOfChains } from "./scaleReduction.ts";
import { argsort } from "./sort.ts";

/** The measures of one quantity's draws (chains × draws, equal lengths), as posterior computes them. */
export class PooledColumn {
  private chains = -1;
  private draws = -1;
  /** The draws, chain after chain. */
  private x = new Float64Array(0);
  /** Derived draws (folded, indicators, squares) in the layout of `x`; each measure refills it. */
  private work = new Float64Array(0);
  /** Rank-normal scores of the split chains in the layout of `x`. */
  private bulk = new Float64Array(0);
  private order = new Int32Array(0);
  private sorted = new Float64Array(0);
  /** `order` and `sorted` without the middle draws that splitting an odd length drops (themselves otherwise). */
  private splitOrder = new Int32Array(0);
  private splitSorted = new Float64Array(0);
  private splitCount = 0;
  /** Scratch of sorted length: ranks, folded draws. */
  private ranks = new Float64Array(0);
  private foldOrder = new Int32Array(0);
  /** Split chains (posterior's order: all first halves, then all second halves) as views of the buffers. */
  private xSplit: Float64Array[] = [];
  private workSplit: Float64Array[] = [];
  private bulkSplit: Float64Array[] = [];
  private sum = 0;
  private hasNaN = false;
  private degenerate = false;
  private sdValue: number | undefined;
  private sortedReady = false;
  private bulkNaN: boolean | undefined;

  /** Takes a new quantity's draws; buffers are reallocated only when the shape changes. */
  load(chains: Chains): this {
    const n = drawsPerChain(chains);
    const m = chains.length;
    if (m !== this.chains || n !== this.draws) this.resize(m, n);
    const x = this.x;
    let k = 0;
    let sum = 0;
    let lo = Infinity;
    let hi = -Infinity;
    let finite = true;
    for (let c = 0; c < m; c++) {
      const chain = chains[c];
      for (let i = 0; i < n; i++) {
        const v = chain[i];
        x[k++] = v;
        sum += v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        if (v - v !== 0) finite = false;
      }
    }
    this.sum = sum;
    this.degenerate = isDegenerateRange(lo, hi, finite);
    this.hasNaN = !finite && x.some(Number.isNaN);
    this.sdValue = undefined;
    this.sortedReady = false;
    this.bulkNaN = undefined;
    return this;
  }

  private resize(m: number, n: number): void {
    const s = m * n;
    const half = Math.floor(n / 2);
    this.chains = m;
    this.draws = n;
    this.x = new Float64Array(s);
    this.work = new Float64Array(s);
    this.bulk = new Float64Array(s);
    this.sorted = new Float64Array(s);
    this.order = new Int32Array(s);
    this.ranks = new Float64Array(s);
    this.foldOrder = new Int32Array(s);
    const dropsMiddle = n > 1 && n % 2 === 1;
    this.splitOrder = dropsMiddle ? new Int32Array(s) : this.order;
    this.splitSorted = dropsMiddle ? new Float64Array(s) : this.sorted;
    this.splitCount = n === 1 ? s : 2 * m * half;
    // As posterior's .split_chains: a chain of one draw stays whole.
    const split = (b: Float64Array) =>
      n === 1
        ? Array.from({ length: m }, (_, c) => b.subarray(c, c + 1))
        : [
            ...Array.from({ length: m }, (_, c) => b.subarray(c * n, c * n + half)),
            ...Array.from({ length: m }, (_, c) => b.subarray((c + 1) * n - half, (c + 1) * n)),
          ];
    this.xSplit = split(this.x);
    this.workSplit = split(this.work);
    this.bulkSplit = split(this.bulk);
  }

  /** The draws sorted ascending (NaN last), sorting on first use. */
  sortedDraws(): Float64Array {
    if (this.sortedReady) return this.sorted;
    const { x, order, sorted, splitOrder, splitSorted } = this;
    argsort(x, order);
    for (let k = 0; k < x.length; k++) sorted[k] = x[order[k]];
    if (splitOrder !== order) {
      const n = this.draws;
      const middle = Math.floor(n / 2);
      let j = 0;
      for (let k = 0; k < order.length; k++) {
        if (order[k] % n === middle) continue;
        splitOrder[j] = order[k];
        splitSorted[j++] = sorted[k];
      }
    }
    this.sortedReady = true;
    return sorted;
  }

  /** Mean of all draws. */
  mean(): number {
    return this.sum / this.x.length;
  }

  /** Standard deviation of all draws (n − 1 denominator). */
  sd(): number {
    this.sdValue ??= Math.sqrt(variance(this.x));
    return this.sdValue;
  }

  /** Type-7 quantile of all draws; NaN if any draw is NaN. */
  quantile(p: number): number {
    return this.hasNaN ? NaN : quantileSorted(this.sortedDraws(), p);
  }

  /** Rank-normal scores of the split chains, or undefined when a draw in them is NaN. */
  private bulkScores(): Float64Array[] | undefined {
    if (this.bulkNaN === undefined) {
      this.sortedDraws();
      const { splitSorted, splitOrder, splitCount: count, ranks } = this;
      this.bulkNaN = count > 0 && Number.isNaN(splitSorted[count - 1]);
      if (!this.bulkNaN) {
        tieRanks(splitSorted, count, ranks);
        scatterNormalScores(ranks, splitOrder, count, count, this.bulk);
      }
    }
    return this.bulkNaN ? undefined : this.bulkSplit;
  }

  /** ESS of the rank-normalized split chains (posterior's `ess_bulk`). */
  essBulk(): number {
    const z = this.bulkScores();
    return z === undefined ? NaN : essGeyer(z);
  }

  /** R-hat of the rank-normalized split chains. */
  rhatBulk(): number {
    const z = this.bulkScores();
    return z === undefined ? NaN : rhatOfChains(z);
  }

  /** R-hat of the rank-normalized split chains of |x − median|. */
  rhatTail(): number {
    const median = this.quantile(0.5);
    // An infinite or NaN median leaves a NaN among the folded draws.
    if (!Number.isFinite(median)) return NaN;
    const { splitSorted, splitOrder, splitCount: count, ranks: folded, foldOrder } = this;
    foldSorted(splitSorted, splitOrder, count, median, folded, foldOrder);
    tieRanks(folded, count, folded);
    scatterNormalScores(folded, foldOrder, count, count, this.work);
    return rhatOfChains(this.workSplit);
  }

  /** The larger of bulk and tail R-hat (posterior's `rhat`). */
  rhat(): number {
    // Math.max propagates NaN, as R's max does NA.
    return Math.max(this.rhatBulk(), this.rhatTail());
  }

  /** ESS of the split chains of I(x ≤ q̂ₚ) (posterior's `ess_quantile`). */
  essQuantile(p: number): number {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability must be in [0, 1], got ${p}`);
    if (this.degenerate) return NaN;
    const sorted = this.sortedDraws();
    const prob = p === 1 ? (sorted.length - 0.5) / sorted.length : p;
    const q = quantileSorted(sorted, prob);
    const { x, work } = this;
    for (let i = 0; i < x.length; i++) work[i] = x[i] <= q ? 1 : 0;
    return essGeyer(this.workSplit);
  }

  /** The smaller of the 5 % and 95 % quantiles' ESS (posterior's `ess_tail`). */
  essTail(): number {
    // Math.min propagates NaN, as R's min does NA.
    return Math.min(this.essQuantile(0.05), this.essQuantile(0.95));
  }

  /** ESS of the split chains as they are (posterior's `ess_mean`). */
  essMean(): number {
    return essGeyer(this.xSplit);
  }

  /** sd / √ESS_mean (posterior's `mcse_mean`). */
  mcseMean(): number {
    return this.sd() / Math.sqrt(this.essMean());
  }

  /** MCSE of the sd from the moments of the squared centred draws and their ESS (posterior's `mcse_sd`). */
  mcseSd(): number {
    const sq = this.work;
    squaredDeviations(this.x, this.mean(), sq);
    const ess = essGeyer(this.workSplit);
    const [s1, s2] = sums(sq);
    const m2 = s1 / sq.length;
    const m4 = s2 / sq.length;
    const varVar = (m4 - m2 * m2) / ess;
    return Math.sqrt(varVar / m2 / 4);
  }
}

// mcseSd's loops live in functions that end with them: V8 (Node 20) compiled
// the long loop on its first run (OSR), before the code after it had run, and
// that code then deoptimized on every later call (--trace-deopt showed it
// here, in argsort and in the fold).

/** `out[i] = (x[i] − mu)²`. */
function squaredDeviations(x: Float64Array, mu: number, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - mu) * (x[i] - mu);
}

/** Σ vᵢ and Σ vᵢ². */
function sums(v: Float64Array): [number, number] {
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < v.length; i++) {
    s1 += v[i];
    s2 += v[i] * v[i];
  }
  return [s1, s2];
}

const shared = new PooledColumn();

/**
 * `chains` loaded into the one shared {@link PooledColumn}: valid until the
 * next call, which reuses its buffers.
 *
 * @example
 * ```ts
 * pooled([chain1, chain2]).essBulk(); // as essBulk([chain1, chain2])
 * ```
 */
export function pooled(chains: Chains): PooledColumn {
  return shared.load(chains);
}
