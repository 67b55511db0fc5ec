/**
 * The page's code and styles: TypeScript under page/ bundled by esbuild
 * into one script and one stylesheet (uPlot's included), once per process.
 * @module
 */
import { fileURLToPath } from "node:url";

/** A bundled page: its script and its stylesheet. */
export interface PageAssets {
  readonly js: string;
  readonly css: string;
}

/** The page entries: the live dashboard and the report. */
export type PageEntry = "live" | "report";

const built = new Map<PageEntry, Promise<PageAssets>>();

/** The bundle of page entry `entry` (built on first use, then cached). */
export function pageAssets(entry: PageEntry): Promise<PageAssets> {
  let assets = built.get(entry);
  if (assets === undefined) built.set(entry, (assets = bundle(entry)));
  return assets;
}

async function bundle(entry: PageEntry): Promise<PageAssets> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL(`./page/${entry}.ts`, import.meta.url))],
    bundle: true,
    write: false,
    outdir: "out",
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "none",
    logLevel: "silent",
  });
  const text = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? "";
  return { js: text(".js"), css: text(".css") };
}
