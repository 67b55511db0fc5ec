/**
 * A compiled density as one standalone TypeScript file: no imports, typed,
 * the data baked in. It is the JavaScript backend's code (emitModuleParts)
 * with its parameters typed, put together with ts-morph around exported
 * layouts and data, plus the special functions it calls written out as
 * straight-line code (special.ts). logp and its gradient agree with
 * `compile(model, data)` bit for bit, except through special functions
 * (composite versions here, @stdlib's there).
 * @module
 */
import type { FunctionDeclarationStructure, InterfaceDeclarationStructure, StatementStructures } from "ts-morph";
import type { Model, Outputs } from "../../dsl/model.ts";
import type { Arg } from "../../ir/node.ts";
import { layoutDim } from "../../interpreters/density.ts";
import { buildGraph } from "../../interpreters/graph.ts";
import { emitModuleParts, type ModuleFunction } from "../js/module.ts";
import { valueLayoutOf } from "../js/plain.ts";
import { typedPrelude } from "../js/syntax.ts";
import { tsValue, typedArrayLiteral } from "./literals.ts";
import { tsMorph } from "./morph.ts";
import { specialFunction, specialsUsed } from "./special.ts";
import type { TransformType } from "../../tensor/layout.ts";

/** Every transform type, so the generated `TransformType` union is complete (a new type is a compile error here). */
const transformTypes: { readonly [T in TransformType]: null } = {
  identity: null,
  log: null,
  lower: null,
  upper: null,
  lowerUpper: null,
  logit: null,
  ordered: null,
  positiveOrdered: null,
  simplex: null,
  choleskyCorr: null,
};

/** What a generated function says of itself. */
const functionDocs: { readonly [N in ModuleFunction["name"]]: string } = {
  prepare: "Recomputes what depends on the data alone; run at load, and again after changing `data` values in place.",
  logp: "log p(θ) at the unconstrained point `th` (length `dim`, laid out as `layout`), plus the log-Jacobian of the transforms.",
  logpGrad: "log p(θ), writing ∇ log p(θ) into `grad` (length `dim`).",
  logpCareful: "log p(θ) in the careful form, which `logp` returns where its own result is not finite.",
  logpGradCareful: "log p(θ) and its gradient in the careful form, which `logpGrad` returns where its own are not finite.",
  constrain: "The constrained values of every parameter and deterministic at `th`, in `valueLayout` order (written into `out` if given).",
};

/**
 * `export const name: type = initializer;` with its doc. Written as text: a
 * structure's initializer gets a hanging indent, which would shift every
 * line of a multi-line literal.
 */
const exportedConst = (name: string, type: string, initializer: string, doc: string): string =>
  `/** ${doc} */\nexport const ${name}: ${type} = ${initializer};`;

/** An exported interface of readonly properties `[name, type, doc]`. */
const exportedInterface = (
  name: string,
  doc: string,
  properties: readonly (readonly [string, string, string])[],
): InterfaceDeclarationStructure => ({
  kind: tsMorph().StructureKind.Interface,
  isExported: true,
  name,
  docs: [doc],
  properties: properties.map(([p, type, d]) => ({ name: p, isReadonly: true, type, docs: [d] })),
});

/** An array literal of one element per line. */
const list = (elements: readonly string[]): string => (elements.length === 0 ? "[]" : `[\n${elements.map((e) => `  ${e},`).join("\n")}\n]`);

/** Emitted bodies are indented one level; ts-morph indents them again. */
const dedent = (body: string): string => body.replace(/^ {2}/gm, "");

/** The types of the exported values, declared in the file (it imports nothing). */
const typeDeclarations = (): readonly StatementStructures[] => [
  {
    kind: tsMorph().StructureKind.TypeAlias,
    isExported: true,
    name: "TransformType",
    docs: ["How a parameter is mapped to unconstrained space."],
    type: Object.keys(transformTypes)
      .map((t) => JSON.stringify(t))
      .join(" | "),
  },
  exportedInterface("LayoutEntry", "Where one parameter sits in θ.", [
    ["name", "string", "Site name."],
    ["shape", "readonly number[]", "Constrained shape."],
    ["offset", "number", "First index in θ."],
    ["size", "number", "Unconstrained length."],
    [
      "transform",
      "{ readonly type: TransformType; readonly lower?: number; readonly upper?: number }",
      "The transform to unconstrained space (constant bounds, if any).",
    ],
  ]),
  exportedInterface("ValueEntry", "Where one named value sits in the output of `constrain` (row-major).", [
    ["name", "string", "Site name."],
    ["shape", "readonly number[]", "Shape."],
    ["offset", "number", "First index."],
    ["size", "number", "Number of elements."],
    ["kind", '"parameter" | "deterministic"', "A latent site, or a deterministic."],
  ]),
  exportedInterface("DataEntry", "One data array of the model, row-major.", [
    ["name", "string", "Name given to `m.data` or `m.observe`."],
    ["shape", "readonly number[]", "Shape."],
    ["values", "Float64Array", "The values (change them in place, then call `prepare()`)."],
  ]),
];

