import { PassThrough } from "node:stream";
import { expect, test } from "vitest";
import { progressSink } from "../../src/cli/progress.ts";
import type { DrawMessage, SampleMessage, StartMessage } from "../../src/runtime/messages.ts";
import { pipe } from "../../src/runtime/sinks/index.ts";
import { realRun, replay } from "../runtime/sinks/fixtures.ts";

/** A stream that keeps what is written to it, as text. */
function capture(tty = false): PassThrough & { text(): string; isTTY?: boolean; columns?: number } {
  const s = new PassThrough() as PassThrough & { text(): string; isTTY?: boolean; columns?: number };
  let text = "";
  s.on("data", (c: Buffer) => (text += c.toString()));
  s.text = () => text;
  if (tty) Object.assign(s, { isTTY: true, columns: 120, rows: 40 });
  return s;
}

/** A clock advancing 10 ms per reading. */
function clock(): () => number {
  let t = 0;
  return () => (t += 10);
}

test("not on a terminal: plain lines per chain at each tenth, warm-up vs sampling, divergences, end", async () => {
  const messages = await realRun(); // 3 chains, 30 warm-up + 20 iterations
  const out = capture();
  await pipe(replay(messages), progressSink(out, { now: clock() }));
  await new Promise((r) => setImmediate(r));
  const lines = out.text().trimEnd().split("\n");
  expect(lines[0]).toBe("sampling 3 chains: 30 warm-up + 20 iterations each, seed 7");
  expect(out.text()).not.toMatch(/\x1b\[/); // no escape codes in a log
  for (const k of [1, 2, 3]) {
    const own = lines.filter((l) => l.startsWith(`chain ${k}: iteration`));
    // One line per tenth (every 5 iterations of 50).
    expect(own.map((l) => /iteration (\d+)\/50/.exec(l)![1])).toEqual(["5", "10", "15", "20", "25", "30", "35", "40", "45", "50"]);
    expect(own[5]).toMatch(/\(60%\) warm-up/);
    expect(own[6]).toMatch(/\(70%\) sampling/);
    expect(own[9]).toMatch(/draws\/s/);
    // Divergences as the messages count them: after warm-up, and in warm-up.
    const draws = messages.filter((m): m is DrawMessage => m.type === "draw" && m.chain === k);
    const after = draws.filter((d) => !d.warmup && d.stats.divergent).length;
    const during = draws.filter((d) => d.warmup && d.stats.divergent).length;
    const div = `${after} divergence${after === 1 ? "" : "s"}${during > 0 ? ` (+${during} in warm-up)` : ""}`;
    expect(own[9].endsWith(div)).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^chain ${k}: warm-up done, step size \\d`)));
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^chain ${k}: done in [\\d.]+ s \\(warm-up [\\d.]+ s, sampling [\\d.]+ s\\), ${div.replace(/[()+]/g, "\\$&")}$`),
      ),
    );
  }
});

test("the rate is iterations per second of the chain's own clock, blank while too early to tell", async () => {
  const start = (await realRun())[0] as StartMessage;
  const out = capture();
  let t = 0;
  const sink = progressSink(out, { now: () => (t += 200), every: 0.5 });
  sink.write({ ...start, settings: { ...start.settings, chains: 1, warmup: 2, draws: 2 } });
  const stats = { lp: 0, acceptStat: 1, stepSize: 1, treeDepth: 1, nLeapfrog: 1, divergent: true, energy: 0, recovered: 0 };
  for (let iter = 1; iter <= 4; iter++) sink.write({ type: "draw", run: start.run, chain: 1, iter, warmup: iter <= 2, values: [], stats });
  sink.close!();
  await new Promise((r) => setImmediate(r));
  // The clock moves 200 ms per reading: the chain's first draw is seen at 200 ms; iteration 2 is shown at 400 ms
  // (0.2 s in: too early), iteration 4 at 600 ms: 4 iterations in 0.4 s.
  expect(out.text()).toContain("chain 1: iteration 2/4 (50%) warm-up, – draws/s, 0 divergences (+2 in warm-up)\n");
  expect(out.text()).toContain("chain 1: iteration 4/4 (100%) sampling, 10 draws/s, 2 divergences (+2 in warm-up)\n");
});

test("an error message is shown", async () => {
  const out = capture();
  await pipe(replay([{ type: "error", run: "r", chain: 2, message: "no finite initial point" } as SampleMessage]), progressSink(out));
  await new Promise((r) => setImmediate(r));
  expect(out.text()).toBe("error in chain 2: no finite initial point\n");
});

test("on a terminal: one bar per chain, in chain order, with the counts", async () => {
  const out = capture(true);
  await pipe(replay(await realRun()), progressSink(out, { now: clock() }));
  await new Promise((r) => setImmediate(r));
  const text = out.text();
  expect(text).toMatch(/\x1b\[/); // drawn in place
  const final = text.slice(text.lastIndexOf("chain 1 "));
  expect(final).toMatch(/chain 1 █+ 50\/50 sampling +\d+ draws\/s, \d+ div/);
  expect(final).toMatch(/chain 2 █+ 50\/50 sampling/);
  expect(final).toMatch(/chain 3 █+ 50\/50 sampling/);
  expect(final.indexOf("chain 2")).toBeGreaterThan(final.indexOf("chain 1"));
  expect(text).toContain("chain 3: done in");
});

test("on a terminal: every chain has its bar from the start, waiting until it reports", async () => {
  const start = (await realRun())[0] as StartMessage;
  const out = capture(true);
  const sink = progressSink(out, { now: clock() });
  sink.write({ ...start, settings: { ...start.settings, chains: 2 } });
  const stats = { lp: 0, acceptStat: 1, stepSize: 1, treeDepth: 1, nLeapfrog: 1, divergent: false, energy: 0, recovered: 0 };
  sink.write({ type: "draw", run: start.run, chain: 2, iter: 1, warmup: true, values: [], stats });
  sink.close!();
  await new Promise((r) => setImmediate(r));
  const final = out.text().slice(out.text().lastIndexOf("chain 1 "));
  expect(final).toMatch(/^chain 1 ░+ 0\/50 waiting for a worker/);
  expect(final).toMatch(/chain 2 ░+ 1\/50 warm-up /);
});

test("on a terminal: a note before any bar (a run failing at once) is printed, not dropped", async () => {
  const out = capture(true);
  await pipe(replay([{ type: "error", run: "r", message: "no model" } as SampleMessage]), progressSink(out));
  await new Promise((r) => setImmediate(r));
  expect(out.text()).toBe("error: no model\n");
});
