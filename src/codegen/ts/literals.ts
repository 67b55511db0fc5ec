/**
 * Values as TypeScript source: layouts as object literals, data and tables
 * as typed-array literals. Strings go through JSON.stringify and numbers
 * through {@link literal}, so no name or value ever becomes code.
 * @module
 */
import { literal } from "../js/syntax.ts";

/** Numbers per line of an array literal (about 100 characters of doubles). */
const PER_LINE = 8;

/** A plain value (numbers, strings, arrays, objects of those) as a TypeScript expression; undefined fields are left out. */
export function tsValue(v: unknown): string {
  if (typeof v === "number") return literal(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(tsValue).join(", ")}]`;
  if (typeof v === "object" && v !== null) {
    const fields = Object.entries(v).filter(([, x]) => x !== undefined);
    if (fields.length === 0) return "{}";
    return `{ ${fields.map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${tsValue(x)}`).join(", ")} }`;
  }
  throw new Error(`standalone: cannot write a ${typeof v} as a literal`);
}

/** A number as an array element: no parentheses needed, but the sign of −0 kept. */
const element = (x: number): string => (Object.is(x, -0) ? "-0" : String(x));

/** `new Float64Array([...])` (or another typed array) of `values`, wrapped over lines indented by `indent`. */
export function typedArrayLiteral(type: "Float64Array" | "Int32Array", values: ArrayLike<number>, indent: string): string {
  const all = Array.from(values, element);
  if (all.length <= PER_LINE) return `new ${type}([${all.join(", ")}])`;
  const lines: string[] = [];
  for (let i = 0; i < all.length; i += PER_LINE) lines.push(`${indent}  ${all.slice(i, i + PER_LINE).join(", ")},`);
  return `new ${type}([\n${lines.join("\n")}\n${indent}])`;
}
