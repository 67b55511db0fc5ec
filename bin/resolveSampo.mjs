// Module resolution hooks for model files run by the CLI:
// - `import … from "sampo"`, wherever the file lives on disk, resolves to
//   this checkout's source;
// - a `.ts` file outside any `"type": "module"` package is still ES module
//   syntax (model files use `import`), so it loads as one.
const entry = new URL("../src/index.ts", import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "sampo") return { url: entry, format: "module", shortCircuit: true };
  const resolved = await nextResolve(specifier, context);
  if (resolved.url.startsWith("file:") && resolved.url.endsWith(".ts") && !resolved.url.includes("/node_modules/")) {
    return { ...resolved, format: "module" };
  }
  return resolved;
}
