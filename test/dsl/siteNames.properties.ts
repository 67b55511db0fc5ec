/**
 * Site and data names (issue #16): for any generated name, the build either
 * rejects it with a SiteNameError naming it, or the name round-trips —
 * through the Stan CSV header (with and without its `sampo_layout` comment)
 * back to the same sites and shapes, and into the summary, one row per
 * element under its display name. Each case builds a tiny model with the
 * reference interpreter and writes a small synthetic chain: no sampling.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { model } from "../../src/dsl/model.ts";
import { SITE_NAME_RULE } from "../../src/dsl/siteName.ts";
import { SiteNameError } from "../../src/errors.ts";
import { summarize } from "../../src/inference/diagnostics/report.ts";
import { formatSummaryTable } from "../../src/inference/diagnostics/summary.ts";
import { type ChainDraws, STAT_NAMES } from "../../src/inference/draws.ts";
import { logDensity } from "../../src/interpreters/logDensity.ts";
import { isStatColumn, parseStanColumns, readStanCsv, stanColumns, stanCsv } from "../../src/io/stanCsv/index.ts";
import { elementNames, type ValueLayout } from "../../src/tensor/layout.ts";
import type { Shape } from "../../src/tensor/shape.ts";
import { propertyParameters } from "../helpers/property.ts";

/** Strings that have broken, or could break, something that writes names. */
const trickyNames = [
  "",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "isPrototypeOf",
  "prototype",
  "lp__",
  "a__",
  "__",
  "_",
  "a__b",
  "a.b",
  "a.1",
  "a,b",
  "a[1]",
  "p[31,25]",
  'a"b',
  "a'b",
  "a b",
  " a",
  "a\n",
  "a\r\nb",
  "1a",
  "σ",
  "β_1",
  "ñ",
  "n\u0303", // ñ not in NFC
  "e\u0301",
  "x\u0304", // a combining mark with no precomposed form: NFC as it is
  "\uD800",
  "a\uDC00",
  "\u{1D6C3}", // mathematical bold alpha: a letter outside the BMP
  "a\u200Db",
  "a\u2028",
  "\uFEFFa",
  "a=b",
  "a#b",
  "$a",
];

/** A name: full Unicode, identifier-like, tricky, or pieces of those joined. */
const nameArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.string({ unit: "grapheme", maxLength: 4 }),
  // Weighted so that about half the names are legal and take the whole round trip.
  { arbitrary: fc.stringMatching(/^[a-zA-Z_σβñ][a-zA-Z0-9_σβñ\u0304]{0,6}$/), weight: 3 },
  fc.constantFrom(...trickyNames),
  fc
    .array(
      fc.oneof(fc.constantFrom(...trickyNames, "a", "_", "1", ".", ",", "__", "\uDC00"), fc.string({ unit: "binary", maxLength: 2 })),
      {
        minLength: 1,
        maxLength: 4,
      },
    )
    .map((parts) => parts.join("")),
);

/** A site shape: scalar, vector, matrix or array, zero dimensions included. */
const shapeArb: fc.Arbitrary<Shape> = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 });

/** A deterministic's shape: scalar or a short vector. */
const detShapeArb: fc.Arbitrary<Shape> = fc.oneof(
  fc.constant([]),
  fc.integer({ min: 1, max: 3 }).map((k) => [k]),
);

const sizeOf = (s: Shape) => s.reduce((a, b) => a * b, 1);

/** Builds a model with a latent site `names[0]` of shape `latent` and a deterministic `names[1]` of shape `det`; returns its value layout. */
function build(names: readonly [string, string], latent: Shape, det: Shape): ValueLayout {
  const mdl = model((m) => {
    const x = m.sample(names[0], m.normal(0, 1), { shape: latent });
    m.deterministic(names[1], det.length === 0 ? m.sum(x) : m.mul(m.sum(x), m.constant(new Array<number>(det[0]).fill(1))));
    return {};
  });
  // The reference interpreter builds (and checks) the model without generating code; for a normal site
  // its layout entry is what a compiled density reports, and the deterministic's shape is the one it was given.
  const [entry] = logDensity(mdl, undefined).layout;
  return [
    { name: entry.name, shape: entry.shape, offset: 0, size: sizeOf(entry.shape), kind: "parameter" },
    { name: names[1], shape: det, offset: sizeOf(entry.shape), size: sizeOf(det), kind: "deterministic" },
  ];
}

