/**
 * `sampo report`: a finished run directory as one self-contained HTML file
 * (trace, rank, autocorrelation, pair, forest and energy plots, the summary
 * table and the warnings) that opens in any browser without a network.
 *
 * Everything is computed here from the run's files; the page (page/report.ts,
 * bundled and inlined) only draws. The data is embedded as lossless JSON in
 * a `<script type="application/json">` element, escaped so that no name in
 * it can end that element, and a Content-Security-Policy lets only the
 * report's own script and style run, and nothing load.
 * @module
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { autocovariance } from "../inference/diagnostics/autocov.ts";
import { quantiles } from "../inference/diagnostics/quantile.ts";
import { column, diagnose, statAfter } from "../inference/diagnostics/report.ts";
import { summarizeInThreads } from "../runtime/summaryInThreads.ts";
import type { ChainDraws } from "../inference/draws.ts";
import { readStanCsvFile } from "../io/stanCsv/file.ts";
import { losslessStringify } from "../losslessJson.ts";
import { csvPath, readCheckpointFile, type RunManifest } from "../runtime/drawLog.ts";
import { elementNames, type ValueLayout } from "../tensor/layout.ts";
import { SAMPO_VERSION } from "../version.ts";
import { pageAssets } from "./assets.ts";
import { binCounts, edgesOver, rankCounts } from "./bins.ts";
import type { ReportData, ReportElement, ReportEnergy, ReportForest, ReportInterval, ReportPairs } from "./shared/report.ts";

/** Elements with trace, rank and autocorrelation plots. */
const PLOTTED = 8;
/** Elements in the pair plot. */
const PAIRED = 4;
/** Points of the pair plot besides divergent ones. */
const PAIR_POINTS = 2000;
/** Divergent transitions kept (marks on traces, points of the pair plot). */
const DIVERGENT_CAP = 500;
/** Elements in the forest plot. */
const FOREST = 40;
/** Chains in per-chain plots (a lockstep run's hundreds would be unreadable, and megabytes). */
const PLOTTED_CHAINS = 8;
/** Trace points per chain. */
const TRACE_POINTS = 1000;
const RANK_BINS = 20;
const MAX_LAG = 50;
const ENERGY_BINS = 30;

/** Plotted numbers to 6 significant digits (the pixels cannot tell): a third of the JSON. Non-finite ones as they are. */
const round = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(6)) : x);

/** A run directory read back: its manifest, value layout and chains. */
interface RunFiles {
  readonly manifest: RunManifest;
  readonly layout: ValueLayout;
  readonly chains: ChainDraws[];
}

/**
 * Reads a finished run directory of NUTS chains, saying in words what is
 * missing or unfinished, or that it holds a method run instead.
 */
function readRunFiles(dir: string): RunFiles {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new Error(`${dir} is not a directory (a run directory written by \`sampo sample --out\`)`);
  const manifestPath = join(dir, "run.json");
  if (!existsSync(manifestPath))
    throw new Error(`${manifestPath} does not exist: ${dir} is not a run directory written by \`sampo sample --out\``);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as RunManifest;
  // A method's draws are in `<method>.csv`, without NUTS's statistics that most of the report's plots show.
  if (manifest.method !== undefined)
    throw new Error(
      `${dir} holds a ${manifest.method} run (${manifest.method}.csv), not NUTS chains: reports of method runs are not supported yet; \`sampo summary ${dir}\` prints its summary`,
    );
  const s = manifest.settings;
  const expected = Math.ceil(s.draws / s.thin);
  const unfinished = (why: string) =>
    new Error(`the run in ${dir} has not finished: ${why}; let it finish, or continue it with \`sampo sample … --resume --out ${dir}\``);
  let layout: ValueLayout | undefined;
  const chains = Array.from({ length: s.chains }, (_, i) => {
    const k = i + 1;
    const path = csvPath(dir, k);
    if (!existsSync(path)) throw new Error(`${path} does not exist: the run in ${dir} has ${s.chains} chains`);
    if (readCheckpointFile(dir, k)?.done === false) throw unfinished(`chain ${k} stopped at a checkpoint`);
    const file = readStanCsvFile(path);
    if (file.truncated) throw unfinished(`${path} ends mid-line`);
    if (file.chain.draws < expected) throw unfinished(`${path} has ${file.chain.draws} of ${expected} draws`);
    if (layout === undefined) layout = file.layout;
    else if (JSON.stringify(file.layout) !== JSON.stringify(layout))
      throw new Error(`${path}: its columns differ from ${csvPath(dir, 1)}'s`);
    return { ...file.chain, chain: k };
  });
  if (layout === undefined || expected === 0) throw new Error(`the run in ${dir} has no draws after warm-up to report on`);
  return { manifest, layout, chains };
}

/** Density of the finite values of `xs` per bin of `edges`. */
function density(xs: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = binCounts(xs, edges);
  const n = Math.max(
    1,
    counts.reduce((a, b) => a + b, 0),
  );
  const width = (edges[edges.length - 1] - edges[0]) / counts.length;
  return counts.map((c) => round(c / (n * width)));
}

