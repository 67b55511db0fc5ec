/**
 * The precompiled CLI (scripts/build.mjs, bin/sampo.js) on a copy of the
 * package, so that building and editing it touch nothing else: it runs
 * only while it is a build of src/ as it is, and a model file shares the
 * CLI's modules whether it imports "sampo" or the library's source.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";
import { root, sampo } from "../helpers/cli.ts";

const STALE = "running from source";

/** A built copy of the package (removed after the test), and its path. */
async function builtCopy(): Promise<string> {
  const pkg = mkdtempSync(join(tmpdir(), "sampo-pkg-"));
  onTestFinished(() => rmSync(pkg, { recursive: true, force: true }));
  for (const part of ["bin", "scripts", "src", "package.json"]) cpSync(join(root, part), join(pkg, part), { recursive: true });
  symlinkSync(join(root, "node_modules"), join(pkg, "node_modules"));
  await promisify(execFile)(process.execPath, [join(pkg, "scripts/build.mjs")]);
  return pkg;
}

describe("the precompiled CLI", () => {
  it("runs dist/node while it is a build of src/, the source once src/ changes; models share the CLI's modules", async () => {
    const pkg = await builtCopy();
    const bin = join(pkg, "bin/sampo.js");

    // A user's model importing both ways; it reports what "sampo" is and whether the two `model`s are one.
    const dir = mkdtempSync(join(tmpdir(), "sampo-user-"));
    const file = join(dir, "coin.ts");
    writeFileSync(
      file,
      `import { model } from "sampo";
import { model as fromSource } from ${JSON.stringify(pathToFileURL(join(pkg, "src/dsl/model.ts")).href)};
process.stderr.write(\`sampo is \${import.meta.resolve("sampo")}, one model: \${model === fromSource}\\n\`);
export const data = { flips: [1, 0, 1, 1] };
export default model((m, d: typeof data) => {
  const p = m.sample("p", m.beta(1, 1));
  m.observe("flips", m.bernoulli(p), d.flips);
  return { p };
});
`,
    );
    // Built: chains on worker threads and the report's page, from the build's bundles.
    const out = join(dir, "run");
    const args = ["--chains", "2", "--workers", "2", "--draws", "50", "--warmup", "50", "--seed", "1", "--out", out];
    const built = await sampo(["sample", file, ...args], dir, bin);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/\np\s+0\.\d+/);
    expect(built.stderr).toContain(`sampo is ${pathToFileURL(join(pkg, "dist/node/index.js")).href}, one model: true`);
    expect(built.stderr).not.toContain(STALE);
    const report = await sampo(["report", out, "--out", join(dir, "report.html")], dir, bin);
    expect(report.code, report.stderr).toBe(0);
    expect(readFileSync(join(dir, "report.html"), "utf8")).toContain(readFileSync(join(pkg, "dist/node/dashboard/page/report.js"), "utf8"));

    // An edit to src/ takes effect at once, from source, saying so on one line.
    const main = join(pkg, "src/cli/main.ts");
    writeFileSync(main, readFileSync(main, "utf8").replace("usage: sampo <command>", "usage: sampo (edited) <command>"));
    const edited = await sampo(["--help"], dir, bin);
    expect(edited.code).toBe(0);
    expect(edited.stdout).toMatch(/^usage: sampo \(edited\) <command>/);
    expect(edited.stderr.split("\n").filter((l) => l !== "")).toEqual([expect.stringContaining(STALE)]);
    const fromSource = await sampo(["print", file], dir, bin);
    expect(fromSource.code, fromSource.stderr).toBe(0);
    expect(fromSource.stderr).toContain(`sampo is ${pathToFileURL(join(pkg, "src/index.ts")).href}, one model: true`);
  });

  it('serves a plain JavaScript program that imports "sampo": the package\'s main export is the build in dist/node', async () => {
    const pkg = await builtCopy();
    const dir = mkdtempSync(join(tmpdir(), "sampo-user-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    // As npm installs a dependency: node_modules/sampo is the package.
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(pkg, join(dir, "node_modules/sampo"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", dependencies: { sampo: "*" } }));
    writeFileSync(
      join(dir, "run.js"),
      `import { model, sample } from "sampo";
const coin = model((m, d) => {
  const p = m.sample("p", m.beta(1, 1));
  m.observe("flips", m.bernoulli(p), d.flips);
  return { p };
});
const fit = await sample(coin, { flips: [1, 0, 1, 1] }, { chains: 2, workers: 2, draws: 300, warmup: 300, seed: 1 });
const mean = fit.draws.p.reduce((a, b) => a + b, 0) / fit.draws.p.length;
process.stdout.write(\`\${import.meta.resolve("sampo")} \${fit.draws.p.length} \${mean}\\n\`);
`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, "run.js")], { cwd: dir });
    const [entry, draws, mean] = stdout.trim().split(" ");
    expect(entry).toBe(pathToFileURL(join(pkg, "dist/node/index.js")).href);
    expect(Number(draws)).toBe(600);
    // Beta(4, 2) posterior: mean 2/3, sd 0.18; 600 draws (ESS > 150) put the mean within 0.1 of it by far.
    expect(Math.abs(Number(mean) - 2 / 3)).toBeLessThan(0.1);
  });
});
