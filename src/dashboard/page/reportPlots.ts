/**
 * The report's own plots: autocorrelation and energy with uPlot, the pair
 * plot (a scatter matrix) and the forest plot drawn on a plain canvas, with
 * the chains' colours of every other plot. Names are drawn as canvas text,
 * never parsed as markup.
 * @module
 */
import uPlot from "uplot";
import { chainColor } from "../shared/colors.ts";
import type { ReportForest, ReportPairs } from "../shared/report.ts";
import { stepHeights } from "./plots.ts";

/** Divergent transitions: a red no chain has (chain 4's is #d62728), outlined so they stand out on any chain. */
const DIVERGENT = "#e00000";
const FONT = "11px system-ui, sans-serif";
const AXIS = "#555";
const GRID = "rgba(0,0,0,0.08)";

/** One line per chain over lags 0…maxLag, the y axis from at most −0.2 to 1. */
export function autocorrChart(
  target: HTMLElement,
  title: string,
  lags: readonly (readonly number[])[],
  width: number,
  height: number,
): void {
  const x = lags[0]?.map((_, t) => t) ?? [];
  new uPlot(
    {
      title,
      width,
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false }, y: { range: (_u, min) => [Math.min(-0.2, Number.isFinite(min) ? min : 0), 1] } },
      series: [
        { label: "lag" },
        ...lags.map((_, i) => ({ label: `chain ${i + 1}`, stroke: chainColor(i + 1), width: 1.25, points: { show: false } })),
      ],
    },
    [x, ...lags.map((c) => c.map((r) => (Number.isFinite(r) ? r : null)))] as uPlot.AlignedData,
    target,
  );
}

/**
 * Rank histograms, one stepped line per chain over `edges` (ranks pooled
 * over all chains), the y axis from 0 and a dashed line at `expected`, the
 * count per bin of a chain that mixes perfectly: a chain whose line keeps
 * off it sits in one part of the posterior.
 */
export function rankChart(
  target: HTMLElement,
  title: string,
  edges: readonly number[],
  counts: readonly (readonly number[])[],
  expected: number,
  width: number,
  height: number,
): void {
  const paths = uPlot.paths.stepped!({ align: 1 });
  new uPlot(
    {
      title,
      width,
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(max, 2 * expected) * 1.05 || 1] } },
      series: [
        { label: "rank" },
        ...counts.map((_, i) => ({ label: `chain ${i + 1}`, stroke: chainColor(i + 1), width: 1.25, paths, points: { show: false } })),
      ],
      hooks: {
        draw: [
          (u) => {
            const { ctx, bbox } = u;
            const y = Math.round(u.valToPos(expected, "y", true)) + 0.5;
            ctx.save();
            ctx.strokeStyle = "rgba(0,0,0,0.5)";
            ctx.setLineDash([4, 4]);
            ctx.beginPath();
            ctx.moveTo(bbox.left, y);
            ctx.lineTo(bbox.left + bbox.width, y);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    },
    [edges.slice(), ...counts.map(stepHeights)] as uPlot.AlignedData,
    target,
  );
}

/**
 * One chain's energy plot: the density of E − mean(E) (filled, the chain's
 * colour) and of ΔE (a dark line) over common bins. A ΔE distribution much
 * narrower than E's means momentum resampling moves slowly through energy
 * levels (low E-BFMI).
 */
export function energyChart(
  target: HTMLElement,
  title: string,
  chain: number,
  edges: readonly number[],
  marginal: readonly number[],
  transition: readonly number[],
  width: number,
  height: number,
): void {
  const paths = uPlot.paths.stepped!({ align: 1 });
  new uPlot(
    {
      title,
      width,
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max * 1.05 || 1] } },
      series: [
        { label: "energy" },
        { label: "E − mean E", stroke: chainColor(chain), fill: `${chainColor(chain)}40`, width: 1.5, paths, points: { show: false } },
        { label: "ΔE", stroke: "#222", width: 1.5, paths, points: { show: false } },
      ],
    },
    [edges.slice(), stepHeights(marginal), stepHeights(transition)] as uPlot.AlignedData,
    target,
  );
}

/** A canvas of `width` × `height` CSS pixels, sharp on high-density screens, in `target`. */
function canvas2d(target: HTMLElement, width: number, height: number): CanvasRenderingContext2D {
  const canvas = document.createElement("canvas");
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  target.append(canvas);
  const ctx = canvas.getContext("2d")!;
  ctx.scale(dpr, dpr);
  ctx.font = FONT;
  return ctx;
}

