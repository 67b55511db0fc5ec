/**
 * The model as a Graphviz picture: the DAG of its variables, with plates.
 * @module
 */
import type { Model, Outputs } from "../dsl/model.ts";
import type { Shape } from "../tensor/shape.ts";
import type { Params } from "../dsl/distribution.ts";
import { asSym, type Statement, type Sym, traceSymbolic } from "./symbolic.ts";

interface DotNode {
  readonly id: string;
  readonly name: string;
  kind: "sample" | "observed" | "data" | "deterministic" | "factor";
  family?: string;
  /** The leading dimension of the batch shape: the plate the node sits in. */
  plate?: number;
  readonly parents: Set<string>;
}

const attributes: { readonly [K in DotNode["kind"]]: string } = {
  sample: "shape=ellipse",
  observed: "shape=ellipse, style=filled, fillcolor=lightgray",
  data: "shape=box",
  deterministic: "shape=ellipse, style=dashed",
  factor: "shape=octagon",
};

/**
 * A DOT string literal. Backslashes and quotes are escaped, a newline
 * becomes a label line break, other control characters show as `\uXXXX`.
 */
function quote(text: string): string {
  const body = text.replace(/[\\"\n\p{Cc}]/gu, (c) => {
    if (c === "\\") return "\\\\";
    if (c === '"') return '\\"';
    if (c === "\n") return "\\n";
    return `\\\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return `"${body}"`;
}

const plateOf = (shape: Shape): number | undefined => (shape.length > 0 ? shape[0] : undefined);

/**
 * The Graphviz `digraph` of a model's variables: latent sites (ellipses),
 * observed sites (shaded ellipses), data (boxes), deterministics (dashed
 * ellipses) and factors (octagons), with an edge from every variable a
 * site's parameters, value or expression depend on. Nodes whose batch
 * shape (for data and deterministics, shape) has a leading dimension n sit
 * in a cluster labelled n, one per size. Node identifiers are generated
 * (`n0`, `n1`, …); names appear only in escaped labels.
 *
 * @example
 * ```ts
 * import { writeFileSync } from "node:fs";
 * writeFileSync("schools.dot", toDot(eightSchools, data)); // then: dot -Tsvg schools.dot
 * ```
 */
export function toDot<D, O extends Outputs>(model: Model<D, O>, data: D): string {
  const nodes = new Map<string, DotNode>();
  const params = (p: Params): Sym[] => Object.values(p).map(asSym);
  const add = (name: string, kind: DotNode["kind"], plate: number | undefined, inputs: readonly Sym[], family?: string): void => {
    // m.observe of plain numbers makes a data site of the same name: one node, observed.
    const node = nodes.get(name) ?? { id: `n${nodes.size}`, name, kind, plate, parents: new Set<string>() };
    Object.assign(node, { kind, plate, family });
    for (const s of inputs) for (const dep of s.deps) if (dep !== name) node.parents.add(dep);
    nodes.set(name, node);
  };
  const visit = (s: Statement): void => {
    switch (s.kind) {
      case "data":
        add(s.name, "data", plateOf(s.value.shape), []);
        return;
      case "sample":
        add(s.site.name, "sample", plateOf(s.site.batchShape), params(s.site.params), s.site.family.name);
        return;
      case "observe":
        add(s.site.name, "observed", plateOf(s.site.batchShape), [...params(s.site.params), asSym(s.site.value)], s.site.family.name);
        return;
      case "deterministic":
        add(s.name, "deterministic", plateOf(s.value.shape), [s.value]);
        return;
      case "factor":
        add(s.name, "factor", undefined, [s.logp]);
        return;
      case "scan":
        s.body.forEach(visit);
    }
  };
  traceSymbolic(model, data).statements.forEach(visit);

  const declare = (n: DotNode, indent: string): string => {
    const label = n.kind === "factor" ? `${n.name}\nfactor` : n.family === undefined ? n.name : `${n.name}\n~\n${n.family}`;
    return `${indent}${n.id} [label=${quote(label)}, ${attributes[n.kind]}];`;
  };
  const lines = ["digraph model {"];
  const plates = new Map<number, DotNode[]>();
  for (const n of nodes.values()) {
    if (n.plate === undefined) lines.push(declare(n, "  "));
    else plates.set(n.plate, [...(plates.get(n.plate) ?? []), n]);
  }
  for (const [size, members] of plates) {
    lines.push(`  subgraph cluster_${size} {`, `    label="${size}";`, "    labeljust=r;", "    labelloc=b;", "    style=rounded;");
    for (const n of members) lines.push(declare(n, "    "));
    lines.push("  }");
  }
  for (const n of nodes.values()) for (const p of n.parents) lines.push(`  ${(nodes.get(p) as DotNode).id} -> ${n.id};`);
  lines.push("}");
  return lines.join("\n");
}
