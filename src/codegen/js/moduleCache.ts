/**
 * Generated modules kept per process, by the exact content of the model
 * graph they were generated from: another `compile` of the same model (a
 * second `sample()`, a simulation-based calibration's fits, a notebook's
 * rerun), with the same data or other values of the same shapes, skips
 * differentiation, simplification and code generation.
 *
 * The key is a digest of every node the graph holds (reachable or not, by
 * id, with its op, shape, sources and whole payload: every constant's
 * values, gather indices, scan bodies), the layout and the values' names:
 * all that code generation reads. Data values are not in it (the module
 * reads them from its tables); nor are they read by code generation. Since
 * generation is deterministic, a hit is the module a fresh generation would
 * give, character for character (and with it `modelHash`).
 * @module
 */
import type { ModelGraph } from "../../interpreters/graph.ts";
import type { Node } from "../../ir/node.ts";
import { sha256 } from "../sha256.ts";
import type { JsModule } from "./module.ts";

/** Most modules kept (least recently used dropped first). */
const MODULES = 32;
const modules = new Map<string, JsModule>();

/** A number as text that tells every double apart (−0, NaN and ±∞ included). */
const exact = (x: number) => (Object.is(x, -0) ? "-0" : String(x));

/** A node's payload as text: whole arrays, node ids for scan bodies. */
function payload(n: Node): string {
  const a = n.arg as Record<string, unknown> | undefined;
  if (a === undefined) return "";
  if (n.op === "const" || n.op === "data") {
    const { values, ...rest } = a as { values: Float64Array };
    return n.op === "const" ? Array.from(values, exact).join(",") : JSON.stringify(rest);
  }
  return JSON.stringify(a, (_k, v: unknown) => {
    if (v instanceof Int32Array) return Array.from(v);
    if (typeof v === "object" && v !== null && "id" in v && "op" in v) return `#${(v as Node).id}`;
    return v;
  });
}

/** The digest that keys a model graph's module (see the module comment). */
export function moduleKey(mg: ModelGraph): string {
  const lines: string[] = [];
  for (const n of mg.graph.nodes()) lines.push(`${n.id} ${n.op} ${n.shape.join("x")} ${n.src.map((s) => s.id).join(",")} ${payload(n)}`);
  lines.push(`logp ${mg.logp.id}`);
  lines.push(`values ${JSON.stringify([...mg.values].map(([name, v]) => [name, v.id]))}`);
  lines.push(`layout ${JSON.stringify(mg.layout, (_k, v: unknown) => (typeof v === "number" ? exact(v) : v))}`);
  return sha256(lines.join("\n"));
}

/** The module for `mg`: the kept one for its key, else `generate()`'s, kept. */
export function cachedModule(mg: ModelGraph, generate: () => JsModule): JsModule {
  const key = moduleKey(mg);
  let js = modules.get(key);
  if (js !== undefined) modules.delete(key);
  else js = generate();
  modules.set(key, js);
  if (modules.size > MODULES) modules.delete(modules.keys().next().value as string);
  return js;
}
