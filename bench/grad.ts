/**
 * `npm run bench:grad`: ns per `logpGrad` call of each benchmark model's
 * compiled density next to a hand-written JavaScript log density + gradient
 * of the same model (bench/hand/), after checking that both agree.
 *
 *     npm run bench:grad -- [--models simple,sv] [--json out.json] [--rounds 9] [--min-ms 50]
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import { compile } from "../src/codegen/compile.ts";
import type { CompiledDensity } from "../src/codegen/density.ts";
import { logDensity } from "../src/interpreters/logDensity.ts";
import type { Model, Outputs } from "../src/dsl/model.ts";
import { handWritten, type HandGrad, type Offsets } from "./hand/index.ts";
import { timeInterleaved } from "./timing.ts";

/** The benchmark models, in the order of ../shared/benchmarks/README.md. */
const MODELS = ["simple", "medium", "stress", "eight_schools", "funnel", "logistic", "sv"] as const;

/** One row of the result (and of `--json`). */
export interface GradRow {
  readonly model: string;
  readonly compiledNs: number;
  readonly handNs: number;
  readonly ratio: number;
}

interface Args {
  readonly models: readonly string[];
  readonly json: string | null;
  readonly rounds: number;
  readonly minMs: number;
}

function parseArgs(argv: readonly string[]): Args {
  let models: readonly string[] = MODELS;
  let json: string | null = null;
  let rounds = 9;
  let minMs = 50;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === "--models" && v !== undefined) ((models = v.split(",").filter((s) => s !== "")), i++);
    else if (a === "--json" && v !== undefined) ((json = v), i++);
    else if (a === "--rounds" && v !== undefined) ((rounds = Math.max(7, Number(v))), i++);
    else if (a === "--min-ms" && v !== undefined) ((minMs = Math.max(50, Number(v))), i++);
    else throw new Error(`bench:grad: unknown or incomplete argument "${a}" (use --models a,b --json FILE --rounds N --min-ms MS)`);
  }
  for (const m of models) if (!(m in handWritten)) throw new Error(`bench:grad: unknown model "${m}" (known: ${MODELS.join(", ")})`);
  return { models, json, rounds, minMs };
}

/** mulberry32: a seeded generator, so the checked points are reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function points(count: number, dim: number, seed: number): Float64Array[] {
  const u = rng(seed);
  return Array.from({ length: count }, () => Float64Array.from({ length: dim }, () => 4 * u() - 2));
}

/** Index of the first disagreement under |a − b| ≤ 1e-9·max(|b|, ‖g_b‖∞, 1) (−1 = log p), or null. */
function disagreement(lpA: number, gA: Float64Array, lpB: number, gB: Float64Array): number | null {
  let gmax = 0;
  for (const g of gB) gmax = Math.max(gmax, Math.abs(g));
  const tol = 1e-9 * Math.max(Math.abs(lpB), gmax, 1);
  if (!(Math.abs(lpA - lpB) <= tol)) return -1;
  for (let i = 0; i < gB.length; i++) if (!(Math.abs(gA[i] - gB[i]) <= tol)) return i;
  return null;
}

interface Loaded {
  readonly model: Model<unknown, Outputs>;
  readonly data: unknown;
}

async function load(name: string): Promise<Loaded> {
  const mod = (await import(`../examples/${name}.ts`)) as { default: Model<unknown, Outputs>; data: unknown };
  return { model: mod.default, data: mod.data };
}

/** Checks hand-written against compiled at a few points; on a mismatch, asks the reference interpreter which side is wrong. */
function verify(name: string, loaded: Loaded, d: CompiledDensity, hand: HandGrad): string[] {
  const errors: string[] = [];
  const gc = new Float64Array(d.dim);
  const gh = new Float64Array(d.dim);
  for (const theta of points(5, d.dim, 0x5a3b0 + name.length)) {
    const lpc = d.logpGrad(theta, gc);
    const lph = hand(theta, gh);
    const at = disagreement(lph, gh, lpc, gc);
    if (at === null) continue;
    const ref = logDensity(loaded.model, loaded.data).logpGrad(theta);
    const what = at < 0 ? "log p" : `d/dθ[${at}] (${siteOf(d, at)})`;
    const pick = (lp: number, g: Float64Array | readonly number[]): number => (at < 0 ? lp : g[at]);
    const [c, h, r] = [pick(lpc, gc), pick(lph, gh), pick(ref.logp, ref.grad)];
    const wrong =
      disagreement(lpc, gc, ref.logp, ref.grad) === null
        ? "hand-written"
        : disagreement(lph, gh, ref.logp, ref.grad) === null
          ? "compiled"
          : "both";
    errors.push(
      `${name}: ${what} disagrees at θ = [${Array.from(theta, (x) => x.toFixed(6)).join(", ")}]\n` +
        `  compiled ${c}\n  hand     ${h}\n  reference ${r}\n  → the ${wrong} side disagrees with the reference interpreter`,
    );
    break;
  }
  return errors;
}

function siteOf(d: CompiledDensity, i: number): string {
  const e = d.layout.find((l) => i >= l.offset && i < l.offset + l.size);
  return e === undefined ? "?" : e.size === 1 ? e.name : `${e.name}[${i - e.offset}]`;
}

function offsetsOf(d: CompiledDensity): Offsets {
  return Object.fromEntries(d.layout.map((e) => [e.name, e.offset]));
}

function pad(s: string, n: number, left = false): string {
  return left ? s.padEnd(n) : s.padStart(n);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const prepared: { name: string; d: CompiledDensity; hand: HandGrad }[] = [];
  const errors: string[] = [];
  for (const name of args.models) {
    const loaded = await load(name);
    const d = compile(loaded.model, loaded.data);
    const hand = handWritten[name](loaded.data as Record<string, unknown>, offsetsOf(d));
    errors.push(...verify(name, loaded, d, hand));
    prepared.push({ name, d, hand });
  }
  if (errors.length > 0) {
    console.error(`bench:grad: hand-written and compiled gradients disagree:\n${errors.join("\n")}`);
    process.exit(1);
  }
  console.log(`logpGrad, ns per call: median of ${args.rounds} interleaved rounds, each ≥ ${args.minMs} ms`);
  console.log(`${pad("model", 14, true)}${pad("d", 5)}${pad("compiled", 12)}${pad("hand", 12)}${pad("ratio", 8)}`);
  const rows: GradRow[] = [];
  for (const { name, d, hand } of prepared) {
    const thetas = points(16, d.dim, 0x71e5);
    const [compiledNs, handNs] = timeInterleaved([d, { logpGrad: hand }], thetas, {
      rounds: args.rounds,
      minMs: args.minMs,
      warmupMs: 200,
    });
    const row: GradRow = { model: name, compiledNs, handNs, ratio: compiledNs / handNs };
    rows.push(row);
    console.log(
      `${pad(name, 14, true)}${pad(String(d.dim), 5)}${pad(compiledNs.toFixed(1), 12)}${pad(handNs.toFixed(1), 12)}${pad(row.ratio.toFixed(2), 8)}`,
    );
  }
  if (args.json !== null) writeFileSync(args.json, `${JSON.stringify(rows, null, 2)}\n`);
}

await main();