/**
 * Emits the density of a model with its data as the text of one standalone
 * TypeScript module (no imports; passes `tsc --strict`), exporting `dim`,
 * `layout`, `valueLayout`, `valueSize`, `data`, `logp(th)`,
 * `logpGrad(th, grad)`, `constrain(th, out?)` and `prepare()`. Build-time
 * errors are those of `compile`.
 *
 * @example
 * ```ts
 * import { writeFileSync } from "node:fs";
 * import { resolve } from "node:path";
 * writeFileSync("eight_schools.density.ts", emitStandaloneTs(eightSchools, data));
 * // elsewhere, with no dependency on sampo (statically: import { dim, logpGrad } from "./eight_schools.density.ts"):
 * const { dim, logpGrad } = await import(resolve("eight_schools.density.ts"));
 * const grad = new Float64Array(dim);
 * const lp = logpGrad(new Float64Array(dim), grad);
 * ```
 */
export function emitStandaloneTs<D, O extends Outputs>(mdl: Model<D, O>, data: D): string {
  const { IndentationText, Project, StructureKind } = tsMorph();
  const mg = buildGraph(mdl, data);
  const mod = emitModuleParts(mg);
  const valueLayout = valueLayoutOf(mg);
  const valueSize = valueLayout.reduce((a, e) => a + e.size, 0);
  const dataEntries = mg.graph.data.map((d) => {
    const a = d.arg as Arg<"data">;
    return `{\n    name: ${JSON.stringify(a.name)},\n    shape: ${tsValue(d.shape)},\n    values: ${typedArrayLiteral("Float64Array", a.values, "    ")},\n  }`;
  });
  const table = (type: "Float64Array" | "Int32Array", arrays: readonly ArrayLike<number>[]) =>
    list(arrays.map((x) => typedArrayLiteral(type, x, "  ")));

  const code = [mod.setup.join("\n"), ...mod.functions.flatMap((f) => [f.body, ...f.parts.map((p) => p.body)])].join("\n");
  const specials = specialsUsed(code);
  const typedParams = (f: ModuleFunction) => f.params.map((name) => ({ name, type: "Float64Array" }));
  const fn = (f: ModuleFunction): FunctionDeclarationStructure => {
    const exported: FunctionDeclarationStructure = {
      kind: StructureKind.Function,
      isExported: !f.name.endsWith("Careful"),
      name: f.name,
      docs: [functionDocs[f.name]],
      parameters: typedParams(f),
      returnType: f.name === "prepare" || f.name === "constrain" ? "void" : "number",
      statements: dedent(f.body),
    };
    if (f.name !== "constrain") return exported;
    // The emitted constrain writes `out`; the exported one also allocates and returns it.
    return {
      ...exported,
      parameters: [
        { name: "th", type: "Float64Array" },
        { name: "out", type: "Float64Array", initializer: "new Float64Array(valueSize)" },
      ],
      returnType: "Float64Array",
      statements: `${dedent(f.body)}\nreturn out;`,
    };
  };

  const statements: (string | StatementStructures)[] = [
    ...typeDeclarations(),
    exportedConst("dim", "number", String(layoutDim(mg.layout)), "Length of θ, the unconstrained point."),
    exportedConst("layout", "readonly LayoutEntry[]", list(mg.layout.map(tsValue)), "The parameters in θ order."),
    exportedConst(
      "valueLayout",
      "readonly ValueEntry[]",
      list(valueLayout.map(tsValue)),
      "The constrained values: parameters, then deterministics, in model order.",
    ),
    exportedConst("valueSize", "number", String(valueSize), "Length of the output of `constrain`."),
    exportedConst("data", "readonly DataEntry[]", list(dataEntries), "The data the density was compiled with."),
    "const D: readonly Float64Array[] = data.map((d) => d.values);",
  ];
  if (mod.consts.length > 0) statements.push(`const C: readonly Float64Array[] = ${table("Float64Array", mod.consts)};`);
  if (mod.indices.length > 0) statements.push(`const I: readonly Int32Array[] = ${table("Int32Array", mod.indices)};`);
  if (specials.length > 0) statements.push(...specials.map(specialFunction), `const S = { ${specials.join(", ")} };`);
  statements.push(...typedPrelude, ...mod.setup);
  for (const f of mod.functions) {
    for (const p of f.parts) {
      statements.push({
        kind: StructureKind.Function,
        name: p.name,
        parameters: typedParams(f),
        returnType: "void",
        statements: dedent(p.body),
      });
    }
  }
  statements.push(...mod.functions.map(fn), "prepare();");

  const project = new Project({ useInMemoryFileSystem: true, manipulationSettings: { indentationText: IndentationText.TwoSpaces } });
  const file = project.createSourceFile("density.ts", {
    leadingTrivia: [
      "/**",
      " * The log density of a sampo model with its data, compiled: standalone",
      " * TypeScript, no imports. Generated by sampo; do not edit.",
      " * @module",
      " */",
      "",
      "",
    ].join("\n"),
    statements,
  });
  return file.getFullText();
}