/** About `count` round tick values (1, 2 or 5 × 10ⁿ apart) within [lo, hi]. */
function ticks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / count;
  if (!(raw > 0) || !Number.isFinite(raw)) return [lo];
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

/** A tick label: few digits, no float noise. */
const tickLabel = (t: number) => String(Number(t.toPrecision(4)));

/** [lo, hi] of the finite values, widened by `pad` of the span on each side (a unit span around a constant). */
function extent(values: Iterable<number>, pad: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of values) if (Number.isFinite(x)) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
  if (!Number.isFinite(lo)) return [0, 1];
  if (!(hi > lo)) return [lo - 0.5, hi + 0.5];
  const d = (hi - lo) * pad;
  return [lo - d, hi + d];
}

/** `text` cut with an ellipsis to at most `max` pixels wide. */
function fitText(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let n = text.length;
  while (n > 1 && ctx.measureText(`${text.slice(0, n)}…`).width > max) n--;
  return `${text.slice(0, n)}…`;
}

/**
 * The pair plot: a lower-triangular scatter matrix of the paired elements
 * (every pair once), points in their chain's colour, divergent transitions
 * in red on top: divergences bunched in one region (a funnel's neck) point
 * at the geometry the sampler could not follow.
 */
export function pairPlot(target: HTMLElement, names: readonly string[], pairs: ReportPairs): void {
  const k = pairs.elements.length;
  const cells = k - 1;
  const size = cells === 1 ? 340 : cells === 2 ? 250 : 200;
  const gap = 12;
  const [left, bottom, top, right] = [70, 46, 8, 8];
  const width = left + cells * size + (cells - 1) * gap + right;
  const height = top + cells * size + (cells - 1) * gap + bottom;
  const ctx = canvas2d(target, width, height);
  const ranges = pairs.values.map((v) => extent(v, 0.04));
  // Plain points chain by chain, then every divergent one, so none hides under a draw.
  const order = pairs.chain.map((_, p) => p).sort((a, b) => Number(pairs.divergent[a]) - Number(pairs.divergent[b]));

  for (let row = 0; row < cells; row++) {
    for (let col = 0; col <= row; col++) {
      const [xv, yv] = [col, row + 1];
      const x0 = left + col * (size + gap);
      const y0 = top + row * (size + gap);
      const [xlo, xhi] = ranges[xv];
      const [ylo, yhi] = ranges[yv];
      const px = (x: number) => x0 + ((x - xlo) / (xhi - xlo)) * size;
      const py = (y: number) => y0 + size - ((y - ylo) / (yhi - ylo)) * size;
      ctx.strokeStyle = GRID;
      ctx.lineWidth = 1;
      const xt = ticks(xlo, xhi, 5);
      const yt = ticks(ylo, yhi, 5);
      for (const t of xt) ctx.strokeRect(Math.round(px(t)) + 0.5, y0, 0, size);
      for (const t of yt) ctx.strokeRect(x0, Math.round(py(t)) + 0.5, size, 0);
      ctx.strokeStyle = "#bbb";
      ctx.strokeRect(x0 + 0.5, y0 + 0.5, size - 1, size - 1);

      ctx.save();
      ctx.beginPath();
      ctx.rect(x0, y0, size, size);
      ctx.clip();
      for (const p of order) {
        const x = pairs.values[xv][p];
        const y = pairs.values[yv][p];
        if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
        ctx.beginPath();
        if (pairs.divergent[p]) {
          ctx.arc(px(x), py(y), 3, 0, 2 * Math.PI);
          ctx.fillStyle = DIVERGENT;
          ctx.fill();
          ctx.strokeStyle = "#000";
          ctx.lineWidth = 0.75;
          ctx.stroke();
        } else {
          ctx.arc(px(x), py(y), 1.7, 0, 2 * Math.PI);
          ctx.fillStyle = chainColor(pairs.chain[p]);
          ctx.globalAlpha = 0.7;
          ctx.fill();
          ctx.globalAlpha = 1;
        }
      }
      ctx.restore();

      ctx.fillStyle = AXIS;
      if (row === cells - 1) {
        ctx.textAlign = "center";
        ctx.textBaseline = "top";
        for (const t of xt) ctx.fillText(tickLabel(t), px(t), y0 + size + 4);
        ctx.font = `bold ${FONT}`;
        ctx.fillText(fitText(ctx, names[pairs.elements[xv]], size), x0 + size / 2, y0 + size + 24);
        ctx.font = FONT;
      }
      if (col === 0) {
        ctx.textAlign = "right";
        ctx.textBaseline = "middle";
        for (const t of yt) ctx.fillText(tickLabel(t), x0 - 4, py(t));
        ctx.save();
        ctx.translate(14, y0 + size / 2);
        ctx.rotate(-Math.PI / 2);
        ctx.textAlign = "center";
        ctx.font = `bold ${FONT}`;
        ctx.fillText(fitText(ctx, names[pairs.elements[yv]], size), 0, 0);
        ctx.restore();
      }
    }
  }
}