/** Autocorrelation at lags 0…maxLag (NaN throughout for a constant or non-finite chain). */
function autocorrelation(x: Float64Array, maxLag: number): number[] {
  const acov = x.every(Number.isFinite) ? autocovariance(x) : new Float64Array(x.length);
  return Array.from({ length: maxLag + 1 }, (_, t) => (acov[0] > 0 ? round(acov[t] / acov[0]) : NaN));
}

/** Mean and 5%, 50%, 95% quantiles of one chain's draws. */
function interval(x: Float64Array): ReportInterval {
  const [q05, q50, q95] = quantiles([x], [0.05, 0.5, 0.95]);
  return { mean: x.reduce((a, b) => a + b, 0) / x.length, q05, q50, q95 };
}

/** The pair plot's points: every `stride`-th draw of each chain, and the divergent ones besides (drawn last, on top). */
function pairPoints(chains: readonly ChainDraws[], elements: readonly number[]): ReportPairs {
  const n = chains[0].draws;
  const stride = Math.max(1, Math.ceil((n * chains.length) / PAIR_POINTS));
  const plain: [number, number][] = [];
  const divergent: [number, number][] = [];
  const div = chains.map((c) => statAfter(c, "divergent"));
  // Draw by draw across chains, so that no chain's points all lie under another's.
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < chains.length; k++) {
      if (div[k][i] !== 0) {
        if (divergent.length < DIVERGENT_CAP) divergent.push([k, i]);
      } else if (i % stride === 0) plain.push([k, i]);
    }
  }
  const points = [...plain, ...divergent];
  return {
    elements,
    values: elements.map((j) => points.map(([k, i]) => round(chains[k].values[j][chains[k].warmup + i]))),
    chain: points.map(([k]) => chains[k].chain),
    divergent: points.map((_, p) => p >= plain.length),
    stride,
  };
}

/** The energy plot's histograms: E − mean(E) and ΔE of each chain over common bins. */
function energyPlot(chains: readonly ChainDraws[], ebfmi: readonly number[]): { edges: number[]; energy: ReportEnergy[] } {
  const series = chains.map((c) => {
    const e = statAfter(c, "energy");
    const mean = e.reduce((a, b) => a + b, 0) / e.length;
    return { centred: e.map((x) => x - mean), diff: e.subarray(1).map((x, i) => x - e[i]) };
  });
  const edges = edgesOver(
    series.flatMap((s) => [s.centred, s.diff]),
    ENERGY_BINS,
  );
  return {
    edges: edges.map(round),
    energy: series.map((s, k) => ({
      chain: chains[k].chain,
      marginal: density(s.centred, edges),
      transition: density(s.diff, edges),
      ebfmi: ebfmi[k],
    })),
  };
}

/** The run's settings in words. */
function settingsOf(m: RunManifest): ReportData["settings"] {
  const s = m.settings;
  const centred = Object.entries(m.centering ?? {});
  return [
    { label: "chains", value: String(s.chains) },
    { label: "warm-up", value: `${s.warmup} iterations` },
    { label: "draws", value: s.thin > 1 ? `${s.draws} iterations, thinned by ${s.thin}` : `${s.draws} per chain` },
    { label: "seed", value: String(s.seed) },
    { label: "sampler", value: s.sampler === "lockstep" ? "lockstep chains" : "NUTS" },
    {
      label: "metric",
      value:
        s.metric === "dense" ? "dense" : s.metric === "auto" && s.adapt === "nutpie" ? "diagonal, low-rank where correlated" : "diagonal",
    },
    // Runs recorded before the option existed warmed up as Stan does.
    { label: "adaptation", value: s.adapt === "nutpie" ? "nutpie's" : "Stan's windows" },
    { label: "target acceptance", value: String(s.targetAccept) },
    { label: "max tree depth", value: String(s.maxDepth) },
    {
      label: "reparameterization",
      value: !s.reparam
        ? "off"
        : centred.length === 0
          ? "on (nothing to reparameterize)"
          : `on (${centred.map(([name]) => name).join(", ")})`,
    },
    { label: "model hash", value: `${m.modelHash.slice(0, 12)}…` },
  ];
}

/**
 * Everything the report of the finished run in `dir` shows: the summary of
 * every element, the warnings, and the data of the plots (bins, thinned
 * traces and points), computed from run.json and the chain CSV files.
 *
 * @throws Error, in words, when `dir` is not a finished run directory (names the missing or unfinished file).
 */
