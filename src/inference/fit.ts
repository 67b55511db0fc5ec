/**
 * The result of sampling: draws by site (typed from the model), per-chain
 * columns and statistics, summaries, diagnostics, posterior predictive draws
 * and pointwise log-likelihoods.
 * @module
 */
import type { CompiledDensity } from "../codegen/density.ts";
import type { Model, Outputs } from "../dsl/model.ts";
import { nest, type DrawsOf } from "../interpreters/prior.ts";
import { logDensity } from "../interpreters/logDensity.ts";
import { ebfmi } from "./diagnostics/ebfmi.ts";
import { formatSummaryTable, type SummaryRow, summarizeColumn } from "./diagnostics/summary.ts";
import type { ChainDraws, ValueLayout } from "./draws.ts";
import { elementNames } from "./elementNames.ts";
import { posteriorPredictive } from "./predictive.ts";

/** The settings a fit was sampled with (what `run.json` records). */
export interface FitSettings {
  readonly chains: number;
  readonly draws: number;
  readonly warmup: number;
  readonly seed: number;
  readonly thin: number;
  readonly targetAccept: number;
  readonly maxDepth: number;
  readonly metric: "diag" | "dense";
  readonly saveWarmup: boolean;
}

/** One row of {@link Fit.summary}: a scalar element and its summary. */
export interface NamedSummaryRow extends SummaryRow {
  /** Stan's name of the element: `theta[1]`. */
  readonly name: string;
}

/** Sampler diagnostics of a fit, with plain-word warnings. */
export interface FitDiagnostics {
  /** Divergent transitions after warm-up, per chain. */
  readonly divergences: readonly number[];
  /** Transitions after warm-up that hit the maximum tree depth, per chain. */
  readonly treeDepthHits: readonly number[];
  /** Energy Bayesian fraction of missing information, per chain (below 0.3 is a problem). */
  readonly ebfmi: readonly number[];
  /** Leapfrog steps whose density threw or was not finite, per chain (each counted as a divergence). */
  readonly recovered: readonly number[];
  /** Everything that deserves attention, in words; empty when all is well. */
  readonly warnings: readonly string[];
}

/**
 * A posterior sample.
 *
 * @example
 * ```ts
 * const fit = await sample(eightSchools, data, { seed: 1 });
 * fit.draws.tau;              // number[]: every kept draw of tau, chain 1 first
 * fit.summary();              // per element: mean, sd, quantiles, ESS, R-hat, MCSE
 * fit.diagnostics().warnings; // divergences, tree depth, E-BFMI, R-hat, ESS in words
 * ```
 */
export class Fit<D = unknown, O extends Outputs = Outputs> {
  private drawsCache: DrawsOf<O> | undefined;

  constructor(
    readonly model: Model<D, O>,
    readonly data: D,
    readonly density: CompiledDensity,
    readonly settings: FitSettings,
    /** Per chain, the kept draws (warm-up first when saved). */
    readonly chains: readonly ChainDraws[],
    /** Per chain, the unconstrained position of each kept draw. */
    private readonly thetas: readonly (readonly Float64Array[])[],
  ) {}

  /** The layout of the reported values (parameters, then deterministics). */
  get valueLayout(): ValueLayout {
    return this.density.valueLayout;
  }

  /** Post-warm-up draws of value column `j`, one array per chain. */
  column(j: number): Float64Array[] {
    return this.chains.map((c) => c.values[j].subarray(c.warmup));
  }

  /** Every site's post-warm-up draws, chains concatenated, nested as the site's shape. */
  get draws(): DrawsOf<O> {
    if (this.drawsCache === undefined) {
      const out = new Map<string, unknown[]>();
      for (const e of this.valueLayout) {
        const list: unknown[] = [];
        const buf = new Float64Array(e.size);
        for (const c of this.chains) {
          for (let i = c.warmup; i < c.warmup + c.draws; i++) {
            for (let j = 0; j < e.size; j++) buf[j] = c.values[e.offset + j][i];
            list.push(nest(buf, e.shape));
          }
        }
        out.set(e.name, list);
      }
      this.drawsCache = Object.fromEntries(out) as DrawsOf<O>;
    }
    return this.drawsCache;
  }

  /** Summary of every scalar element, as Stan names it (`theta[1]`). */
  summary(): NamedSummaryRow[] {
    return elementNames(this.valueLayout).map((name, j) => ({ name, ...summarizeColumn(this.column(j)) }));
  }

