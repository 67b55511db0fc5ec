/**
 * The report page: draws the data embedded in the file (see
 * shared/report.ts) once, with no network: header and settings, chains,
 * warnings, the summary table, per plotted element its trace, rank and
 * autocorrelation plots, then the pair, forest and energy plots. Every name
 * goes in as text. `body[data-ready]` says when everything is drawn.
 * @module
 */
import "uplot/dist/uPlot.min.css";
import "./style.css";
import { losslessParse } from "../../losslessJson.ts";
import type { ReportData } from "../shared/report.ts";
import { el, fill, swatch } from "./dom.ts";
import { renderWarnings } from "./panels.ts";
import { traceChart, traceData } from "./plots.ts";
import { autocorrChart, energyChart, forestPlot, pairPlot, rankChart } from "./reportPlots.ts";
import { SummaryTable } from "./table.ts";

const num = (x: number, digits: number) => (Number.isFinite(x) ? x.toPrecision(digits) : "–");

/** "a, b, c and 4 more". */
function listNames(names: readonly string[], shown = 6): string {
  return names.length <= shown ? names.join(", ") : `${names.slice(0, shown).join(", ")} and ${names.length - shown} more`;
}

/**
 * Swatches of the plotted chains, and what else the plot shows: chains not
 * drawn (per-chain plots), or colours repeating (the pair plot, which pools
 * every chain), and the red divergence marks.
 */
function legend(d: ReportData, opts: { divergent: boolean; pooled: boolean }): HTMLElement {
  const items = d.plottedChains.map((k) => el("span", { class: "legend-item" }, swatch(k), ` chain ${k}`));
  const more = d.chains.length - d.plottedChains.length;
  if (more > 0) {
    const note = opts.pooled
      ? `(chains ${d.plottedChains.length + 1}–${d.chains.length} repeat these colours)`
      : `(${more} more chains not drawn)`;
    items.push(el("span", { class: "legend-item quiet" }, note));
  }
  if (opts.divergent && d.divergentTotal > 0) {
    const mark = el("span", { class: "swatch divergent-mark" });
    items.push(el("span", { class: "legend-item" }, mark, ` divergent (${d.divergentTotal})`));
  }
  return el("p", { class: "legend" }, ...items);
}

function header(d: ReportData): HTMLElement {
  const settings = el("dl", { class: "settings" }, ...d.settings.flatMap((s) => [el("dt", {}, s.label), el("dd", {}, s.value)]));
  const version = d.sampoVersion === d.reportVersion ? `sampo ${d.sampoVersion}` : `sampo ${d.sampoVersion} (report by ${d.reportVersion})`;
  return el(
    "header",
    { "data-panel": "header" },
    el("h1", {}, "sampo report · ", d.model),
    el("p", { class: "quiet" }, `run ${d.run} · started ${d.created} · ${version}`),
    settings,
  );
}

function chainTable(d: ReportData): HTMLElement {
  const head = el(
    "tr",
    {},
    ...["chain", "draws", "divergences", "max depth hits", "E-BFMI", "step size", "time (s)"].map((h) => el("th", {}, h)),
  );
  const rows = d.chains.map((c) =>
    el(
      "tr",
      { "data-chain": String(c.chain) },
      el("td", {}, swatch(c.chain), ` ${c.chain}`),
      el("td", {}, c.draws),
      el("td", { class: c.divergent > 0 ? "bad" : "" }, c.divergent),
      el("td", { class: c.treeDepthHits > 0 ? "bad" : "" }, c.treeDepthHits),
      el("td", { class: c.ebfmi < 0.3 ? "bad" : "" }, num(c.ebfmi, 3)),
      el("td", {}, num(c.stepSize, 3)),
      el("td", {}, Number.isFinite(c.elapsed) ? c.elapsed.toFixed(2) : "–"),
    ),
  );
  return el("table", { class: "chains" }, el("thead", {}, head), el("tbody", {}, ...rows));
}

