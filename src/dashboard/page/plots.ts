/**
 * The page's plots, drawn with uPlot: traces over iterations (warm-up
 * shaded, divergent iterations marked), and step plots over bins
 * (histograms, rank plots), one series per chain.
 * @module
 */
import uPlot from "uplot";
import { chainColor } from "../shared/colors.ts";

/** A mark at iteration `x` (and value `y`, when known) drawn over a trace. */
export interface Mark {
  readonly x: number;
  readonly y: number | undefined;
}

/** Options of {@link traceChart}. */
export interface TraceChartOptions {
  readonly title: string;
  readonly chains: number;
  readonly width: number;
  readonly height: number;
  /** Iterations 1…warmup are shaded. */
  readonly warmup: () => number;
  /** Divergent iterations to mark. */
  readonly marks?: () => readonly Mark[];
  /** A logarithmic y axis (step sizes). */
  readonly log?: boolean;
}

function chainSeries(chains: number, paths?: uPlot.Series.PathBuilder): uPlot.Series[] {
  return Array.from({ length: chains }, (_, i) => ({
    label: `chain ${i + 1}`,
    stroke: chainColor(i + 1),
    width: 1,
    points: { show: false },
    paths,
  }));
}

/** No data yet, for an x series and one series per chain. */
const empty = (chains: number): uPlot.AlignedData => Array.from({ length: chains + 1 }, () => []) as unknown as uPlot.AlignedData;

/** Shades warm-up and marks divergences (red ticks at the bottom, dots at their values). */
function decorate(u: uPlot, opts: TraceChartOptions): void {
  const { ctx, bbox } = u;
  const warmup = opts.warmup();
  ctx.save();
  if (warmup > 0) {
    const x0 = u.valToPos(1, "x", true);
    const x1 = Math.min(u.valToPos(warmup, "x", true), bbox.left + bbox.width);
    ctx.fillStyle = "rgba(0,0,0,0.06)";
    if (x1 > x0) ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
  }
  ctx.fillStyle = ctx.strokeStyle = "#e00000";
  for (const m of opts.marks?.() ?? []) {
    const x = u.valToPos(m.x, "x", true);
    if (x < bbox.left || x > bbox.left + bbox.width) continue;
    ctx.fillRect(x - 1, bbox.top + bbox.height - 8, 2, 8);
    if (m.y !== undefined && Number.isFinite(m.y)) {
      ctx.beginPath();
      ctx.arc(x, u.valToPos(m.y, "y", true), 2.5, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  ctx.restore();
}

/** A trace chart: x = iteration, one line per chain. */
export function traceChart(target: HTMLElement, opts: TraceChartOptions): uPlot {
  return new uPlot(
    {
      title: opts.title,
      width: opts.width,
      height: opts.height,
      legend: { show: false },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: false }, y: opts.log === true ? { distr: 3 } : {} },
      series: [{ label: "iteration" }, ...chainSeries(opts.chains)],
      hooks: { draw: [(u) => decorate(u, opts)] },
    },
    empty(opts.chains),
    target,
  );
}

/**
 * A step chart over bins: x = bin edges, one stepped line per chain. Counts
 * start the y axis at 0 (`fromZero`): autoscaled, the small wiggles of
 * well-mixed rank plots would look like large ones.
 */
export function binChart(target: HTMLElement, title: string, chains: number, width: number, height: number, fromZero = false): uPlot {
  return new uPlot(
    {
      title,
      width,
      height,
      legend: { show: false },
      scales: { x: { time: false }, y: fromZero ? { range: (_u, _min, max) => [0, max > 0 ? 1.1 * max : 1] } : {} },
      series: [{ label: "x" }, ...chainSeries(chains, uPlot.paths.stepped!({ align: 1 }))],
    },
    empty(chains),
    target,
  );
}

/** Bin heights as a stepped series over the bins' edges: the last height repeated at the last edge. */
export function stepHeights(h: readonly number[]): number[] {
  return [...h, h[h.length - 1]];
}

/**
 * Aligned data of step heights over `edges` (the last height repeated at the
 * last edge) for chains 1…`chains`; `heights` holds those of `used` (chain numbers).
 */
export function binData(
  chains: number,
  used: readonly number[],
  edges: readonly number[],
  heights: readonly (readonly number[])[],
): uPlot.AlignedData {
  const series = Array.from({ length: chains }, (_, i) => {
    const h = heights[used.indexOf(i + 1)];
    return h === undefined ? edges.map(() => null) : stepHeights(h);
  });
  return [edges.slice(), ...series];
}

/**
 * Aligned data of the traces of chains 1…`chains`: x = the iteration of slot
 * k (`iteration(k·stride + 1)`), NaN slots and missing chains as gaps.
 */
export function traceData(
  chains: number,
  stride: number,
  traces: readonly (readonly number[])[],
  iteration: (position: number) => number,
): uPlot.AlignedData {
  const n = Math.max(0, ...traces.map((c) => c.length));
  const x = Array.from({ length: n }, (_, k) => iteration(k * stride + 1));
  const series = Array.from({ length: chains }, (_, i) => {
    const c = traces[i] ?? [];
    return Array.from({ length: n }, (_, k) => (k < c.length && Number.isFinite(c[k]) ? c[k] : null));
  });
  return [x, ...series];
}
