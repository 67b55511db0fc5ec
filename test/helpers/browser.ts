/**
 * A real browser for the page tests: Debian's chromium driven by
 * playwright-core, installed from Debian's packages when missing. Tests
 * fail, never skip, when it cannot start.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHAIN_COLORS } from "../../src/dashboard/shared/colors.ts";
import { ensureDebianPackage } from "./debian.ts";

const CHROMIUM = "/usr/bin/chromium";

/** Starts headless chromium (installing Debian's package first if needed), with `extra` switches. */
export async function launchBrowser(extra: readonly string[] = []): Promise<Browser> {
  ensureDebianPackage("chromium", [CHROMIUM, "--version"]);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", ...extra],
  });
}

/** Where tests put screenshots for a person to look at (test-output/, ignored by git). */
export function screenshotPath(name: string): string {
  const dir = join(import.meta.dirname, "..", "..", "test-output");
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** The part of a browser canvas read here (tests are typed without the DOM library). */
interface Canvas {
  readonly width: number;
  readonly height: number;
  getContext(kind: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/**
 * Per canvas matching `selector`, the pixels painted in a chain's colour
 * (axes, grid and labels are grey or black and do not count): a plot that
 * drew its chains has many, an empty one none.
 */
export async function chainPixels(page: Page, selector: string): Promise<number[]> {
  const rgb = CHAIN_COLORS.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
  return page.$$eval(
    selector,
    (canvases, colors) =>
      (canvases as unknown as Canvas[]).map((c) => {
        const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] < 128) continue;
          if (colors.some(([r, g, b]) => Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30)) n++;
        }
        return n;
      }),
    rgb,
  );
}
