/**
 * toDot: golden graphs of real models (reviewed files in test/golden);
 * every example's output parses as DOT with every edge between declared
 * nodes (and renders with Graphviz when `dot` is installed); nodes, edges
 * and plates say what the model says; unusual legal names survive in labels.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { benchmarks, posteriordb } from "../../examples/index.ts";
import eightSchools, { data as eightSchoolsData } from "../../examples/eight_schools.ts";
import arK, { data as arKData } from "../../examples/posteriordb/arK-arK.ts";
import nonCentered, { data as nonCenteredData } from "../../examples/posteriordb/eight_schools-eight_schools_noncentered.ts";
import garch, { data as garchData } from "../../examples/posteriordb/garch-garch11.ts";
import gp, { data as gpData } from "../../examples/posteriordb/gp_pois_regr-gp_pois_regr.ts";
import hmm, { data as hmmData } from "../../examples/posteriordb/hmm_example-hmm_example.ts";
import { model } from "../../src/dsl/model.ts";
import { condition } from "../../src/handlers/replace.ts";
import { toDot } from "../../src/interpreters/dot.ts";
import { expectGolden } from "../golden/golden.ts";

interface ParsedDot {
  /** Node id → attributes (label unescaped). */
  readonly nodes: Map<string, Record<string, string>>;
  readonly edges: [string, string][];
  /** Cluster label → node ids. */
  readonly clusters: Map<string, string[]>;
}

/**
 * A strict parser for the DOT subset toDot writes: statements `id [a=v, …];`,
 * `a -> b;`, `key=value;` and `subgraph id { … }` inside one `digraph id { … }`.
 * Throws on anything else (unbalanced braces, stray tokens).
 */
function parseDot(src: string): ParsedDot {
  const tokens: string[] = [];
  const lexer = /\s+|("(?:\\[\s\S]|[^"\\])*")|(->|[{}[\];=,])|([A-Za-z0-9_.]+)|([\s\S])/gy;
  for (let m = lexer.exec(src); m !== null; m = lexer.exec(src)) {
    if (m[4] !== undefined) throw new Error(`stray character ${JSON.stringify(m[4])}`);
    const tok = m[1] ?? m[2] ?? m[3];
    if (tok !== undefined) tokens.push(tok);
  }
  let i = 0;
  const next = () => tokens[i++] ?? "";
  const want = (t: string) => {
    const got = next();
    if (got !== t) throw new Error(`expected ${t}, got ${got} at token ${i}`);
  };
  const value = (t: string) => (t.startsWith('"') ? t.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c)) : t);
  const nodes = new Map<string, Record<string, string>>();
  const edges: [string, string][] = [];
  const clusters = new Map<string, string[]>();
  const body = (members: string[] | undefined, attrs: Record<string, string>) => {
    want("{");
    while (tokens[i] !== "}") {
      if (i >= tokens.length) throw new Error("unbalanced braces");
      const id = next();
      if (id === "subgraph") {
        next();
        const inner: string[] = [];
        const own: Record<string, string> = {};
        body(inner, own);
        clusters.set(own.label, inner);
        continue;
      }
      const op = next();
      if (op === "->") {
        edges.push([id, next()]);
      } else if (op === "=") {
        attrs[id] = value(next());
      } else if (op === "[") {
        const a: Record<string, string> = {};
        while (tokens[i] !== "]") {
          const k = next();
          want("=");
          a[k] = value(next());
          if (tokens[i] === ",") next();
        }
        next();
        nodes.set(id, a);
        members?.push(id);
      } else throw new Error(`unexpected ${op} after ${id}`);
      want(";");
    }
    want("}");
  };
  want("digraph");
  next();
  body(undefined, {});
  if (i !== tokens.length) throw new Error("tokens after the graph");
  return { nodes, edges, clusters };
}

/** Checks the structure and returns the graph by site names: edges `a -> b`, clusters, node attributes. */
function checked(src: string) {
  const g = parseDot(src);
  for (const [a, b] of g.edges) {
    expect(g.nodes.has(a), `edge from undeclared ${a}`).toBe(true);
    expect(g.nodes.has(b), `edge to undeclared ${b}`).toBe(true);
  }
  const name = (id: string) =>
    g.nodes
      .get(id)!
      .label.split("\n~\n")[0]
      .replace(/\nfactor$/, "");
  return {
    edges: g.edges.map(([a, b]) => `${name(a)} -> ${name(b)}`).sort(),
    clusters: Object.fromEntries([...g.clusters].map(([label, ids]) => [label, ids.map(name)])),
    node: (n: string) => [...g.nodes.values()].find((a) => a.label.split("\n~\n")[0].replace(/\nfactor$/, "") === n),
    names: [...g.nodes.keys()].map(name),
  };
}

