// The layers of src/, lowest first, as rules for dependency-cruiser: a file
// may import files of its own layer and of the layers below it, never above.
// `npm run layers` checks them (it runs in `npm test`); `npm run layers:graph`
// draws docs/layers.svg from this same list.
/** @type {{ name: string, what: string, paths: string[] }[]} */
const layers = [
  {
    name: "ground",
    what: "errors, random streams, special functions, shapes, layouts, numeric tensor kernels",
    paths: ["^src/(errors|version|losslessJson)\\.ts$", "^src/random/", "^src/special/", "^src/tensor/", "^src/numeric/"],
  },
  {
    name: "algebra",
    what: "the modelling algebra, distributions, transforms",
    paths: ["^src/dsl/", "^src/distributions/", "^src/transforms/"],
  },
  { name: "ir", what: "IR and reverse-mode autodiff", paths: ["^src/ir/", "^src/autodiff/"] },
  { name: "interpreters", what: "interpreters of models and model rewrites (handlers)", paths: ["^src/interpreters/", "^src/handlers/"] },
  { name: "codegen", what: "code generators: JavaScript, ONNX, standalone TypeScript", paths: ["^src/codegen/"] },
  { name: "engines", what: "inference engines: kernels, adaptation, diagnostics", paths: ["^src/inference/"] },
  { name: "runtime", what: "messages, sinks, workers, run directories, Stan CSV", paths: ["^src/runtime/", "^src/io/"] },
  {
    name: "dashboard",
    what: "the live dashboard and the report: an HTTP server of the draw stream and its browser page",
    paths: ["^src/dashboard/"],
  },
  { name: "glue", what: "models tied to engines and the runtime: sample, Fit, predictive", paths: ["^src/fit/"] },
  { name: "surface", what: "the package root and the CLI", paths: ["^src/index\\.ts$", "^src/cli/"] },
];

const any = (paths) => paths.join("|");
const model = "^src/(dsl|distributions|transforms|ir|autodiff|interpreters|handlers)/";

const layerRules = layers.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.name}`,
  comment: `${layer.name} (layer ${i + 1}: ${layer.what}) may not import a higher layer: ${layers
    .slice(i + 1)
    .map((l) => l.name)
    .join(", ")}`,
  severity: "error",
  from: { path: any(layer.paths) },
  to: { path: any(layers.slice(i + 1).flatMap((l) => l.paths)) },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "engines-see-a-density",
      comment: "inference engines see a density and draws, never a model: no DSL, IR or interpreter imports in src/inference",
      severity: "error",
      from: { path: "^src/inference/" },
      to: { path: model },
    },
    {
      name: "runtime-moves-messages",
      comment: "the runtime moves messages and never looks inside a model: no DSL, IR or interpreter imports in src/runtime or src/io",
      severity: "error",
      from: { path: "^src/(runtime|io)/" },
      to: { path: model },
    },
    {
      name: "page-runs-in-a-browser",
      comment:
        "the dashboard's page is a browser bundle: it imports only itself, what it shares with the server, the number format and uPlot",
      severity: "error",
      from: { path: "^src/dashboard/page/" },
      to: {
        pathNot: "^src/dashboard/(page|shared)/|^src/inference/diagnostics/format\\.ts$|^src/losslessJson\\.ts$|^node_modules/uplot/",
      },
    },
    {
      name: "src-stands-alone",
      comment: "the library never imports tests, benchmarks or examples",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(test|bench|examples)/" },
    },
    {
      name: "no-circular",
      comment: "an import circle makes two modules one; split out what both need",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      comment: "an import that does not resolve to a file or an installed package",
      severity: "error",
      from: {},
      // @webgpu/types holds declarations only (no entry file): the WebGPU backend references it with /// <reference types>.
      to: { couldNotResolve: true, pathNot: "^@webgpu/types$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
    reporterOptions: {
      dot: {
        collapsePattern: "^src/[^/]+/|^src/[^/]+\\.ts$",
      },
    },
  },
};
// Not part of dependency-cruiser's schema: read by scripts/layersGraph.mjs to draw the picture.
Object.defineProperty(module.exports, "layers", { value: layers, enumerable: false });
