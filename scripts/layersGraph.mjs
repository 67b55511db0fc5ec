// Draws docs/layers.svg: src's folders as dependency-cruiser finds them, grouped
// into the layers of .dependency-cruiser.cjs (lowest at the bottom), one arrow per
// folder-to-folder import. Generated, never drawn by hand: `npm run layers:graph`
// (needs Graphviz's `dot`).
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const config = require("../.dependency-cruiser.cjs");
const folderOf = (path) => path.match(/^src\/([^/]+\.ts|[^/]+)/)?.[0];
const cruise = JSON.parse(
  execFileSync("npx", ["depcruise", "src", "--config", ".dependency-cruiser.cjs", "--output-type", "json"], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  }),
);
const folders = new Set();
const edges = new Set();
for (const m of cruise.modules) {
  const from = folderOf(m.source);
  if (from === undefined) continue;
  folders.add(from);
  for (const d of m.dependencies) {
    const to = folderOf(d.resolved);
    if (to !== undefined && to !== from) edges.add(`${from}\t${to}`);
  }
}
const layerOf = (folder) =>
  config.layers.findIndex((l) => l.paths.some((p) => new RegExp(p).test(folder.endsWith(".ts") ? folder : `${folder}/`)));
const id = (folder) => JSON.stringify(folder.replace(/^src\//, ""));
const lines = [
  "digraph layers {",
  '  rankdir=BT; newrank=true; node [shape=box, style="rounded,filled", fillcolor="#fff8dc", fontname="Helvetica", fontsize=11];',
  '  edge [color="#00000040", arrowsize=0.6];',
];
config.layers.forEach((layer, i) => {
  const members = [...folders].filter((f) => layerOf(f) === i).sort();
  lines.push(
    `  subgraph cluster_${i} { label=${JSON.stringify(`${i + 1}. ${layer.name}: ${layer.what}`)}; fontname="Helvetica"; fontsize=10; style="rounded"; color="#999999";`,
  );
  lines.push(`    { rank=same; ${members.map(id).join("; ")} }`);
  lines.push("  }");
});
// Invisible edges from each layer to the one below keep the layers stacked in order.
const firsts = config.layers.map((_, i) => [...folders].filter((f) => layerOf(f) === i).sort()[0]);
for (let i = 1; i < firsts.length; i++) lines.push(`  ${id(firsts[i])} -> ${id(firsts[i - 1])} [style=invis, weight=10];`);
for (const e of [...edges].sort()) {
  const [from, to] = e.split("\t");
  lines.push(`  ${id(from)} -> ${id(to)};`);
}
lines.push("}");
const svg = execFileSync("dot", ["-Tsvg"], { input: lines.join("\n"), encoding: "utf8" });
writeFileSync(new URL("../docs/layers.svg", import.meta.url), svg);
console.log(`docs/layers.svg: ${folders.size} folders in ${config.layers.length} layers, ${edges.size} folder imports`);
