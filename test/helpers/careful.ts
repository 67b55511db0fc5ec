/**
 * The careful form of a compiled density (simplify.ts's option), which
 * compiled code runs only where the default form's result is not finite,
 * made to answer every call, for tests at ordinary points.
 */
import { expect } from "vitest";
import type { CompiledDensity, PlainDensity } from "../../src/codegen/density.ts";
import { loadDensity } from "../../src/codegen/js/load.ts";

/** The source with logpGrad answering from the careful form, or undefined when the density has none. */
export function carefulSource(source: string): string | undefined {
  const head = "function logpGrad(th, grad) {";
  if (!source.includes("function logpGradCareful(")) return undefined;
  expect(source).toContain(head);
  return source.replace(head, `${head}\n  return logpGradCareful(th, grad);`);
}

/** The density whose logpGrad is the careful form's, or undefined when it has none. */
export function carefulDensity(plain: PlainDensity): CompiledDensity | undefined {
  const source = carefulSource(plain.source);
  return source === undefined ? undefined : loadDensity({ ...plain, source });
}

/** The density's forms by name: the default one, and the careful one where it has one. */
export function densityForms(plain: PlainDensity): [name: "default" | "careful", density: CompiledDensity][] {
  const careful = carefulDensity(plain);
  return careful === undefined
    ? [["default", loadDensity(plain)]]
    : [
        ["default", loadDensity(plain)],
        ["careful", careful],
      ];
}