/** Trace, rank and autocorrelation plots of each plotted element, a row each. */
function elementPlots(d: ReportData): HTMLElement[] {
  const chains = d.plottedChains.length;
  const used = d.plottedChains;
  const total = d.drawsPerChain * d.chains.length;
  const rankEdges = Array.from({ length: d.rankBins + 1 }, (_, b) => Math.round((b * total) / d.rankBins));
  const rows = d.elements.map((e) => {
    const row = el("div", { class: "param", "data-element": String(e.index) });
    const cell = (kind: string) => row.appendChild(el("div", { "data-plot": kind }));
    const marks = d.divergent.flatMap((v, i) => (used.includes(v.chain) ? [{ x: v.draw, y: e.divergentValues[i] }] : []));
    const trace = traceChart(cell("trace"), { title: e.name, chains, width: 560, height: 200, warmup: () => 0, marks: () => marks });
    trace.setData(traceData(chains, d.traceStride, e.trace, (draw) => draw));
    rankChart(cell("rank"), `${e.name}: ranks`, rankEdges, e.ranks, total / d.rankBins / d.chains.length, 300, 200);
    autocorrChart(cell("autocorr"), `${e.name}: autocorrelation`, e.autocorr, 300, 200);
    return row;
  });
  const stride = d.traceStride > 1 ? ` (1 in ${d.traceStride} shown)` : "";
  const notes = [
    el(
      "p",
      { class: "quiet" },
      `Traces of the ${d.drawsPerChain} post-warm-up draws per chain${stride}; red marks are divergent transitions. ` +
        `Ranks are over all chains pooled (${d.rankBins} bins): chains that mix well have flat, overlapping rank histograms. ` +
        `Autocorrelations are by lag, up to ${d.maxLag}.`,
    ),
  ];
  if (d.elementsOmitted > 0) {
    const left = d.names.slice(d.elements.length);
    notes.push(
      el("p", { class: "note" }, `${left.length} more elements are not plotted (${listNames(left)}); the summary table has them all.`),
    );
  }
  return [...notes, legend(d, { divergent: true, pooled: false }), ...rows];
}

function pairSection(d: ReportData): HTMLElement[] {
  const p = d.pairs;
  if (p === undefined) return [el("p", { class: "quiet" }, "The model has a single element: nothing to pair.")];
  const target = el("div", { "data-plot": "pair" });
  pairPlot(target, d.names, p);
  const shown = p.stride > 1 ? `1 in ${p.stride} draws of each chain` : "every draw";
  return [
    el(
      "p",
      { class: "quiet" },
      `${listNames(p.elements.map((j) => d.names[j]))}: ${shown}, and every divergent transition (red, on top). ` +
        "Divergences bunched in one region point at geometry the sampler could not follow.",
    ),
    legend(d, { divergent: true, pooled: true }),
    target,
  ];
}

function forestSection(d: ReportData): HTMLElement[] {
  const target = el("div", { "data-plot": "forest" });
  forestPlot(target, d.names, d.forest, 900);
  const out = [
    el("p", { class: "quiet" }, "90% intervals (5%–95%) and medians: all chains pooled in black, then each chain in its colour."),
    legend(d, { divergent: false, pooled: false }),
    target,
  ];
  if (d.forest.omitted > 0)
    out.push(
      el("p", { class: "note" }, `${d.forest.omitted} more elements are left out of the forest plot; the summary table has them all.`),
    );
  return out;
}

function energySection(d: ReportData): HTMLElement[] {
  const panels = d.energy.map((e) => {
    const target = el("div", { "data-plot": "energy", "data-chain": String(e.chain) });
    const low = e.ebfmi < 0.3 ? " (low)" : "";
    energyChart(target, `chain ${e.chain} · E-BFMI ${num(e.ebfmi, 3)}${low}`, e.chain, d.energyEdges, e.marginal, e.transition, 280, 200);
    return target;
  });
  return [
    el(
      "p",
      { class: "quiet" },
      "Filled: the density of E − mean(E) (marginal energy); dark line: of ΔE, its change between draws (energy transition). " +
        "When ΔE is much narrower than E (E-BFMI below 0.3), the sampler explores energy levels slowly and may miss the tails.",
    ),
    el("div", { class: "energy" }, ...panels),
  ];
}

/** Reads the embedded data and draws everything; `body[data-ready="true"]` once done. */
function main(): void {
  const text = document.getElementById("sampo-report")?.textContent ?? "";
  const d = losslessParse(text) as ReportData;
  document.title = `sampo report · ${d.model}`;
  const table = new SummaryTable();
  table.update(d.summary);
  const warnings = el("div", {});
  renderWarnings(warnings, d.warnings);
  const section = (title: string, panel: string, ...children: HTMLElement[]) =>
    el("section", { "data-panel": panel }, el("h2", {}, title), ...children);
  fill(
    document.body,
    header(d),
    section("Chains", "chains", chainTable(d)),
    section("Warnings", "warnings", warnings),
    section("Summary", "summary-section", el("p", { class: "quiet" }, "Click a column to sort."), table.element),
    section("Traces, ranks and autocorrelation", "plots", ...elementPlots(d)),
    section("Pairs", "pair", ...pairSection(d)),
    section("Forest", "forest", ...forestSection(d)),
    section("Energy", "energy", ...energySection(d)),
  );
  // uPlot draws in a microtask after construction; a frame later everything is on screen.
  requestAnimationFrame(() => setTimeout(() => (document.body.dataset.ready = "true")));
}

try {
  main();
} catch (e) {
  document.body.append(el("p", { class: "error" }, `the report could not be drawn: ${String(e)}`));
  document.body.dataset.ready = "error";
  throw e;
}
