/**
 * The progress bars as a person sees them: a script feeds the progress sink a
 * run of 4 chains in a real terminal (tmux), and the test reads its screen.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, expect, test } from "vitest";
import { PROTOCOL_VERSION, type SampleMessage, type StartMessage } from "../../src/runtime/messages.ts";
import { openTerminal, type Terminal } from "../helpers/terminal.ts";

const WARMUP = 10;
const DRAWS = 10;
const TOTAL = WARMUP + DRAWS;

/** What the script does, in order: a message to the sink, a pause (ms), or waiting until a file of the test's exists. */
type Step = { msg: SampleMessage } | { pause: number } | { wait: string };

const run = "demo";
const start: StartMessage = {
  type: "start",
  version: PROTOCOL_VERSION,
  run,
  valueLayout: [],
  layout: [],
  settings: {
    chains: 4,
    warmup: WARMUP,
    draws: DRAWS,
    seed: 7,
    thin: 1,
    targetAccept: 0.8,
    maxDepth: 10,
    metric: "diag",
    saveWarmup: false,
    reparam: true,
  },
  modelHash: "m",
  dataHash: "d",
  centering: {},
};
const stats = { lp: -1, acceptStat: 0.9, stepSize: 0.5, treeDepth: 3, nLeapfrog: 7, divergent: false, energy: 1, recovered: 0 };
const draw = (chain: number, iter: number): Step => ({
  msg: { type: "draw", run, chain, iter, warmup: iter <= WARMUP, values: [1], stats },
});
const adapted = (chain: number): Step => ({ msg: { type: "adapted", run, chain, stepSize: 0.4 + chain / 100, invMetric: [1] } });
const chainDone = (chain: number): Step => ({ msg: { type: "chainDone", run, chain, elapsed: { warmup: 0.5, sampling: 0.25 } } });

/** Iterations `from`…`to` of `chains`, interleaved, pausing between rounds so the bars get redrawn. */
function iterations(chains: number[], from: number, to: number): Step[] {
  const steps: Step[] = [];
  for (let i = from; i <= to; i++) steps.push(...chains.map((k) => draw(k, i)), { pause: 30 });
  return steps;
}

/**
 * Two workers for four chains: chains 1 and 2 run while 3 and 4 wait, the run
 * pausing mid-way (for the first screen); then 3 and 4 run. Notes come in
 * pairs within one redraw, the case where they used to overwrite the bars.
 */
const steps: Step[] = [
  { msg: start },
  { pause: 200 },
  ...iterations([1, 2], 1, WARMUP),
  adapted(1),
  adapted(2),
  ...iterations([1, 2], WARMUP + 1, 15),
  { wait: "mid" },
  ...iterations([1, 2], 16, TOTAL),
  chainDone(1),
  chainDone(2),
  ...iterations([3, 4], 1, WARMUP),
  adapted(3),
  adapted(4),
  ...iterations([3, 4], WARMUP + 1, TOTAL),
  chainDone(3),
  chainDone(4),
  { msg: { type: "done", run } },
  // Alive until the test has read the last screen, so that screen is the program's own.
  { wait: "quit" },
];

/** The script tmux runs: the steps, through the real sink, on the terminal's stderr. */
const script = (progressUrl: string) => `
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { progressSink } from ${JSON.stringify(progressUrl)};
const dir = process.argv[2];
const steps = JSON.parse(readFileSync(join(dir, "steps.json"), "utf8"));
const sink = progressSink(process.stderr, { tty: true });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
for (const s of steps) {
  if ("msg" in s) await sink.write(s.msg);
  else if ("pause" in s) await sleep(s.pause);
  else while (!existsSync(join(dir, s.wait))) await sleep(20);
}
await sink.close?.();
`;

const dirs: string[] = [];
const terminals: Terminal[] = [];

