import { beforeAll } from "vitest";
import { data as eightSchoolsData } from "../../../examples/eight_schools.ts";
import { benchmarks, posteriordb } from "../../../examples/index.ts";
import { model } from "../../../src/dsl/model.ts";
import { sample } from "../../../src/fit/sample.ts";
import { agreementTests, type LogLikCase, looInR } from "./rLoo.ts";

// The slow tier: log-likelihood matrices of real NUTS fits (about 10 s of
// sampling and pointwise log-likelihoods) against R's loo.

/** Eight schools with one common effect: the pooled model loo_compare ranks against the hierarchical one. */
const pooled = model((m, d: { y: readonly number[]; sigma: readonly number[] }) => {
  const mu = m.sample("mu", m.normal(0, 5));
  m.observe("y", m.normal(mu, m.data("sigma", d.sigma)), d.y);
  return { mu };
});

/** A fit's pointwise log-likelihood as a draws × observations matrix, row-major, chain after chain. */
async function sampledCase(fitted: Promise<{ logLik(): Record<string, Float64Array[]> }>): Promise<LogLikCase> {
  const sites = Object.values((await fitted).logLik());
  const draws = sites[0].length;
  const observations = sites.reduce((n, s) => n + s[0].length, 0);
  const logLik = new Float64Array(draws * observations);
  for (let t = 0; t < draws; t++) {
    let at = t * observations;
    for (const s of sites) {
      logLik.set(s[t], at);
      at += s[t].length;
    }
  }
  return { logLik, draws, observations, chains: 2 };
}

const cases: Record<string, LogLikCase> = {};
let r: ReturnType<typeof looInR>;

beforeAll(async () => {
  const settings = { chains: 2, draws: 500, warmup: 500, seed: 1 };
  const es = benchmarks.eight_schools;
  const kid = posteriordb["kidiq-kidscore_momiq"];
  cases.eightSchools = await sampledCase(sample(es.model, es.data, settings));
  cases.pooled = await sampledCase(sample(pooled, eightSchoolsData, settings));
  cases.kidiq = await sampledCase(sample(kid.model, kid.data, settings));
  r = looInR(cases, ["eightSchools", "pooled"]);
}, 600_000);

agreementTests(["eightSchools", "pooled", "kidiq"], ["eightSchools", "pooled"], () => ({ cases, r }));
