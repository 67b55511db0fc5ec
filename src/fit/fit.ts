/**
 * The result of sampling: draws by site (typed from the model), per-chain
 * columns and statistics, summaries, diagnostics, posterior predictive draws
 * and pointwise log-likelihoods.
 * @module
 */
import type { Model, Outputs } from "../dsl/model.ts";
import { nest, type DrawsOf } from "../interpreters/prior.ts";
import { logDensity } from "../interpreters/logDensity.ts";
import { formatSummaryTable } from "../inference/diagnostics/summary.ts";
import type { FitSettings } from "../inference/options.ts";
import type { ChainDraws } from "../inference/draws.ts";
import { column, diagnose, type FitDiagnostics, type NamedSummaryRow } from "../inference/diagnostics/report.ts";
import { posteriorPredictive } from "./predictive.ts";
import { summarizeInThreads } from "../runtime/summaryInThreads.ts";
import { loo, type LooResult, relativeEff, waic, type WaicResult } from "../inference/diagnostics/loo.ts";
import type { Numeric } from "../tensor/shape.ts";
import type { ValueLayout } from "../tensor/layout.ts";

export type { FitDiagnostics, NamedSummaryRow } from "../inference/diagnostics/report.ts";

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
  private summaryCache: readonly NamedSummaryRow[] | undefined;

  constructor(
    /** The layout of the reported values (parameters, then deterministics). */
    readonly valueLayout: ValueLayout,
    readonly settings: FitSettings,
    /** Per chain, the kept draws (warm-up first when saved). */
    readonly chains: readonly ChainDraws[],
    /** The model and data the draws came from; absent for a fit read from files without them. */
    readonly source?: { readonly model: Model<D, O>; readonly data: D },
  ) {}

  private needSource(what: string): { readonly model: Model<D, O>; readonly data: D } {
    if (this.source === undefined)
      throw new Error(`${what} needs the model and its data: pass them when reading the fit (readFit(dir, model, data))`);
    return this.source;
  }

  /** Post-warm-up draws of value column `j`, one array per chain. */
  column(j: number): Float64Array[] {
    return column(this.chains, j);
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

  /** Summary of every scalar element, as Stan names it (`theta[1]`); computed once, on every core when the columns are many. */
  summary(): readonly NamedSummaryRow[] {
    this.summaryCache ??= summarizeInThreads(this.valueLayout, this.chains);
    return this.summaryCache;
  }

  /** The summary as an aligned text table. */
  summaryTable(): string {
    return formatSummaryTable(this.summary().map(({ name, ...row }) => ({ name, row })));
  }

  /** Divergences, tree-depth hits, E-BFMI and recovered faults per chain, with warnings in words. */
  diagnostics(): FitDiagnostics {
    return diagnose(this.chains, this.summary(), this.settings.maxDepth, this.settings.sampler ?? "nuts");
  }

  /** Posterior predictive draws of every observed site, one per kept draw (chains concatenated). */
  predictive(opts: { seed?: number } = {}): Record<string, Float64Array[]> {
    const { model, data } = this.needSource("predictive()");
    return posteriorPredictive(model, data, this.postWarmupValues(), opts.seed ?? this.settings.seed);
  }

  /** Pointwise log-likelihood of every observed site at each kept draw (chains concatenated). */
  logLik(): Record<string, Float64Array[]> {
    const { model, data } = this.needSource("logLik()");
    const ref = logDensity(model, data);
    const out = new Map<string, Float64Array[]>();
    for (const values of this.postWarmupValues()) {
      const nested = Object.fromEntries(
        this.valueLayout.filter((e) => e.kind === "parameter").map((e) => [e.name, nest(values[e.name], e.shape) as Numeric]),
      );
      for (const [name, v] of Object.entries(ref.logLikConstrained(nested))) {
        const list = out.get(name) ?? [];
        list.push(v);
        out.set(name, list);
      }
    }
    return Object.fromEntries(out);
  }

  /**
   * PSIS-LOO (Vehtari, Gelman & Gabry 2017), as the R package loo computes
   * it from this fit's pointwise log-likelihood (every observed site's
   * elements, in model order): elpd_loo, p_loo, looic with their standard
   * errors, and Pareto k̂ per observation with the verdicts in words. The
   * relative efficiency of each observation's draws comes from the chains
   * (`loo::relative_eff`); draws of the methods other than NUTS count as
   * independent.
   *
   * @example
   * ```ts
   * const fit = await sample(eightSchools, data, { seed: 1, chains: 2, draws: 300, warmup: 300 });
   * const loo = fit.loo();
   * loo.elpdLoo, loo.seElpdLoo, loo.pLoo; // as loo::loo prints them
   * loo.warnings;                         // e.g. observations with k̂ > 0.7
   * ```
   */
  loo(): LooResult {
    const { matrix, draws, observations } = this.logLikMatrix();
    return loo(matrix, draws, observations, { rEff: this.relativeEfficiency(matrix, draws, observations) });
  }

  /** WAIC (Watanabe 2010) from the pointwise log-likelihood, as `loo::waic`. */
  waic(): WaicResult {
    const { matrix, draws, observations } = this.logLikMatrix();
    return waic(matrix, draws, observations);
  }

  /** loo::relative_eff of each observation's likelihood draws: by chain for NUTS, 1 for independent draws. */
  protected relativeEfficiency(matrix: Float64Array, draws: number, observations: number): Float64Array | number {
    const equal = this.chains.every((c) => c.draws === this.chains[0].draws);
    return this.chains.length > 1 && equal ? relativeEff(matrix, draws, observations, this.chains.length) : 1;
  }

  /** The pointwise log-likelihood as a draws × observations matrix (row-major), observed sites in model order. */
  private logLikMatrix(): { matrix: Float64Array; draws: number; observations: number } {
    const sites = Object.values(this.logLik());
    if (sites.length === 0) throw new Error("loo() needs observed sites: the model observes nothing");
    const draws = sites[0].length;
    const observations = sites.reduce((n, s) => n + s[0].length, 0);
    const matrix = new Float64Array(draws * observations);
    for (let t = 0; t < draws; t++) {
      let at = t * observations;
      for (const s of sites) {
        matrix.set(s[t], at);
        at += s[t].length;
      }
    }
    return { matrix, draws, observations };
  }

  /** Constrained parameter values of each kept draw by site name. */
  private postWarmupValues(): Record<string, Float64Array>[] {
    const params = this.valueLayout.filter((e) => e.kind === "parameter");
    return this.chains.flatMap((c) =>
      Array.from({ length: c.draws }, (_, i) =>
        Object.fromEntries(
          params.map((e) => [e.name, Float64Array.from({ length: e.size }, (_, j) => c.values[e.offset + j][c.warmup + i])]),
        ),
      ),
    );
  }
}