afterAll(() => {
  for (const t of terminals) t.kill();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const BAR = /[█░]/;
const barLine = /^chain (\d) [█░]{20} (\d+)\/20 (waiting for a worker|(warm-up|sampling) +(–|\d+) draws\/s, \d+ div)$/;
const noteLines = [
  /^sampling 4 chains: 10 warm-up \+ 10 iterations each, seed 7$/,
  /^chain \d: warm-up done, step size [\d.]+$/,
  /^chain \d: done in 0\.75 s \(warm-up 0\.50 s, sampling 0\.25 s\), 0 divergences$/,
];

/**
 * Checks what the terminal shows: the notes, each once and whole, then one
 * bar per chain in chain order, whole, at the bottom; no line mixing both.
 * Returns the bars by chain.
 */
function checkScreen(lines: string[], notes: string[]): Map<number, string> {
  const shown = lines.filter((r) => r !== "");
  const bars = shown.filter((r) => BAR.test(r));
  const others = shown.filter((r) => !BAR.test(r));
  const screen = `the terminal shows:\n${lines.join("\n")}`;
  const chains = bars.map((r) => barLine.exec(r)?.[1]);
  expect(chains, `whole bars, one per chain, in order: ${screen}`).toEqual(["1", "2", "3", "4"]);
  expect(shown.slice(-bars.length), `the bars together, last: ${screen}`).toEqual(bars);
  // Notes say "chain k:", bars "chain k ": no other line shows a bar or a piece of one.
  const pieces = others.filter((r) => /chain \d /.test(r));
  expect(pieces, `pieces of bars: ${screen}`).toEqual([]);
  const garbled = others.filter((r) => !noteLines.some((re) => re.test(r)));
  expect(garbled, `lines that are no whole note: ${screen}`).toEqual([]);
  const counts = notes.map((n) => others.filter((r) => r.startsWith(n)).length);
  expect(counts, `each note once: ${screen}`).toEqual(notes.map(() => 1));
  expect(others, `no other lines: ${screen}`).toHaveLength(notes.length);
  return new Map(bars.map((r) => [Number(barLine.exec(r)![1]), r]));
}

// 120 × 30: everything fits. 70 × 10: the "done" notes wrap, and the notes push earlier lines off the top of the screen.
test.each([
  [120, 30],
  [70, 10],
])("%i × %i terminal: notes above the bars, one bar per chain, chains without a worker shown waiting", async (cols, rows) => {
  const dir = mkdtempSync(join(tmpdir(), "sampo-progress-"));
  dirs.push(dir);
  writeFileSync(join(dir, "steps.json"), JSON.stringify(steps));
  writeFileSync(join(dir, "demo.mts"), script(pathToFileURL(join(import.meta.dirname, "../../src/cli/progress.ts")).href));
  const terminal = openTerminal(`npx tsx ${join(dir, "demo.mts")} ${dir}`, join(import.meta.dirname, "../.."), cols, rows);
  terminals.push(terminal);

  // Mid-run: chains 1 and 2 sampling, past warm-up; 3 and 4 waiting.
  const mid = await terminal.waitFor((lines) => lines.filter((r) => / 15\/20 sampling/.test(r)).length === 2);
  const midBars = checkScreen(mid, ["sampling 4 chains", "chain 1: warm-up done", "chain 2: warm-up done"]);
  expect(midBars.get(3)).toMatch(/ 0\/20 waiting for a worker$/);
  expect(midBars.get(4)).toMatch(/ 0\/20 waiting for a worker$/);

  writeFileSync(join(dir, "mid"), "");
  const end = await terminal.waitFor(
    (lines) => lines.filter((r) => / 20\/20 sampling/.test(r)).length === 4 && lines.some((r) => r.startsWith("chain 4: done")),
  );
  const notes = [1, 2, 3, 4].flatMap((k) => [`chain ${k}: warm-up done`, `chain ${k}: done in`]);
  const endBars = checkScreen(end, ["sampling 4 chains", ...notes]);
  for (const k of [1, 2, 3, 4]) expect(endBars.get(k)).toMatch(/ 20\/20 sampling +(–|\d+) draws\/s, 0 div$/);

  writeFileSync(join(dir, "quit"), "");
  await terminal.waitFor(() => terminal.exitStatus() !== undefined);
  expect(terminal.exitStatus()).toBe(0);
});
