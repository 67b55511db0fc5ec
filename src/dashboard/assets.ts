/**
 * The page's code and styles: TypeScript under page/ bundled by esbuild
 * into one script and one stylesheet (uPlot's included), once per process.
 * The precompiled library has them built in (scripts/build.mjs writes each
 * entry's bundle as its compiled page/<entry>.js, and page/<entry>.css);
 * from source they are bundled on first use.
 * @module
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { isCompiled, ownModule } from "../runtime/compiled.ts";

/** A bundled page: its script and its stylesheet. */
export interface PageAssets {
  readonly js: string;
  readonly css: string;
}

/** The page entries: the live dashboard and the report. */
export const PAGE_ENTRIES = ["live", "report"] as const;

/** A page entry. */
export type PageEntry = (typeof PAGE_ENTRIES)[number];

const built = new Map<PageEntry, Promise<PageAssets>>();

/** The bundle of page entry `entry` (built or read on first use, then cached). */
export function pageAssets(entry: PageEntry): Promise<PageAssets> {
  let assets = built.get(entry);
  if (assets === undefined) built.set(entry, (assets = load(entry)));
  return assets;
}

async function load(entry: PageEntry): Promise<PageAssets> {
  const script = ownModule(`./page/${entry}.ts`, import.meta.url);
  if (!isCompiled(import.meta.url)) return bundlePage(fileURLToPath(script));
  const [js, css] = await Promise.all([readFile(script, "utf8"), readFile(new URL(`./page/${entry}.css`, import.meta.url), "utf8")]);
  return { js, css };
}

/** Bundles the page entry at `source` (page/<entry>.ts) for the browser: one minified script and its stylesheet. */
export async function bundlePage(source: string): Promise<PageAssets> {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    entryPoints: [source],
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
