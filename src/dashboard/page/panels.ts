/**
 * The page's panels besides plots and the summary: each chain's progress,
 * the run's warnings, and the parameter picker.
 * @module
 */
import type { ChainStatus } from "../shared/protocol.ts";
import { el, fill, swatch } from "./dom.ts";

const num = (x: number, digits: number) => (Number.isFinite(x) ? x.toPrecision(digits) : "–");

/**
 * One row per chain: state and phase, iteration, draws/s, divergences,
 * recovered faults, step size. A method run's chains (its draws, which come
 * at the end) show only their state and draws: NUTS's columns do not apply.
 */
export function renderChains(target: Element, chains: readonly ChainStatus[], method = false): void {
  if (method) return renderMethodChains(target, chains);
  const head = el(
    "tr",
    {},
    ...["chain", "state", "iteration", "", "draws/s", "divergences", "recovered", "step size"].map((h) => el("th", {}, h)),
  );
  const rows = chains.map((c) =>
    el(
      "tr",
      { "data-chain": String(c.chain), "data-state": c.state },
      el("td", {}, swatch(c.chain), ` ${c.chain}`),
      el("td", {}, c.phase),
      el("td", { class: "iter" }, `${c.iter} / ${c.total}`),
      el("td", {}, el("progress", { max: String(c.total), value: String(c.iter) })),
      el("td", {}, Number.isFinite(c.rate) ? Math.round(c.rate) : "–"),
      el("td", {}, c.warmupDivergent > 0 ? `${c.divergent} (+${c.warmupDivergent} in warm-up)` : c.divergent),
      el("td", {}, c.recovered),
      el("td", {}, num(c.stepSize, 3)),
    ),
  );
  fill(target, el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows)));
}

/** A method run's chains: state and draws received. */
function renderMethodChains(target: Element, chains: readonly ChainStatus[]): void {
  const head = el("tr", {}, ...["chain", "state", "draws", ""].map((h) => el("th", {}, h)));
  const rows = chains.map((c) =>
    el(
      "tr",
      { "data-chain": String(c.chain), "data-state": c.state },
      el("td", {}, swatch(c.chain), ` ${c.chain}`),
      el("td", {}, c.phase),
      el("td", { class: "iter" }, `${c.iter} / ${c.total}`),
      el("td", {}, el("progress", { max: String(c.total), value: String(c.iter) })),
    ),
  );
  fill(target, el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows)));
}

/** The warnings in words, or a line saying there are none yet (`pending`: when they will come). */
export function renderWarnings(
  target: Element,
  warnings: readonly string[] | undefined,
  pending = "warnings appear once sampling has draws",
): void {
  if (warnings === undefined) return fill(target, el("p", { class: "quiet" }, pending));
  if (warnings.length === 0) return fill(target, el("p", { class: "ok" }, "no warnings"));
  fill(target, el("ul", {}, ...warnings.map((w) => el("li", {}, w))));
}

/**
 * The parameter picker: a filter box and a checkbox per element (at most
 * `max` checked); `onChange` gets the chosen indices.
 */
export function picker(names: readonly string[], selected: readonly number[], max: number, onChange: (sel: number[]) => void): HTMLElement {
  const chosen = new Set(selected);
  const filter = el("input", { type: "search", placeholder: `filter ${names.length} parameters`, "aria-label": "filter parameters" });
  const list = el("div", { class: "picklist" });
  const render = () => {
    const q = filter.value.toLowerCase();
    const items = names.flatMap((name, j) => {
      if (q !== "" && !name.toLowerCase().includes(q)) return [];
      const box = el("input", { type: "checkbox", "data-index": String(j) });
      box.checked = chosen.has(j);
      box.addEventListener("change", () => {
        if (box.checked && chosen.size >= max) box.checked = false;
        else if (box.checked) chosen.add(j);
        else chosen.delete(j);
        onChange([...chosen].sort((a, b) => a - b));
      });
      return [el("label", {}, box, name)];
    });
    fill(
      list,
      ...items.slice(0, 500),
      items.length > 500 ? el("p", { class: "quiet" }, `${items.length - 500} more: filter to find them`) : undefined,
    );
  };
  filter.addEventListener("input", render);
  render();
  return el("div", { class: "picker", "data-panel": "picker" }, filter, list);
}