  /** The summary as an aligned text table. */
  summaryTable(): string {
    return formatSummaryTable(this.summary().map(({ name, ...row }) => ({ name, row })));
  }

  /** Divergences, tree-depth hits, E-BFMI and recovered faults per chain, with warnings in words. */
  diagnostics(): FitDiagnostics {
    const after = (c: ChainDraws, s: keyof ChainDraws["stats"]) => c.stats[s].subarray(c.warmup);
    const count = (xs: Float64Array, pred: (x: number) => boolean) => xs.reduce((n, x) => n + (pred(x) ? 1 : 0), 0);
    const divergences = this.chains.map((c) => count(after(c, "divergent"), (x) => x !== 0));
    const treeDepthHits = this.chains.map((c) => count(after(c, "treeDepth"), (x) => x >= this.settings.maxDepth));
    const bfmi = this.chains.map((c) => ebfmi(after(c, "energy")));
    const recovered = this.chains.map((c) => after(c, "recovered").reduce((a, b) => a + b, 0));
    const total = this.chains.reduce((n, c) => n + c.draws, 0);
    const warnings: string[] = [];
    const div = divergences.reduce((a, b) => a + b, 0);
    if (div > 0) {
      warnings.push(
        `${div} of ${total} transitions after warm-up diverged (${((100 * div) / total).toFixed(1)}%): the sampler missed part of the posterior; ` +
          "raise targetAccept (e.g. 0.95) or reparameterize the model",
      );
    }
    const hits = treeDepthHits.reduce((a, b) => a + b, 0);
    if (hits > 0) warnings.push(`${hits} transitions hit the maximum tree depth of ${this.settings.maxDepth}: raise maxDepth or improve the parameterization`);
    bfmi.forEach((b, k) => {
      if (b < 0.3) warnings.push(`chain ${k + 1} has E-BFMI ${b.toFixed(3)} (< 0.3): the momentum resampling explores the energy poorly; reparameterize`);
    });
    const rec = recovered.reduce((a, b) => a + b, 0);
    if (rec > 0) warnings.push(`${rec} leapfrog steps met a density that threw or was not finite; they were treated as divergences`);
    if (total > 0) {
      const rows = this.summary();
      const badRhat = rows.filter((r) => r.rhat > 1.01).map((r) => r.name);
      if (badRhat.length > 0) warnings.push(`R-hat above 1.01 for ${listNames(badRhat)}: the chains disagree; run longer or check the model`);
      const minEss = 100 * this.chains.length;
      const lowEss = rows.filter((r) => r.ess_bulk < minEss || r.ess_tail < minEss).map((r) => r.name);
      if (lowEss.length > 0) warnings.push(`bulk or tail ESS below ${minEss} for ${listNames(lowEss)}: estimates are unreliable; draw more`);
    }
    return { divergences, treeDepthHits, ebfmi: bfmi, recovered, warnings };
  }

  /** Posterior predictive draws of every observed site, one per kept draw (chains concatenated). */
  predictive(opts: { seed?: number } = {}): Record<string, Float64Array[]> {
    return posteriorPredictive(this.model, this.data, this.postWarmupValues(), opts.seed ?? this.settings.seed);
  }

  /** Pointwise log-likelihood of every observed site at each kept draw (chains concatenated). */
  logLik(): Record<string, Float64Array[]> {
    const ref = logDensity(this.model, this.data);
    const out = new Map<string, Float64Array[]>();
    for (const [k, c] of this.chains.entries()) {
      for (const theta of this.thetas[k].slice(c.warmup)) {
        for (const [name, v] of Object.entries(ref.logLik(theta))) {
          const list = out.get(name) ?? [];
          list.push(v);
          out.set(name, list);
        }
      }
    }
    return Object.fromEntries(out);
  }

  /** Constrained parameter values of each kept draw by site name. */
  private postWarmupValues(): Record<string, Float64Array>[] {
    const params = this.valueLayout.filter((e) => e.kind === "parameter");
    return this.chains.flatMap((c) =>
      Array.from({ length: c.draws }, (_, i) =>
        Object.fromEntries(params.map((e) => [e.name, Float64Array.from({ length: e.size }, (_, j) => c.values[e.offset + j][c.warmup + i])])),
      ),
    );
  }
}

function listNames(names: readonly string[]): string {
  return names.length <= 5 ? names.join(", ") : `${names.slice(0, 5).join(", ")} and ${names.length - 5} more`;
}
