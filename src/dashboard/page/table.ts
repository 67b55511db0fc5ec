/**
 * The summary table: every element, the numbers printed as `fit.summary()`
 * prints them, sortable by any column (click a header; again to reverse).
 * @module
 */
import { formatSummaryCell, SUMMARY_COLUMNS } from "../../inference/diagnostics/format.ts";
import type { SummaryEntry } from "../shared/protocol.ts";
import { el, fill } from "./dom.ts";

type Column = "name" | (typeof SUMMARY_COLUMNS)[number];

/** A summary table that keeps its sort order across updates. */
export class SummaryTable {
  readonly element = el("table", { class: "summary", "data-panel": "summary" });
  private rows: readonly SummaryEntry[] = [];
  private sortBy: Column | undefined;
  private descending = false;

  /** Shows `rows`. */
  update(rows: readonly SummaryEntry[]): void {
    this.rows = rows;
    this.render();
  }

  private sort(column: Column): void {
    this.descending = this.sortBy === column ? !this.descending : column === "rhat";
    this.sortBy = column;
    this.render();
  }

  private render(): void {
    const columns: Column[] = ["name", ...SUMMARY_COLUMNS];
    const head = el(
      "tr",
      {},
      ...columns.map((c) => {
        const th = el("th", { "data-column": c }, c === "name" ? "variable" : c, c === this.sortBy ? (this.descending ? " ▾" : " ▴") : "");
        th.addEventListener("click", () => this.sort(c));
        return th;
      }),
    );
    const rows = this.rows.slice();
    const by = this.sortBy;
    if (by !== undefined) {
      const key = (r: SummaryEntry) => (by === "name" ? 0 : Number.isNaN(r[by]) ? -Infinity : r[by]);
      rows.sort((a, b) => (by === "name" ? a.name.localeCompare(b.name) : key(a) - key(b)) * (this.descending ? -1 : 1));
    }
    const body = rows.map((r) =>
      el(
        "tr",
        {},
        el("td", {}, r.name),
        ...SUMMARY_COLUMNS.map((c) => el("td", { class: c === "rhat" && r.rhat > 1.01 ? "bad" : "" }, formatSummaryCell(c, r[c]))),
      ),
    );
    fill(this.element, el("thead", {}, head), el("tbody", {}, ...body));
  }
}
