/**
 * The benchmark models, 4 chains of 1000 + 1000, against Stan's long
 * reference runs (test/fixtures/reference/, copied from
 * ../shared/benchmarks/reference: 4 × 5000 draws, adapt_delta 0.95). Means
 * and sds are z-tested with both sides' MCSEs, Bonferroni over all the
 * model's parameters at family-wise level 1e-3 (test/helpers/reference.ts).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { benchmarks } from "../../examples/index.ts";
import { sample } from "../../src/inference/sample.ts";
import { compareToReference, type RefParam } from "../helpers/reference.ts";

function reference(name: string): Record<string, RefParam> {
  const url = new URL(`../fixtures/reference/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")).parameters;
}

describe("benchmark models agree with Stan's reference posteriors", () => {
  const seeds = { simple: 101, medium: 102, stress: 103, logistic: 104, sv: 105 } as const;
  for (const [name, seed] of Object.entries(seeds)) {
    it(name, async () => {
      const { model, data } = benchmarks[name as keyof typeof seeds];
      const fit = await sample(model, data, { chains: 4, seed });
      expect(compareToReference(fit.summary(), reference(name))).toEqual([]);
    });
  }
});
