/**
 * `npm run bench:startup`: how long the `sampo` command takes to start, and
 * how much slower a process's first `sample()` is than its later ones.
 *
 * 1. Wall and CPU time of `sampo --help`, of importing the package root
 *    (precompiled), and of a CLI run of `simple` (one chain,
 *    200 + 200 iterations, into a fresh temporary --out), by the
 *    precompiled CLI (dist/node, built first) and from source
 *    (SAMPO_FROM_SOURCE=1), next to `node -e 0`; rounds interleave the
 *    commands so that machine drift hits all alike. Medians (and ranges);
 *    CPU time, all threads, is the steadier figure on a loaded machine.
 * 2. What bin/sampo.js's staleness check costs: hashing src/, in a process.
 * 3. First vs warm `sample()`: a fresh process calls `sample()` five times
 *    with the same seed, on `simple` and `eight_schools`, with one chain
 *    (in the process) and with four (on worker threads); milliseconds per
 *    call and the first call ÷ the fifth.
 *
 * ```sh
 * npm run bench:startup
 * npm run bench:startup -- --rounds 9
 * ```
 * @module
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { benchmarks } from "../examples/index.ts";
import { sample } from "../src/fit/sample.ts";
import { median } from "./timing.ts";

const root = join(import.meta.dirname, "..");
const sampoJs = join(root, "bin/sampo.js");
const packageRoot = pathToFileURL(join(root, "dist/node/index.js")).href;
const CALLS = 5;

/** The child's job: time `sample()` CALLS times in this fresh process; print the milliseconds as JSON. */
async function child(name: "simple" | "eight_schools", chains: number): Promise<void> {
  const { model, data } = benchmarks[name];
  const ms: number[] = [];
  for (let k = 0; k < CALLS; k++) {
    const t = performance.now();
    await sample(model, data, { chains, seed: 1 });
    ms.push(performance.now() - t);
  }
  process.stdout.write(JSON.stringify(ms));
  process.exit(0); // parked worker threads would keep the process alive a while
}

/** Loaded first into every timed process: prints the process's CPU time (all its threads) as it exits. */
const CPU_PROBE = `data:text/javascript,${encodeURIComponent(
  'process.on("exit", () => { const u = process.cpuUsage(); process.stderr.write(`\\ncpu-ms ${(u.user + u.system) / 1000}\\n`); });',
)}`;

/** Wall and CPU milliseconds of one process. */
interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

/** Runs `node args` to the end. Throws on failure, or when the precompiled CLI fell back to source. */
function timed(args: readonly string[], env: NodeJS.ProcessEnv = {}): Timing {
  const t = performance.now();
  const r = spawnSync(process.execPath, ["--import", CPU_PROBE, ...args], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${r.status}:\n${r.stderr}`);
  if (env.SAMPO_FROM_SOURCE === undefined && r.stderr.includes("running from source"))
    throw new Error("src/ changed while the benchmark ran: the precompiled CLI is stale (run it again)");
  return { wall, cpu: Number(/cpu-ms (\S+)\n$/.exec(r.stderr)?.[1]) };
}

async function parent(rounds: number): Promise<void> {
  execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { stdio: "inherit" });
  const out = mkdtempSync(join(tmpdir(), "sampo-startup-"));
  let runs = 0;
  const simpleRun = () => ["sample", "examples/simple.ts", "--chains", "1", "--draws", "200", "--warmup", "200", "--seed", "1"];
  const rows: { name: string; args: () => string[]; modes: boolean }[] = [
    { name: "node -e 0", args: () => ["-e", "0"], modes: false },
    { name: "sampo --help", args: () => [sampoJs, "--help"], modes: true },
    // What importing the library costs before a script's first line runs: its precompiled twin (dist/node/index.js), so that transpiling is not counted.
    {
      name: "import the package root",
      args: () => ["--input-type=module", "-e", `await import(${JSON.stringify(packageRoot)});`],
      modes: false,
    },
    {
      name: "sampo sample simple (1 chain, 200 + 200)",
      args: () => [sampoJs, ...simpleRun(), "--out", join(out, `run${runs++}`)],
      modes: true,
    },
  ];
  const times = new Map<string, Timing[]>();
  const add = (key: string, t: Timing) => times.set(key, [...(times.get(key) ?? []), t]);
  for (let r = 0; r < rounds; r++) {
    for (const row of rows) {
      add(`${row.name}|precompiled`, timed(row.args()));
      if (row.modes) add(`${row.name}|source`, timed(row.args(), { SAMPO_FROM_SOURCE: "1" }));
    }
  }
  rmSync(out, { recursive: true, force: true });

  const cell = (key: string) => {
    const ts = times.get(key);
    if (ts === undefined) return "";
    const wall = ts.map((t) => t.wall);
    return `${median(wall).toFixed(0)} (${Math.min(...wall).toFixed(0)}–${Math.max(...wall).toFixed(0)}) ${median(ts.map((t) => t.cpu)).toFixed(0)}`;
  };
  const width = Math.max(...rows.map((r) => r.name.length));
  const w = 22;
  console.log(`\nstart-up, ms: wall median of ${rounds} (min–max), then CPU median (all threads); load average ${loadavg()[0].toFixed(1)}`);
  console.log(`${"".padEnd(width)}  ${"precompiled".padStart(w)}  ${"from source".padStart(w)}`);
  for (const row of rows)
    console.log(`${row.name.padEnd(width)}  ${cell(`${row.name}|precompiled`).padStart(w)}  ${cell(`${row.name}|source`).padStart(w)}`);

  const stamp = execFileSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import { sourceStamp } from ${JSON.stringify(join(root, "bin/sourceStamp.mjs"))};
       const ms = [];
       for (let k = 0; k < 9; k++) { const t = performance.now(); sourceStamp(${JSON.stringify(join(root, "src"))}); ms.push(performance.now() - t); }
       console.log(JSON.stringify(ms));`,
    ],
    { encoding: "utf8" },
  );
  const stampMs = JSON.parse(stamp) as number[];
  console.log(`\nstaleness check (hash of src/): first ${stampMs[0].toFixed(1)} ms, then median ${median(stampMs.slice(1)).toFixed(1)} ms`);

  console.log(`\nsample() in a fresh process, ${CALLS} calls with seed 1, default settings, ms per call`);
  console.log(
    `${"model".padEnd(14)} ${"chains".padStart(6)}  ${Array.from({ length: CALLS }, (_, k) => `#${k + 1}`.padStart(6)).join("")}  1st/5th`,
  );
  for (const chains of [1, 4]) {
    for (const name of ["simple", "eight_schools"]) {
      const json = execFileSync(
        process.execPath,
        [...process.execArgv, import.meta.filename, "--child", name, "--chains", String(chains)],
        {
          cwd: root,
          encoding: "utf8",
        },
      );
      const ms = JSON.parse(json) as number[];
      const ratio = ms[0] / ms[CALLS - 1];
      console.log(
        `${name.padEnd(14)} ${String(chains).padStart(6)}  ${ms.map((x) => x.toFixed(0).padStart(6)).join("")}  ${ratio.toFixed(2).padStart(7)}`,
      );
    }
  }
}

const { values } = parseArgs({ options: { rounds: { type: "string" }, child: { type: "string" }, chains: { type: "string" } } });
if (values.child === "simple" || values.child === "eight_schools") await child(values.child, Number(values.chains));
else await parent(Number(values.rounds ?? 5));
