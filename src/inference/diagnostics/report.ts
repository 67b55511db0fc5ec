/**
 * Summaries and sampler diagnostics of a set of chains, with warnings in
 * plain words. Shared by {@link Fit} and `sampo summary` (which reads CSV
 * files and has no model).
 * @module
 */
import { ebfmi } from "./ebfmi.ts";
import { summarizeColumn } from "./summary.ts";
import type { SummaryRow } from "./format.ts";
import type { ChainDraws } from "../draws.ts";
import { elementNames } from "../../tensor/layout.ts";
import type { ValueLayout } from "../../tensor/layout.ts";

/** One summary row: a scalar element, named as Stan names it (`theta[1]`), and its summary. */
export interface NamedSummaryRow extends SummaryRow {
  readonly name: string;
}

/** Sampler diagnostics, with plain-word warnings. */
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

/** Post-warm-up draws of value column `j`, one array per chain. */
export function column(chains: readonly ChainDraws[], j: number): Float64Array[] {
  return chains.map((c) => c.values[j].subarray(c.warmup, c.warmup + c.draws));
}

/** Post-warm-up draws of sampler statistic `name` of chain `c`. */
export function statAfter(c: ChainDraws, name: keyof ChainDraws["stats"]): Float64Array {
  return c.stats[name].subarray(c.warmup, c.warmup + c.draws);
}

/** The summary of every scalar element. */
export function summarize(layout: ValueLayout, chains: readonly ChainDraws[]): NamedSummaryRow[] {
  return elementNames(layout).map((name, j) => ({ name, ...summarizeColumn(column(chains, j)) }));
}

/** The summary keyed by element name, as `summary.json` and the reference files have it. */
export function summaryRecord(rows: readonly NamedSummaryRow[]): Record<string, SummaryRow> {
  return Object.fromEntries(rows.map(({ name, ...row }) => [name, row]));
}

function listNames(names: readonly string[]): string {
  return names.length <= 5 ? names.join(", ") : `${names.slice(0, 5).join(", ")} and ${names.length - 5} more`;
}

/**
 * The ESS below which estimates are called unreliable: 100 per chain, as
 * Stan and ArviZ ask of a few long chains. Lockstep runs have hundreds of
 * short chains pooled into one estimate: they are held to what a standard
 * 4-chain run needs, 400 in total.
 */
function minEssOf(chains: number, sampler: "nuts" | "lockstep"): number {
  return sampler === "lockstep" ? 400 : 100 * chains;
}

/** Divergences, tree-depth hits, E-BFMI, recovered faults, R-hat and ESS, with warnings in words. */
export function diagnose(
  chains: readonly ChainDraws[],
  rows: readonly NamedSummaryRow[],
  maxDepth: number,
  sampler: "nuts" | "lockstep" = "nuts",
): FitDiagnostics {
  const count = (xs: Float64Array, pred: (x: number) => boolean) => xs.reduce((n, x) => n + (pred(x) ? 1 : 0), 0);
  const total = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const divergences = chains.map((c) => count(statAfter(c, "divergent"), (x) => x !== 0));
  const treeDepthHits = chains.map((c) => count(statAfter(c, "treeDepth"), (x) => x >= maxDepth));
  const bfmi = chains.map((c) => ebfmi(statAfter(c, "energy")));
  const recovered = chains.map((c) => total(Array.from(statAfter(c, "recovered"))));
  const draws = total(chains.map((c) => c.draws));
  const warnings: string[] = [];
  const div = total(divergences);
  if (div > 0) {
    warnings.push(
      `${div} of ${draws} transitions after warm-up diverged (${((100 * div) / draws).toFixed(1)}%): the sampler missed part of the posterior; ` +
        "raise the target acceptance (e.g. 0.95) or reparameterize the model",
    );
  }
  const hits = total(treeDepthHits);
  if (hits > 0) warnings.push(`${hits} transitions hit the maximum tree depth of ${maxDepth}: raise it or improve the parameterization`);
  bfmi.forEach((b, k) => {
    if (b < 0.3)
      warnings.push(
        `chain ${chains[k].chain} has E-BFMI ${b.toFixed(3)} (< 0.3): momentum resampling explores the energy poorly; reparameterize`,
      );
  });
  const rec = total(recovered);
  if (rec > 0) warnings.push(`${rec} leapfrog steps met a density that threw or was not finite; they were treated as divergences`);
  const badRhat = rows.filter((r) => r.rhat > 1.01).map((r) => r.name);
  if (badRhat.length > 0) warnings.push(`R-hat above 1.01 for ${listNames(badRhat)}: the chains disagree; run longer or check the model`);
  const minEss = minEssOf(chains.length, sampler);
  const lowEss = rows.filter((r) => r.ess_bulk < minEss || r.ess_tail < minEss).map((r) => r.name);
  if (lowEss.length > 0) warnings.push(`bulk or tail ESS below ${minEss} for ${listNames(lowEss)}: estimates are unreliable; draw more`);
  return { divergences, treeDepthHits, ebfmi: bfmi, recovered, warnings };
}
