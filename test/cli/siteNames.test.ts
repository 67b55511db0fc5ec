/**
 * Names that are JavaScript prototype keys or Unicode letters, end to end:
 * `sampo sample` into a run directory, `sampo summary` of it, `sampo
 * inspect` naming elements as the summary does; and a name the rule refuses
 * stops `sampo sample` before anything is written.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sampo } from "../helpers/cli.ts";

/** Writes a model file whose sites are named `names` (a scalar, a scalar, a 2×2 matrix) in a new directory. */
function modelFile(names: readonly [string, string, string]): string {
  const dir = mkdtempSync(join(tmpdir(), "sampo-names-"));
  const [a, b, c] = names.map((n) => JSON.stringify(n));
  writeFileSync(
    join(dir, "names.ts"),
    `import { model } from "sampo";
export default model((m) => {
  const a = m.sample(${a}, m.normal(0, 1));
  const b = m.sample(${b}, m.normal(a, 1));
  m.sample(${c}, m.normal(b, 1), { shape: [2, 2] });
  return {};
});
`,
  );
  return dir;
}

const elements = ["constructor", "toString", "σ[1,1]", "σ[1,2]", "σ[2,1]", "σ[2,2]"];
const firstColumn = (table: string) =>
  table
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(" ")[0]);

describe("site names end to end", () => {
  it("sites named constructor, toString and σ sample into a run directory that sampo summary reads back", async () => {
    const dir = modelFile(["constructor", "toString", "σ"]);
    const out = join(dir, "run");
    const args = ["--chains", "2", "--draws", "200", "--warmup", "200", "--seed", "3"];
    const r = await sampo(["sample", join(dir, "names.ts"), ...args, "--out", out], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(firstColumn(r.stdout)).toEqual(elements);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(elements);
    expect(readFileSync(join(out, "chain-1.csv"), "utf8")).toMatch(
      /,energy__,constructor,toString,σ\.1\.1,σ\.2\.1,σ\.1\.2,σ\.2\.2,recovered__\n/,
    );
    const again = await sampo(["summary", out], dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(r.stdout);
    const inspect = await sampo(["inspect", join(dir, "names.ts"), "--draws", "50"], dir);
    expect(inspect.code, inspect.stderr).toBe(0);
    for (const e of elements) expect(inspect.stdout).toMatch(new RegExp(`\\n${e.replace(/[[\]]/g, "\\$&")} +-?\\d`));
  });

  it("a site named __proto__ stops sampo sample with a SiteNameError, writing nothing", async () => {
    const dir = modelFile(["mu", "__proto__", "σ"]);
    const out = join(dir, "run");
    const r = await sampo(["sample", join(dir, "names.ts"), "--chains", "1", "--draws", "50", "--warmup", "50", "--out", out], dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/site '__proto__': the name "__proto__" ends in __/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(out, "chain-1.csv"))).toBe(false);
  });
});
