/**
 * The special functions of a standalone module. Generated code calls them
 * as `S.name(x)`; the standalone file cannot import them, so each one it
 * uses is written into it as straight-line TypeScript, by running its
 * composite version (src/special/composite) on {@link textArith}.
 * @module
 */
import type { FunctionDeclarationStructure } from "ts-morph";
import * as composite from "../../special/composite/index.ts";
import { textArith } from "./arith.ts";
import { tsMorph } from "./morph.ts";

/** A special function written once over {@link composite.Arith}. */
type Composite = <T, C>(A: composite.Arith<T, C>, x: T) => T;

/** The composites, by the name generated code calls them by (`S.lgamma`, …: see js/syntax.ts and js/load.ts). */
const composites: Readonly<Record<string, Composite>> = {
  lgamma: composite.lgamma,
  digamma: composite.digamma,
  trigamma: composite.trigamma,
  tetragamma: composite.tetragamma,
  erf: composite.erf,
};

/** Names of the special functions a generated source calls, in order of first use. */
export function specialsUsed(source: string): string[] {
  return [...new Set(Array.from(source.matchAll(/\bS\.(\w+)\(/g), (m) => m[1]))];
}

/** `function name(x: number): number { … }`, the composite `name` written out. */
export function specialFunction(name: string): FunctionDeclarationStructure {
  const composite = Object.hasOwn(composites, name) ? composites[name] : undefined;
  if (composite === undefined)
    throw new Error(`standalone TypeScript: no composite version of the special function ${name} (src/special/composite)`);
  const A = textArith("t");
  const result = composite(A, "x");
  return {
    kind: tsMorph().StructureKind.Function,
    name,
    parameters: [{ name: "x", type: "number" }],
    returnType: "number",
    statements: [...A.lines, `return ${result};`],
  };
}
