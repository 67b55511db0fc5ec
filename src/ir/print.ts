/**
 * A stable text form of the IR, one node a line, for golden tests and debugging.
 * @module
 */
import type { Arg, Node } from "./node.ts";
import { topoSort } from "./walk.ts";

function showArg(n: Node): string {
  switch (n.op) {
    case "const": {
      const v = (n.arg as Arg<"const">).values;
      return v.length <= 4 ? `[${Array.from(v).join(", ")}]` : `[${v.length} values]`;
    }
    case "param": {
      const a = n.arg as Arg<"param">;
      return `θ[${a.offset}:${a.offset + n.shape[0]}] ${JSON.stringify(a.site)}`;
    }
    case "data":
      return JSON.stringify((n.arg as Arg<"data">).name);
    case "gather": {
      const idx = (n.arg as Arg<"gather">).indices;
      return idx.length <= 6 ? `[${idx.join(", ")}]` : `[${idx.length} indices]`;
    }
    case "scan": {
      const a = n.arg as Arg<"scan">;
      return `length ${a.length}, ${a.carry.length} carried, ${a.slices.length} sequences, ${a.outputs.length} outputs, ${a.free} free`;
    }
    default:
      return n.arg === undefined ? "" : JSON.stringify(n.arg, (_, v) => (v instanceof Int32Array ? `[${v.length} indices]` : v));
  }
}

/** Prints the graph reachable from `roots`, numbering nodes in topological order. */
export function printIR(roots: readonly Node[]): string {
  const order = topoSort(roots);
  const name = new Map(order.map((n, i) => [n.id, `%${i}`]));
  const lines = order.map((n) => {
    const src = n.src.map((s) => name.get(s.id)).join(", ");
    const arg = showArg(n);
    return `${name.get(n.id)} = ${n.op}(${src})${arg ? ` ${arg}` : ""} : [${n.shape.join(", ")}]`;
  });
  lines.push(`return ${roots.map((r) => name.get(r.id)).join(", ")}`);
  return lines.join("\n");
}
