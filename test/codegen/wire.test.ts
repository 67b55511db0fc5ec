/**
 * The wire form of a density (`sampo.ir/1`): every example model round-trips
 * through JSON text to the very density `compilePlain` makes (same source,
 * hashes, layouts and tables); numbers JSON cannot hold survive bit for bit;
 * and crafted documents are rejected with a WireError naming the place.
 */
import { describe, expect, it } from "vitest";
import { benchmarks, posteriordb } from "../../examples/index.ts";
import { compile } from "../../src/codegen/compile.ts";
import { dataHash, modelHash } from "../../src/codegen/hash.ts";
import { loadDensity } from "../../src/codegen/js/load.ts";
import { compilePlain } from "../../src/codegen/js/plain.ts";
import { plainFromWire, WIRE_FORMAT, wireDensity, type WireDensity, type WireLimits } from "../../src/codegen/wire.ts";
import { model } from "../../src/dsl/model.ts";
import { WireError } from "../../src/errors.ts";
import { hostile, hostileData, hostileNames } from "../helpers/hostile.ts";

const examples = { ...benchmarks, ...posteriordb };

/** What a receiver gets: the document as JSON text, parsed. */
const overTheWire = (w: WireDensity): unknown => JSON.parse(JSON.stringify(w));

describe("round trip", () => {
  for (const [name, { model: mdl, data }] of Object.entries(examples)) {
    it(`${name}: the receiver generates the sender's density`, () => {
      const w = wireDensity(mdl, data);
      const received = plainFromWire(overTheWire(w));
      const local = compilePlain(mdl, data);
      expect(received.source).toBe(local.source);
      expect(modelHash(received)).toBe(modelHash(local));
      expect(dataHash(received)).toBe(dataHash(local));
      expect(received).toEqual(local);
    });
  }

  it("covers scans and Cholesky solves", () => {
    const ops = (name: string) => new Set(wireDensity(posteriordb[name].model, posteriordb[name].data).nodes.map((n) => n.op));
    expect(ops("hmm_example-hmm_example").has("scan")).toBe(true);
    expect(ops("arma-arma11").has("scanResult")).toBe(true);
    expect([...ops("gp_pois_regr-gp_regr")]).toEqual(expect.arrayContaining(["cholesky", "triSolve", "gather", "scatterAdd"]));
  });

  it("is plain JSON data, and what it loads into evaluates like the local density", () => {
    const { model: mdl, data } = posteriordb["arK-arK"];
    const w = wireDensity(mdl, data);
    expect(overTheWire(w)).toEqual(w);
    const remote = loadDensity(plainFromWire(overTheWire(w)));
    const local = compile(mdl, data);
    const theta = Float64Array.from({ length: local.dim }, (_, i) => Math.sin(i + 1) / 2);
    const [g1, g2] = [new Float64Array(local.dim), new Float64Array(local.dim)];
    expect(remote.logpGrad(theta, g1)).toBe(local.logpGrad(theta, g2));
    expect(g1).toEqual(g2);
  });

  it("carries −0, NaN and ±Infinity bit for bit", () => {
    const special = model((m) => {
      const theta = m.sample("theta", m.normal(0, 1), { shape: [4] });
      m.deterministic("scaled", m.mul(theta, m.constant([-0, NaN, Infinity, -Infinity])));
      return {};
    });
    const w = wireDensity(special, undefined);
    expect(w.consts).toContainEqual(["-0", "NaN", "Infinity", "-Infinity"]);
    const received = plainFromWire(overTheWire(w));
    const local = compilePlain(special, undefined);
    expect(received.source).toBe(local.source);
    const [c] = received.consts.filter((c) => c.length === 4);
    expect(c.map((x) => Object.is(x, -0))).toEqual([true, false, false, false]);
    expect(c.slice(1)).toEqual([NaN, Infinity, -Infinity]);
  });

  it("carries −0 in data and in bounds", () => {
    const signed = model((m, d: { y: number[] }) => {
      const s = m.sample("s", m.uniform(-0, 2));
      m.observe("y", m.normal(0, s), m.data("yData", d.y));
      return {};
    });
    const data = { y: [-0, 1, -0.5] };
    const w = wireDensity(signed, data);
    expect(w.layout[0].transform.lower).toBe("-0");
    expect(w.data[0][0]).toBe("-0");
    const received = plainFromWire(overTheWire(w));
    expect(Object.is(received.data[0].values[0], -0)).toBe(true);
    expect(received).toEqual(compilePlain(signed, data));
  });

  it("keeps names that are prototype keys as names", () => {
    const keys = model((m) => {
      const a = m.sample("hasOwnProperty", m.normal(0, 1));
      const b = m.sample("constructor", m.normal(a, 1));
      m.deterministic("toString", m.mul(b, 2));
      return {};
    });
    const received = plainFromWire(overTheWire(wireDensity(keys, undefined)));
    expect(received.valueLayout.map((e) => e.name)).toEqual(["hasOwnProperty", "constructor", "toString"]);
    expect(received).toEqual(compilePlain(keys, undefined));
  });

  it("carries every name a model may have (prototype keys, Unicode letters, combining marks) unchanged", () => {
    const received = plainFromWire(overTheWire(wireDensity(hostile, hostileData)));
    expect(received.valueLayout.map((e) => e.name)).toEqual([...hostileNames.slice(0, 4)]);
    expect(received.data.map((d) => d.name)).toEqual([hostileNames[5]]);
    expect(received).toEqual(compilePlain(hostile, hostileData));
  });
});

