/**
 * `sampo inspect` and `sampo print`: the model as text, its prior, and its
 * compiled log density checked against the reference interpreter.
 * @module
 */
import { compile } from "../codegen/compile.ts";
import { compareDensity, describeDisagreements, GRADIENT_RTOL } from "../codegen/gradientCheck.ts";
import { toDot } from "../interpreters/dot.ts";
import { logDensity } from "../interpreters/logDensity.ts";
import { prettyPrint } from "../interpreters/pretty.ts";
import { priorSample } from "../interpreters/prior.ts";
import { Rng } from "../random/rng.ts";
import { elementName } from "../tensor/layout.ts";
import { loadModel } from "./loadModel.ts";

/** Options of the inspect and print commands. */
export interface InspectOptions {
  readonly data?: string;
  readonly seed: number;
  readonly draws: number;
  readonly format: "stan" | "markdown" | "latex" | "dot";
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toPrecision(6) : String(x));

/** Runs `inspect` or `print` on a model file, writing to stdout. */
export async function inspectCommand(command: "inspect" | "print", file: string, opts: InspectOptions): Promise<void> {
  const { model, data } = await loadModel(file, opts.data);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  if (command === "print") {
    out(opts.format === "dot" ? toDot(model, data) : prettyPrint(model, data, { format: opts.format }));
    return;
  }
  out(prettyPrint(model, data));
  out("");
  const density = compile(model, data);
  let priorFailed: string | undefined;
  try {
    const prior = priorSample(model, data, { draws: opts.draws, seed: opts.seed });
    out(`prior draws (${opts.draws}, seed ${opts.seed}):`);
    out(`${"site".padEnd(16)} ${"mean".padStart(12)} ${"sd".padStart(12)}`);
    for (const e of density.valueLayout) {
      const site = Object.hasOwn(prior.sites, e.name) ? prior.sites[e.name] : undefined;
      if (site === undefined) continue;
      for (let j = 0; j < e.size; j++) {
        const xs = site.values.map((v) => v[j]);
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
        const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
        const label = elementName(e, j);
        out(`${label.padEnd(16)} ${fmt(mean).padStart(12)} ${fmt(sd).padStart(12)}`);
      }
    }
  } catch (e) {
    priorFailed = e instanceof Error ? e.message : String(e);
    out(`prior draws: not available (${priorFailed})`);
  }
  out("");
  const rng = new Rng(opts.seed);
  const theta = Float64Array.from({ length: density.dim }, () => 4 * rng.uniform() - 2);
  const grad = new Float64Array(density.dim);
  const lp = density.logpGrad(theta, grad);
  const ref = logDensity(model, data).logpGrad(theta);
  out(`compiled log density (dimension ${density.dim}) at a random point in (-2, 2)^${density.dim}:`);
  out(`  log p      ${fmt(lp)}   (reference ${fmt(ref.logp)})`);
  const gmax = grad.reduce((a, g, k) => Math.max(a, Math.abs(g - ref.grad[k])), 0);
  out(`  |∇ − ∇ref|∞ ${Number.isFinite(gmax) ? gmax.toExponential(2) : gmax}`);
  for (const line of describeDisagreements(compareDensity({ logp: lp, grad }, ref, density.layout, GRADIENT_RTOL))) out(`  ${line}`);
}
