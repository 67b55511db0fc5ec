/**
 * Runs the R package loo (Debian's r-cran-loo, installed when missing) on
 * inputs from a test, one Rscript process per call, JSON in and out; and the
 * table of agreement tests between sampo's loo module and R's.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loo, looCompare, type LooResult, relativeEff, waic, type WaicResult } from "../../../src/inference/diagnostics/loo.ts";
import { ensureDebianPackage } from "../../helpers/debian.ts";

/**
 * Runs `script` (R code that reads the list `input` and assigns the list
 * `output`) with loo and jsonlite attached, and returns `output`. Numbers
 * come back with 15 significant digits (jsonlite's maximum); R's Inf, -Inf
 * and NaN come back as numbers.
 */
export function runLoo(script: string, input: unknown): Record<string, unknown> {
  ensureDebianPackage(["r-cran-loo", "r-cran-jsonlite"], ["Rscript", "-e", "library(loo); library(jsonlite)"]);
  const dir = mkdtempSync(join(tmpdir(), "sampo-loo-"));
  try {
    writeFileSync(join(dir, "input.json"), JSON.stringify(input));
    const wrapped = [
      "suppressPackageStartupMessages({ library(loo); library(jsonlite) })",
      `input <- fromJSON(${JSON.stringify(join(dir, "input.json"))}, simplifyVector = FALSE)`,
      script,
      `writeLines(toJSON(output, digits = NA, na = "string", auto_unbox = TRUE), ${JSON.stringify(join(dir, "output.json"))})`,
    ].join("\n");
    writeFileSync(join(dir, "script.R"), wrapped);
    execFileSync("Rscript", [join(dir, "script.R")], { stdio: ["ignore", "ignore", "pipe"] });
    const special: Record<string, number> = { Inf: Infinity, "-Inf": -Infinity, NaN: NaN };
    return JSON.parse(readFileSync(join(dir, "output.json"), "utf8"), (_, v) => (typeof v === "string" && v in special ? special[v] : v));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A pointwise log-likelihood matrix (draws × observations, row-major, chain after chain). */
export interface LogLikCase {
  readonly logLik: Float64Array;
  readonly draws: number;
  readonly observations: number;
  readonly chains: number;
}

/** What R's loo says about one case. */
export interface RLoo {
  readonly rEff: number[];
  readonly loo: { estimates: number[]; elpdLoo: number[]; pLoo: number[]; looic: number[]; khat: number[]; mcse: number[] };
  readonly waic: { estimates: number[]; elpdWaic: number[]; pWaic: number[] };
}

/** R's `loo_compare` of two cases: row names (best first), elpd_diff and se_diff. */
export interface RCompare {
  readonly names: string[];
  readonly elpdDiff: number[];
  readonly seDiff: number[];
}

/**
 * In one R process: `relative_eff(exp(ll), chain_id)`, `loo(ll, r_eff)` and
 * `waic(ll)` for every case, and `loo_compare` of the two cases named.
 */
export function looInR(
  cases: Readonly<Record<string, LogLikCase>>,
  compare: readonly [string, string],
): { fits: Record<string, RLoo>; compare: RCompare } {
  const out = runLoo(
    `mat <- function(c) matrix(unlist(c$logLik), nrow = c$draws, ncol = c$observations, byrow = TRUE)
     fits <- lapply(input$cases, function(c) {
       ll <- mat(c)
       r <- relative_eff(exp(ll), chain_id = rep(seq_len(c$chains), each = c$draws / c$chains))
       l <- suppressWarnings(loo(ll, r_eff = r))
       w <- suppressWarnings(waic(ll))
       list(rEff = r, obj = l, loo = list(estimates = as.vector(l$estimates), elpdLoo = l$pointwise[, "elpd_loo"],
            pLoo = l$pointwise[, "p_loo"], looic = l$pointwise[, "looic"], khat = l$diagnostics$pareto_k,
            mcse = l$pointwise[, "mcse_elpd_loo"]),
            waic = list(estimates = as.vector(w$estimates), elpdWaic = w$pointwise[, "elpd_waic"], pWaic = w$pointwise[, "p_waic"]))
     })
     pair <- unlist(input$compare)
     cmp <- loo_compare(setNames(lapply(pair, function(n) fits[[n]]$obj), pair))
     output <- list(fits = lapply(fits, function(f) f[c("rEff", "loo", "waic")]),
                    compare = list(names = rownames(cmp), elpdDiff = cmp[, "elpd_diff"], seDiff = cmp[, "se_diff"]))`,
    { cases: Object.fromEntries(Object.entries(cases).map(([k, c]) => [k, { ...c, logLik: Array.from(c.logLik) }])), compare },
  );
  return { fits: out.fits as Record<string, RLoo>, compare: out.compare as RCompare };
}

/**
 * Both sides do the same IEEE arithmetic; differences come from summation
 * order, R's long-double mean, the FFT (relative_eff) and the 15 significant
 * digits of R's JSON: observed ≤ 3e-14 relative on every quantity. Asked for
 * 1e-6; relative to max(1, |R's value|), non-finite values must be equal.
 */
const TOL = 1e-6;

function expectClose(ours: ArrayLike<number>, theirs: readonly number[], what: string): void {
  expect(ours.length, what).toBe(theirs.length);
  for (let i = 0; i < theirs.length; i++) {
    if (!Number.isFinite(theirs[i])) expect(ours[i], `${what}[${i}]`).toBe(theirs[i]);
    else expect(Math.abs(ours[i] - theirs[i]) / Math.max(1, Math.abs(theirs[i])), `${what}[${i}]`).toBeLessThan(TOL);
  }
}

// R's estimates matrices, column-major: the estimates, then their SEs.
const looTotals = (l: LooResult) => [l.elpdLoo, l.pLoo, l.looic, l.seElpdLoo, l.sePLoo, l.seLooic];
const waicTotals = (w: WaicResult) => [w.elpdWaic, w.pWaic, w.waic, w.seElpdWaic, w.sePWaic, w.seWaic];

/**
 * Registers the agreement tests of every case and of the comparison;
 * `get` is called inside the tests, after the file's `beforeAll` has filled
 * the cases and run R.
 */
export function agreementTests(
  names: readonly string[],
  compared: readonly [string, string],
  get: () => { cases: Readonly<Record<string, LogLikCase>>; r: { fits: Record<string, RLoo>; compare: RCompare } },
): void {
  describe.each(names)("%s: as R's loo 2.5.1", (name) => {
    test("relativeEff = relative_eff(exp(ll), chain_id)", () => {
      const c = get().cases[name];
      expectClose(relativeEff(c.logLik, c.draws, c.observations, c.chains), get().r.fits[name].rEff, "r_eff");
    });

    test("loo(ll, r_eff): elpd_loo, p_loo, looic, their SEs, and every pointwise value and k̂", () => {
      const c = get().cases[name];
      const theirs = get().r.fits[name];
      const ours = loo(c.logLik, c.draws, c.observations, { rEff: theirs.rEff });
      expectClose(looTotals(ours), theirs.loo.estimates, "estimates");
      expectClose(ours.pointwise.elpdLoo, theirs.loo.elpdLoo, "elpd_loo");
      expectClose(ours.pointwise.pLoo, theirs.loo.pLoo, "p_loo");
      expectClose(ours.pointwise.looic, theirs.loo.looic, "looic");
      expectClose(ours.pointwise.khat, theirs.loo.khat, "pareto_k");
      // loo 2.5.1's mcse_elpd is deterministic (Blom's normal scores), so it matches too.
      expectClose(ours.pointwise.mcseElpdLoo, theirs.loo.mcse, "mcse_elpd_loo");
    });

    test("waic(ll): totals, SEs and pointwise", () => {
      const c = get().cases[name];
      const theirs = get().r.fits[name].waic;
      const ours = waic(c.logLik, c.draws, c.observations);
      expectClose(waicTotals(ours), theirs.estimates, "estimates");
      expectClose(ours.pointwise.elpdWaic, theirs.elpdWaic, "elpd_waic");
      expectClose(ours.pointwise.pWaic, theirs.pWaic, "p_waic");
    });
  });

  test(`looCompare(${compared.join(", ")}) ranks as loo_compare, with its elpd_diff and se_diff`, () => {
    const { cases, r } = get();
    const fits = Object.fromEntries(
      compared.map((n) => [n, loo(cases[n].logLik, cases[n].draws, cases[n].observations, { rEff: r.fits[n].rEff })]),
    );
    const rows = looCompare(fits);
    expect(rows.map((x) => x.name)).toEqual(r.compare.names);
    expectClose(
      rows.map((x) => x.elpdDiff),
      r.compare.elpdDiff,
      "elpd_diff",
    );
    expectClose(
      rows.map((x) => x.seDiff),
      r.compare.seDiff,
      "se_diff",
    );
    expect(rows[0].elpdDiff).toBe(0);
    expect(rows.map((x) => x.elpdLoo)).toEqual(rows.map((x) => fits[x.name].elpdLoo));
  });
}