/**
 * The forest plot: per element, the pooled 90% interval (5%–95%, black,
 * thick) with its median (dot), and each chain's below it in the chain's
 * colour: chains that disagree show as intervals that do not overlap.
 */
export function forestPlot(target: HTMLElement, names: readonly string[], forest: ReportForest, width: number): void {
  const chains = forest.chains[0]?.length ?? 0;
  const rowHeight = 14 + 5 * chains;
  const [top, bottom, right] = [8, 28, 16];
  const measure = canvas2d(document.createElement("div"), 1, 1);
  const labels = forest.elements.map((j) => fitText(measure, names[j], 200));
  const left = Math.max(60, ...labels.map((l) => measure.measureText(l).width)) + 16;
  const height = top + forest.elements.length * rowHeight + bottom;
  const ctx = canvas2d(target, width, height);
  const all = forest.elements.flatMap((_, i) => [forest.pooled[i], ...forest.chains[i]].flatMap((q) => [q.q05, q.q95]));
  const [lo, hi] = extent(all, 0.03);
  const plotWidth = width - left - right;
  const px = (x: number) => left + ((x - lo) / (hi - lo)) * plotWidth;
  const bottomY = top + forest.elements.length * rowHeight;

  forest.elements.forEach((_, i) => {
    if (i % 2 === 1) {
      ctx.fillStyle = "rgba(0,0,0,0.035)";
      ctx.fillRect(left, top + i * rowHeight, plotWidth, rowHeight);
    }
  });
  ctx.strokeStyle = GRID;
  const xt = ticks(lo, hi, 8);
  for (const t of xt) ctx.strokeRect(Math.round(px(t)) + 0.5, top, 0, bottomY - top);
  if (lo < 0 && hi > 0) {
    ctx.strokeStyle = "rgba(0,0,0,0.35)";
    ctx.setLineDash([3, 3]);
    ctx.strokeRect(Math.round(px(0)) + 0.5, top, 0, bottomY - top);
    ctx.setLineDash([]);
  }

  const interval = (q: { q05: number; q50: number; q95: number }, y: number, color: string, lineWidth: number, radius: number) => {
    ctx.strokeStyle = ctx.fillStyle = color;
    ctx.lineWidth = lineWidth;
    if (Number.isFinite(q.q05) && Number.isFinite(q.q95)) {
      ctx.beginPath();
      ctx.moveTo(px(q.q05), y);
      ctx.lineTo(px(q.q95), y);
      ctx.stroke();
    }
    if (Number.isFinite(q.q50)) {
      ctx.beginPath();
      ctx.arc(px(q.q50), y, radius, 0, 2 * Math.PI);
      ctx.fill();
    }
  };
  forest.elements.forEach((_, i) => {
    const y0 = top + i * rowHeight;
    interval(forest.pooled[i], y0 + 7, "#000", 2.5, 3.5);
    forest.chains[i].forEach((q, c) => interval(q, y0 + 14 + 5 * c, chainColor(c + 1), 1.5, 2));
    ctx.fillStyle = "#222";
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    ctx.fillText(labels[i], left - 8, y0 + rowHeight / 2);
  });

  ctx.fillStyle = AXIS;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.strokeStyle = "#bbb";
  ctx.lineWidth = 1;
  ctx.strokeRect(left + 0.5, bottomY + 0.5, plotWidth, 0);
  for (const t of xt) ctx.fillText(tickLabel(t), px(t), bottomY + 6);
}
