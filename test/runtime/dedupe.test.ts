/**
 * A chain's progress (src/runtime/dedupe.ts) against the messages a real
 * chain sends (chainMessages, with its checkpoints placed where the workers
 * place them): the whole sequence is new; a repeat of any delivered part
 * (a restarted chain) is dropped; after any lost message but a checkpoint,
 * every later item is held back as "ahead"; and a re-run from the last
 * checkpoint delivered fills the gap and ends the chain — whatever the
 * warm-up, thinning and checkpoint spacing.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../src/codegen/compile.ts";
import type { ChainCheckpoint } from "../../src/inference/chain.ts";
import { resolveOptions } from "../../src/inference/options.ts";
import { model } from "../../src/dsl/model.ts";
import { chainMessages } from "../../src/runtime/chainRunner.ts";
import { ChainProgress } from "../../src/runtime/dedupe.ts";
import type { SampleMessage } from "../../src/runtime/messages.ts";
import type { CheckpointItem } from "../../src/runtime/workers/protocol.ts";

type Item = SampleMessage | CheckpointItem;

const normal = compile(
  model((m) => {
    m.sample("x", m.normal(0, 1));
    return {};
  }),
  undefined,
);

/** A chain's items in the order a worker sends them, from the start or from `resume`. */
function itemsOf(opts: ReturnType<typeof resolveOptions>, every: number, resume?: ChainCheckpoint): Item[] {
  const items: Item[] = [];
  const gen = chainMessages({
    density: normal,
    opts,
    run: "r",
    chain: 1,
    checkpointEvery: every,
    ...(resume !== undefined && { resume }),
    onCheckpoint: (checkpoint) => items.push({ type: "checkpoint", chain: 1, checkpoint: structuredClone(checkpoint) }),
  });
  for (let r = gen.next(); r.done !== true; r = gen.next()) items.push(r.value);
  return items;
}

const label = (it: Item) =>
  it.type === "draw" ? `draw ${it.iter}` : it.type === "checkpoint" ? `checkpoint ${it.checkpoint.iter}` : it.type;

describe.each([
  { warmup: 6, draws: 7, thin: 1, every: 4 },
  { warmup: 7, draws: 8, thin: 3, every: 5 },
  { warmup: 0, draws: 5, thin: 2, every: 2 },
  { warmup: 5, draws: 0, thin: 1, every: 5 },
])("a chain of warm-up $warmup, draws $draws, thin $thin, checkpoints every $every", ({ warmup, draws, thin, every }) => {
  const opts = resolveOptions({ chains: 1, warmup, draws, thin, seed: 3 });
  const whole = itemsOf(opts, every);

  it("its messages in order are all new; any of them again is a repeat", () => {
    const p = new ChainProgress(1, undefined, opts);
    expect(whole.map((it) => p.accept(it))).toEqual(whole.map(() => "new"));
    expect(p.done).toBe(true);
    expect(whole.map((it) => p.accept(it))).toEqual(whole.map(() => "repeat"));
  });

  it("after a lost message every later one is ahead (a lost checkpoint loses nothing), and a re-run from the last checkpoint fills the gap", () => {
    for (const [i, gone] of whole.entries()) {
      const p = new ChainProgress(1, undefined, opts);
      const before = whole.slice(0, i).map((it) => p.accept(it));
      expect(before.every((a) => a === "new")).toBe(true);
      const after = whole.slice(i + 1).map((it) => p.accept(it));
      if (gone.type === "checkpoint") {
        expect(
          after.every((a) => a === "new"),
          label(gone),
        ).toBe(true);
        continue;
      }
      expect(
        after.every((a) => a === "ahead"),
        `${label(gone)} lost: ${after.join(" ")}`,
      ).toBe(true);
      const rerun = itemsOf(opts, every, p.checkpoint);
      const arrivals = rerun.map((it) => p.accept(it));
      expect(arrivals.includes("ahead"), `${label(gone)} lost, re-run: ${arrivals.join(" ")}`).toBe(false);
      expect(p.done, label(gone)).toBe(true);
      expect(p.lastIter).toBe(Math.max(...whole.map((it) => (it.type === "draw" ? it.iter : 0))));
    }
  });
});
