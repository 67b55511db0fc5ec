/**
 * The post-warm-up draws of a run, for summaries recomputed as draws arrive,
 * in bounded memory: when the stored numbers would pass the budget, every
 * chain keeps every other draw (and from then on every `thin`-th), so a
 * run of any length costs at most the budget; the summary then says so.
 * @module
 */
import type { ChainDraws, DrawStats } from "../inference/draws.ts";
import { DrawColumns } from "../runtime/drawColumns.ts";

/** One chain's columns, and how many post-warm-up draws it received (kept or not). */
class ChainColumns extends DrawColumns {
  received = 0;

  /** Keeps every other draw. */
  halve(): void {
    for (const c of this.columns) for (let k = 0; 2 * k < this.length; k++) c[k] = c[2 * k];
    this.length = Math.ceil(this.length / 2);
  }
}

/** Post-warm-up draws of every chain. */
export class DrawStore {
  /** Every `thin`-th post-warm-up draw is kept (1 until the budget is reached). */
  thin = 1;
  private readonly chains = new Map<number, ChainColumns>();
  /** Numbers stored over all chains. */
  private stored = 0;

  /**
   * @param size Values per draw.
   * @param budget Numbers (values and statistics) kept at most.
   */
  constructor(
    private readonly size: number,
    private readonly budget: number,
  ) {}

  /** Takes a post-warm-up draw of `chain`. */
  add(chain: number, values: readonly number[], stats: DrawStats): void {
    let c = this.chains.get(chain);
    if (c === undefined) this.chains.set(chain, (c = new ChainColumns(this.size)));
    if (c.received++ % this.thin !== 0) return;
    c.push(values, stats);
    this.stored += c.columns.length;
    if (this.stored > this.budget) {
      this.thin *= 2;
      this.stored = 0;
      for (const chain of this.chains.values()) {
        chain.halve();
        this.stored += chain.length * chain.columns.length;
      }
    }
  }

  /**
   * The chains with draws, cut to the shortest (summaries need equal
   * lengths), as {@link ChainDraws}; with more than `maxPerChain` draws,
   * every `step`-th (copied), else all (no copies).
   */
  chainDraws(maxPerChain = Infinity): { chains: ChainDraws[]; step: number } {
    const chains = [...this.chains.entries()].sort(([a], [b]) => a - b);
    const n = Math.min(...chains.map(([, c]) => c.length));
    const step = n > maxPerChain ? Math.ceil(n / maxPerChain) : 1;
    const take = (col: Float64Array) =>
      step === 1 ? col.subarray(0, n) : Float64Array.from({ length: Math.ceil(n / step) }, (_, i) => col[i * step]);
    return {
      step,
      chains: chains.map(([chain, c]) => ({
        chain,
        warmup: 0,
        draws: Math.ceil(n / step),
        ...c.draws(take),
      })),
    };
  }
}