/** What building a model with one site of `kind` named `name` gives: "ok", or the error. */
function buildOne(name: string, kind: SiteKind): unknown {
  const mdl = model((m) => {
    if (kind === "sample") m.sample(name, m.normal(0, 1));
    else if (kind === "observe") m.observe(name, m.normal(0, 1), [0.5]);
    else if (kind === "data") m.data(name, [1, 2]);
    else if (kind === "deterministic") m.deterministic(name, m.constant(1));
    else m.factor(name, m.constant(-1));
    return {};
  });
  try {
    logDensity(mdl, undefined);
    return "ok";
  } catch (e) {
    return e;
  }
}

const SITE_KINDS = ["sample", "observe", "data", "deterministic", "factor"] as const;
type SiteKind = (typeof SITE_KINDS)[number];

/** A chain of `n` synthetic draws of `layout`: distinct values, plausible statistics. */
function syntheticChain(layout: ValueLayout, n: number): ChainDraws {
  const width = layout.reduce((a, e) => a + e.size, 0);
  const values = Array.from({ length: width }, (_, j) => Float64Array.from({ length: n }, (_, i) => Math.sin(1 + i * 7 + j * 13)));
  const stat = (s: (typeof STAT_NAMES)[number]) =>
    Float64Array.from({ length: n }, (_, i) => (s === "divergent" || s === "recovered" ? 0 : s === "treeDepth" ? 2 : 0.5 + i / n));
  const stats = Object.fromEntries(STAT_NAMES.map((s) => [s, stat(s)])) as unknown as ChainDraws["stats"];
  return { chain: 1, warmup: 0, draws: n, stats, values };
}

/** The name and shape of every site of a layout. */
const sites = (layout: ValueLayout) => layout.map((e) => ({ name: e.name, shape: [...e.shape] }));

/**
 * Defines the site-name properties with `runs` cases each.
 *
 * @param runs fast-check runs per property.
 */
export function defineSiteNameProperties(runs: number): void {
  test.prop([fc.tuple(nameArb, nameArb), shapeArb, detShapeArb], propertyParameters<[[string, string], Shape, Shape]>(runs))(
    "a site name is refused at build with a SiteNameError naming it, or round-trips through Stan CSV and the summary",
    ([a, b], latent, det) => {
      let layout: ValueLayout;
      try {
        layout = build([a, b], latent, det);
      } catch (e) {
        expect(e).toBeInstanceOf(SiteNameError);
        const err = e as SiteNameError;
        expect([a, b]).toContain(err.site);
        if (err.message.includes("two sites have this name")) expect(a).toBe(b);
        else expect(err.message).toContain(SITE_NAME_RULE);
        return;
      }
      expect(sites(layout)).toEqual([
        { name: a, shape: latent },
        { name: b, shape: det },
      ]);
      const { names: columns } = stanColumns(layout);
      for (const c of columns) expect(isStatColumn(c)).toBe(false);
      const text = stanCsv(syntheticChain(layout, 4), layout, { model: "m", seed: 1, warmup: 0, draws: 4 });
      const file = readStanCsv(text);
      expect(sites(file.layout)).toEqual(sites(layout));
      // Without the sampo_layout comment (as another tool would read the file), the sites with elements read back too.
      expect(sites(parseStanColumns(columns).layout)).toEqual(sites(layout.filter((e) => e.size > 0)));
      const rows = summarize(file.layout, [file.chain]);
      expect(rows.map((r) => r.name)).toEqual(elementNames(layout));
      const table = formatSummaryTable(rows.map(({ name, ...row }) => ({ name, row }))).split("\n");
      expect(table.slice(1).map((line) => line.split(" ")[0])).toEqual(elementNames(layout));
    },
  );

  test.prop([nameArb], propertyParameters<[string]>(runs))(
    "every kind of site, data included, accepts and refuses the same names",
    (name) => {
      const outcomes = SITE_KINDS.map((kind) => buildOne(name, kind));
      for (const outcome of outcomes) {
        if (outcome === "ok") continue;
        expect(outcome).toBeInstanceOf(SiteNameError);
        expect((outcome as SiteNameError).site).toBe(name);
        expect((outcome as SiteNameError).message).toContain(SITE_NAME_RULE);
      }
      expect(new Set(outcomes.map((o) => o === "ok")).size).toBe(1);
    },
  );
}