export function reportData(dir: string): ReportData {
  const { manifest, layout, chains } = readRunFiles(dir);
  const names = elementNames(layout);
  const rows = summarizeInThreads(layout, chains);
  const diag = diagnose(chains, rows, manifest.settings.maxDepth, manifest.settings.sampler);
  const n = chains[0].draws;
  const plotted = chains.slice(0, PLOTTED_CHAINS);

  const divergentAll = chains.flatMap((c) =>
    Array.from(statAfter(c, "divergent")).flatMap((d, i) => (d !== 0 ? [{ chain: c.chain, draw: i + 1 }] : [])),
  );
  const divergent = divergentAll.slice(0, DIVERGENT_CAP);
  const traceStride = Math.max(1, Math.ceil(n / TRACE_POINTS));
  const maxLag = Math.min(MAX_LAG, n - 1);
  const elements: ReportElement[] = names.slice(0, PLOTTED).map((name, j) => {
    const cols = column(chains, j);
    const shown = cols.slice(0, plotted.length);
    return {
      index: j,
      name,
      trace: shown.map((c) => Array.from({ length: Math.ceil(n / traceStride) }, (_, k) => round(c[k * traceStride]))),
      ranks: rankCounts(cols, RANK_BINS).slice(0, plotted.length),
      autocorr: shown.map((c) => autocorrelation(c, maxLag)),
      divergentValues: divergent.map((d) => round(cols[d.chain - 1][d.draw - 1])),
    };
  });

  const forestElements = names.slice(0, FOREST).map((_, j) => j);
  const forest: ReportForest = {
    elements: forestElements,
    chains: forestElements.map((j) => column(plotted, j).map(interval)),
    pooled: forestElements.map((j) => ({ mean: rows[j].mean, q05: rows[j].q05, q50: rows[j].q50, q95: rows[j].q95 })),
    omitted: names.length - forestElements.length,
  };
  const { edges, energy } = energyPlot(plotted, diag.ebfmi);

  return {
    run: manifest.run,
    model: manifest.model,
    created: manifest.created,
    sampoVersion: manifest.sampoVersion,
    reportVersion: SAMPO_VERSION,
    settings: settingsOf(manifest),
    names,
    summary: rows,
    warnings: diag.warnings,
    chains: chains.map((c, k) => ({
      chain: c.chain,
      draws: c.draws,
      divergent: diag.divergences[k],
      treeDepthHits: diag.treeDepthHits[k],
      ebfmi: diag.ebfmi[k],
      stepSize: c.adaptation?.stepSize ?? NaN,
      elapsed: c.elapsed === undefined ? NaN : c.elapsed.warmup + c.elapsed.sampling,
    })),
    plottedChains: plotted.map((c) => c.chain),
    drawsPerChain: n,
    traceStride,
    rankBins: RANK_BINS,
    maxLag,
    divergent,
    divergentTotal: divergentAll.length,
    elements,
    elementsOmitted: names.length - elements.length,
    pairs:
      names.length < 2
        ? undefined
        : pairPoints(
            chains,
            names.slice(0, PAIRED).map((_, j) => j),
          ),
    forest,
    energyEdges: edges,
    energy,
  };
}

/**
 * JSON as the text of a `<script type="application/json">` element: `<`
 * written as \u003c so no string in it can close the element or open a
 * comment, and U+2028/U+2029 escaped as every JavaScript-adjacent parser
 * expects. `<` occurs only inside JSON strings, where the escape reads back
 * to the same text.
 */
function scriptSafeJson(json: string): string {
  return json
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Code or a stylesheet as the text of an inline element: `</script`, `</style` and `<!--` cannot occur in it. */
function inlineSafe(text: string, tag: "script" | "style"): string {
  // In the minified bundle these can only sit in string or regex literals, where \x3C reads as `<`.
  const safe = tag === "script" ? text.replace(/<(\/script|!--)/gi, "\\x3C$1") : text;
  if (new RegExp(`</${tag}|<!--`, "i").test(safe))
    throw new Error(`the report's ${tag} contains </${tag} or <!--, which would end it early`);
  return safe;
}

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/**
 * The report of the finished run in `dir` as a complete HTML document: the
 * page's script and stylesheet inlined, the data embedded as JSON, no URL
 * anywhere. Opens from disk in any browser, offline.
 *
 * @throws Error, in words, when `dir` is not a finished run directory.
 */
export async function reportHtml(dir: string): Promise<string> {
  const data = reportData(dir);
  const { js, css } = await pageAssets("report");
  const script = inlineSafe(js, "script");
  const style = inlineSafe(css, "style");
  // Only this script and this stylesheet may run; nothing may load (no network, no injected markup that executes).
  const csp = `default-src 'none'; script-src ${sha256(script)}; style-src ${sha256(style)}; img-src data:`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<title>sampo report</title>
<style>${style}</style></head>
<body class="report">
<script type="application/json" id="sampo-report">${scriptSafeJson(losslessStringify(data))}</script>
<script>${script}</script>
</body></html>
`;
}

/**
 * Writes the report of the finished run in `dir` to `outFile` (see
 * {@link reportHtml}); `sampo report DIR --out FILE`.
 *
 * @throws Error, in words, when `dir` is not a finished run directory.
 */
export async function writeReport(dir: string, outFile: string): Promise<void> {
  writeFileSync(outFile, await reportHtml(dir));
}