// ---------------------------------------------------------------------------

// A crafted document is any JSON: typed loosely on purpose.
type Doc = any;

const eight = wireDensity(benchmarks.eight_schools.model, benchmarks.eight_schools.data);
const arK = wireDensity(posteriordb["arK-arK"].model, posteriordb["arK-arK"].data);
const arma = wireDensity(posteriordb["arma-arma11"].model, posteriordb["arma-arma11"].data);

/** A copy of `w` changed by `f`. */
function crafted(w: WireDensity, f: (d: Doc) => void): Doc {
  const d = overTheWire(w) as Doc;
  f(d);
  return d;
}

/** Position of the first node satisfying `p`. */
const find = (d: Doc, p: (n: Doc) => boolean): number => (d.nodes as Doc[]).findIndex(p);
const first = (d: Doc, op: string): number => find(d, (n) => n.op === op);

/** Asserts that `json` is rejected with a WireError at `path` whose message matches `what`. */
function rejects(json: unknown, path: string, what: RegExp, limits?: WireLimits): void {
  let error: unknown;
  try {
    plainFromWire(json, limits);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(WireError);
  const e = error as WireError;
  expect(e.name).toBe("WireError");
  expect(e.path).toBe(path);
  expect(e.message).toContain(path === "" ? "(document)" : path);
  expect(e.message).toMatch(what);
}

describe("rejects", () => {
  it("what is not a document", () => {
    for (const x of [null, undefined, 3, "sampo.ir/1", [], [eight], true]) rejects(x, "", /expected an object/);
  });

  it("another format", () => {
    for (const format of ["sampo.ir/2", "sampo.js/1", 1, null]) rejects({ ...eight, format }, "format", /expected "sampo\.ir\/1"/);
    expect(WIRE_FORMAT).toBe("sampo.ir/1");
  });

  it("smuggled and missing fields", () => {
    rejects({ ...eight, source: "return process.exit(1)" }, "source", /unknown field/);
    rejects(
      crafted(eight, (d) => (d.nodes[3].source = "x")),
      "nodes[3].source",
      /unknown field/,
    );
    rejects(
      crafted(eight, (d) => (d.layout[0].transform.code = "x")),
      "layout[0].transform.code",
      /unknown field/,
    );
    rejects(JSON.parse(JSON.stringify(eight).replace('{"format"', '{"__proto__":{"polluted":1},"format"')), "__proto__", /unknown field/);
    rejects(
      crafted(eight, (d) => delete d.grads),
      "grads",
      /missing field/,
    );
    const e = first(eight, "exp");
    rejects(
      crafted(eight, (d) => (d.nodes[e].arg = {})),
      `nodes[${e}].arg`,
      /exp takes no payload/,
    );
  });

  it("an unknown op", () => {
    const e = first(eight, "exp");
    for (const op of ["eval", "constructor", "__proto__", "toString", 7]) {
      rejects(
        crafted(eight, (d) => (d.nodes[e].op = op)),
        `nodes[${e}].op`,
        /unknown op/,
      );
    }
  });

  it("a string, a fraction or a negative number where an integer belongs", () => {
    const e = find(eight, (n) => n.op === "log" && n.shape.length === 1);
    rejects(
      crafted(eight, (d) => (d.nodes[e].shape = ["8"])),
      `nodes[${e}].shape[0]`,
      /expected an integer, got "8"/,
    );
    rejects(
      crafted(eight, (d) => (d.nodes[e].shape = [-8])),
      `nodes[${e}].shape[0]`,
      /-8 is outside/,
    );
    rejects(
      crafted(eight, (d) => (d.nodes[0].id = 0.5)),
      "nodes[0].id",
      /expected an integer/,
    );
    rejects(
      crafted(eight, (d) => (d.layout[1].offset = "1")),
      "layout[1].offset",
      /expected an integer/,
    );
    rejects(
      crafted(eight, (d) => (d.logp = String(d.logp))),
      "logp",
      /expected an integer/,
    );
    const c = eight.consts.findIndex((c) => c.length > 0);
    rejects(
      crafted(eight, (d) => (d.consts[c][0] = "nan")),
      `consts[${c}][0]`,
      /expected a number/,
    );
  });

  it("non-finite data", () => {
    rejects(
      crafted(eight, (d) => (d.data[0][2] = "NaN")),
      "data[0][2]",
      /NaN is not allowed/,
    );
    rejects(
      crafted(eight, (d) => (d.data[0][2] = "-Infinity")),
      "data[0][2]",
      /finite numbers only/,
    );
  });

  it("code in a name", () => {
    const p = first(eight, "param");
    const code = 'x"]); process.exit(1); //';
    rejects(
      crafted(eight, (d) => (d.nodes[p].arg.site = code)),
      `nodes[${p}].arg.site`,
      /character "\\"" is not allowed in a name/,
    );
    rejects(
      crafted(eight, (d) => (d.layout[0].name = "`${process.exit(1)}`")),
      "layout[0].name",
      /not allowed in a name/,
    );
    const dn = first(eight, "data");
    rejects(
      crafted(eight, (d) => (d.nodes[dn].arg.name = "y\u2028")),
      `nodes[${dn}].arg.name`,
      /not allowed in a name/,
    );
    rejects(
      crafted(eight, (d) => (d.values[0][0] = "")),
      "values[0][0]",
      /must not be empty/,
    );
    rejects(
      crafted(eight, (d) => (d.values[0][0] = "x".repeat(257))),
      "values[0][0]",
      /at most 256/,
    );
  });

  it("forward, cyclic and dangling references", () => {
    const e = find(eight, (n) => n.src.length > 0);
    const last = eight.nodes[eight.nodes.length - 1].id;
    rejects(
      crafted(eight, (d) => (d.nodes[e].src[0] = last)),
      `nodes[${e}].src[0]`,
      /not an earlier entry of nodes/,
    );
    rejects(
      crafted(eight, (d) => (d.nodes[e].src[0] = d.nodes[e].id)),
      `nodes[${e}].src[0]`,
      /not an earlier entry of nodes/,
    );
    rejects(
      crafted(eight, (d) => (d.logp = 123456789)),
      "logp",
      /not an earlier entry of nodes/,
    );
  });

  it("a duplicate id", () => {
    rejects(
      crafted(eight, (d) => (d.nodes[5].id = d.nodes[2].id)),
      "nodes[5].id",
      /duplicate id .* \(also nodes\[2\]\)/,
    );
  });

  it("a gather index out of range", () => {
    const g = first(arK, "gather");
    const k = (arK.nodes[g].arg as { indices: number }).indices;
    rejects(
      crafted(arK, (d) => (d.indices[k][0] = 10_000)),
      `nodes[${g}].arg.indices`,
      /10000, out of range/,
    );
    rejects(
      crafted(arK, (d) => (d.indices[k][0] = -1)),
      `indices[${k}][0]`,
      /outside/,
    );
    rejects(
      crafted(arK, (d) => (d.nodes[g].arg.indices = d.indices.length)),
      `nodes[${g}].arg.indices`,
      /outside/,
    );
  });

  it("shapes that lie", () => {
    const c = find(eight, (n) => n.op === "const" && n.shape.length === 0);
    rejects(
      crafted(eight, (d) => (d.nodes[c].shape = [2])),
      `nodes[${c}].arg.values`,
      /shape \[2\] needs 2/,
    );
    const dn = first(eight, "data");
    rejects(
      crafted(eight, (d) => (d.nodes[dn].shape = [9])),
      `nodes[${dn}].arg.index`,
      /shape \[9\] needs 9/,
    );
    const e = find(eight, (n) => n.op === "log" && n.shape.length === 1);
    rejects(
      crafted(eight, (d) => (d.nodes[e].shape = [7])),
      `nodes[${e}]`,
      /IR verifier/,
    );
    rejects(
      crafted(eight, (d) => (d.layout[2].size = 9)),
      "layout[2].size",
      /has 8 unconstrained coordinates, not 9/,
    );
  });

  it("a malformed careful form", () => {
    expect(eight.careful).toBeDefined();
    rejects(
      crafted(eight, (d) => (d.careful.code = "x")),
      "careful.code",
      /unknown field/,
    );
    rejects(
      crafted(eight, (d) => d.careful.grads.pop()),
      "careful.grads",
      /gradients for 3 parameters/,
    );
    const v = find(eight, (n) => n.shape.length === 1);
    rejects(
      crafted(eight, (d) => (d.careful.logp = d.nodes[v].id)),
      "careful.logp",
      /log p must be a scalar/,
    );
    // Without it, the careful form's nodes are needed by nothing.
    expect(() => plainFromWire(crafted(eight, (d) => delete d.careful))).toThrow(/nodes\[\d+\].*not needed by log p/);
  });

  it("malformed scans", () => {
    const s = first(arma, "scan");
    rejects(
      crafted(arma, (d) => (d.nodes[s].arg.free += 1)),
      `nodes[${s}].arg`,
      /sources, not carries \+ sequences \+ free values/,
    );
    rejects(
      crafted(arma, (d) => (d.nodes[s].arg.carry = [d.nodes[s].src[0]])),
      `nodes[${s}].arg.carry[0]`,
      /not a placeholder/,
    );
    const r = first(arma, "scanResult");
    rejects(
      crafted(arma, (d) => (d.nodes[r].arg.index = 99)),
      `nodes[${r}].arg.index`,
      /out of range for a scan/,
    );
  });

  it("what passes the checks but not the code generator, still as a WireError", () => {
    const ph = find(arma, (n) => n.op === "placeholder" && n.shape.length === 0);
    rejects(
      crafted(arma, (d) => (d.values[0][1] = d.nodes[ph].id)),
      "nodes",
      /code generation failed: .*placeholder .* read outside its loop/,
    );
  });

  it("unknown transforms and unused nodes", () => {
    rejects(
      crafted(eight, (d) => (d.layout[0].transform.type = "exec")),
      "layout[0].transform.type",
      /unknown transform "exec"/,
    );
    rejects(
      crafted(eight, (d) => (d.layout[0].transform.lower = 0)),
      "layout[0].transform.lower",
      /identity transform has no lower bound/,
    );
    const c = first(eight, "const");
    const n = eight.nodes.length;
    rejects(
      crafted(eight, (d) => d.nodes.push({ ...d.nodes[c], id: 1e9 })),
      `nodes[${n}]`,
      /not needed/,
    );
  });

  it("what exceeds the limits, before reading it", () => {
    rejects(eight, "nodes", /limit of 5/, { maxNodes: 5 });
    const tables = arK.consts.flat().length + arK.indices.flat().length;
    rejects(arK, "data[0]", new RegExp(`more than the limit of ${tables + 1} numbers`), { maxElements: tables + 1 });
    const e = find(eight, (n) => n.shape.length === 1 && n.shape[0] > 4);
    rejects(eight, `nodes[${e}].shape[0]`, /8 is outside \[0, 4\]/, { maxNodeSize: 4 });
    // The limit holds before anything looks inside: a huge bogus array is refused by its length alone.
    rejects(
      crafted(eight, (d) => (d.consts[0] = new Array(2e6).fill("bogus"))),
      "consts[0]",
      /more than the limit/,
      { maxElements: 1e6 },
    );
  });
});
