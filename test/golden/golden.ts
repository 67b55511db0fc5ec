/**
 * Golden files: expected printer output, reviewed by a person and checked
 * in next to this helper. `SAMPO_UPDATE_GOLDEN=1 npx vitest run …` rewrites
 * them (review the diff before committing).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { expect } from "vitest";

/** Compares `text` with test/golden/`name`.txt, or rewrites the file when SAMPO_UPDATE_GOLDEN=1. */
export function expectGolden(name: string, text: string): void {
  const url = new URL(`./${name}.txt`, import.meta.url);
  if (process.env.SAMPO_UPDATE_GOLDEN === "1") {
    writeFileSync(url, `${text}\n`);
    return;
  }
  if (!existsSync(url)) expect.fail(`no golden file test/golden/${name}.txt: write it with SAMPO_UPDATE_GOLDEN=1 and review it`);
  expect(`${text}\n`).toBe(readFileSync(url, "utf8"));
}