const hasGraphviz = spawnSync("dot", ["-V"]).status === 0;

describe("golden graphs", () => {
  const cases = [
    ["eight_schools", () => toDot(eightSchools, eightSchoolsData)],
    ["eight_schools_noncentered", () => toDot(nonCentered, nonCenteredData)],
    ["arK", () => toDot(arK, arKData)],
    ["garch11", () => toDot(garch, garchData)],
    ["hmm_example", () => toDot(hmm, hmmData)],
    ["gp_pois_regr", () => toDot(gp, gpData)],
  ] as const;
  for (const [name, dot] of cases) it(name, () => expectGolden(`${name}.dot`, dot()));
});

describe("every example", () => {
  for (const [name, ex] of Object.entries({ ...benchmarks, ...posteriordb })) {
    it(`${name} parses${hasGraphviz ? " and renders" : ""}`, () => {
      const src = toDot(ex.model, ex.data);
      checked(src);
      if (hasGraphviz) expect(spawnSync("dot", ["-Tsvg"], { input: src }).status).toBe(0);
    });
  }
});

describe("the graph", () => {
  it("has the model's dependencies and plates", () => {
    const g = checked(toDot(eightSchools, eightSchoolsData));
    expect(g.edges).toEqual(["mu -> theta", "sigma -> y", "tau -> theta", "theta -> y"]);
    expect(g.clusters).toEqual({ 8: ["theta", "sigma", "y"] });
    expect(g.node("mu")).toEqual({ label: "mu\n~\nnormal", shape: "ellipse" });
    expect(g.node("tau")?.label).toBe("tau\n~\nhalf_normal");
    expect(g.node("sigma")).toEqual({ label: "sigma", shape: "box" });
    expect(g.node("y")).toEqual({ label: "y\n~\nnormal", shape: "ellipse", style: "filled", fillcolor: "lightgray" });
  });

  it("follows values through deterministics, scans and factors", () => {
    const nc = checked(toDot(nonCentered, nonCenteredData));
    expect(nc.node("theta")?.style).toBe("dashed");
    expect(nc.edges).toContain("theta_trans -> theta");
    expect(nc.edges).toContain("theta -> y");
    expect(nc.edges).not.toContain("tau -> y");
    const g = checked(toDot(garch, garchData));
    expect(g.edges.filter((e) => e.endsWith("-> y_obs"))).toEqual([
      "alpha0 -> y_obs",
      "alpha1 -> y_obs",
      "beta1 -> y_obs",
      "mu -> y_obs",
      "sigma1 -> y_obs",
      "y -> y_obs",
    ]);
    expect(g.node("beta1_flat")?.shape).toBe("octagon");
    expect(g.edges).toContain("alpha1 -> beta1_flat");
    expect(g.clusters).toEqual({ 200: ["y", "y_obs"] });
  });

  it("shows a conditioned site as observed", () => {
    const g = checked(toDot(condition(eightSchools, { tau: 2 }), eightSchoolsData));
    expect(g.node("tau")?.style).toBe("filled");
    expect(g.names.filter((n) => n === "tau")).toHaveLength(1);
  });

  it("keeps names that are prototype keys, Unicode letters, combining marks or node ids in labels, unchanged", () => {
    const names = ["constructor", "σ_β", "x\u0304ñ", "toString", "hasOwnProperty", "n0"];
    const hostile = model((m) => {
      const xs = names.slice(0, -1).map((n) => m.sample(n, m.normal(0, 1)));
      m.factor(names[names.length - 1], m.sum(m.stack(xs)));
      return {};
    });
    const src = toDot(hostile, undefined);
    const g = checked(src);
    expect(g.names).toEqual(names);
    expect(g.edges).toHaveLength(names.length - 1);
    if (hasGraphviz) expect(spawnSync("dot", ["-Tsvg"], { input: src }).status).toBe(0);
  });
});
