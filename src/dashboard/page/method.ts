/**
 * The panels of a run of a method other than NUTS: its progress line and
 * its result's headline figures. The server sends both as text.
 * @module
 */
import type { MethodProgress, MethodResult } from "../shared/protocol.ts";
import { el, fill } from "./dom.ts";

/** The engine's last progress in one line: phase, iteration (of the phase's most), and its figures; or `note`, why none comes. */
export function renderProgress(target: Element, progress: MethodProgress | undefined, finished: boolean, note?: string): void {
  if (progress === undefined)
    return fill(target, el("p", { class: "quiet" }, note ?? (finished ? "no progress was reported" : "starting")));
  const iter = progress.total === undefined ? `iteration ${progress.iter}` : `iteration ${progress.iter} of ${progress.total}`;
  fill(
    target,
    el(
      "p",
      { "data-phase": progress.phase },
      el("strong", {}, progress.phase),
      ` · ${iter}`,
      ...progress.metrics.map((m) => ` · ${m.label} ${m.value}`),
    ),
  );
}

/** The result's headline figures, or a line saying they come at the end. */
export function renderResult(target: Element, result: MethodResult | undefined): void {
  if (result === undefined) return fill(target, el("p", { class: "quiet" }, "the method's figures appear when it finishes"));
  fill(
    target,
    el(
      "dl",
      { class: "figures" },
      ...result.figures.flatMap((f) => [el("dt", {}, f.label), el("dd", { "data-figure": f.label }, f.value)]),
    ),
  );
}
