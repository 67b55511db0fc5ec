/**
 * A chain run as messages (src/runtime/chainRunner.ts) and resumed from one
 * of its checkpoints continues with exactly the draws of the uninterrupted
 * chain, in warm-up (the same adaptation) and after it, under both warm-ups:
 * Stan's state checkpoints as version 1 (the format older runs wrote),
 * nutpie's as version 2, and neither resumes under the other.
 */
import { describe, expect, it } from "vitest";
import { benchmarks } from "../../examples/index.ts";
import { compile } from "../../src/codegen/compile.ts";
import type { ChainCheckpoint } from "../../src/inference/chain.ts";
import { resolveOptions } from "../../src/inference/options.ts";
import { chainMessages } from "../../src/runtime/chainRunner.ts";
import { ADAPTS } from "../helpers/adapt.ts";

const { model, data } = benchmarks.eight_schools;
const opts = { draws: 200, warmup: 200, seed: 42 } as const;

describe("checkpoints", () => {
  it.each(ADAPTS)("a chain resumed from a checkpoint continues with exactly the draws of the uninterrupted chain (adapt %s)", (adapt) => {
    const density = compile(model, data);
    const resolved = resolveOptions({ ...opts, chains: 1, reparam: false, adapt });
    const checkpoints = new Map<number, ChainCheckpoint>();
    const whole = [
      ...chainMessages({
        density,
        opts: resolved,
        run: "r",
        chain: 1,
        checkpointEvery: 50,
        onCheckpoint: (c) => checkpoints.set(c.iter, JSON.parse(JSON.stringify(c))),
      }),
    ];
    for (const at of [150, 250]) {
      const resumed = [...chainMessages({ density, opts: resolved, run: "r", chain: 1, resume: checkpoints.get(at) })];
      const draws = (msgs: typeof whole) => msgs.filter((m) => m.type === "draw");
      expect(draws(resumed)).toEqual(draws(whole).filter((m) => m.type === "draw" && m.iter > at));
      if (at < opts.warmup) expect(resumed.find((m) => m.type === "adapted")).toEqual(whole.find((m) => m.type === "adapted"));
    }
    expect(checkpoints.get(150)!.version).toBe(adapt === "nutpie" ? 2 : 1);
    const other = resolveOptions({ ...opts, chains: 1, reparam: false, adapt: adapt === "nutpie" ? "stan" : "nutpie" });
    expect(() => [...chainMessages({ density, opts: other, run: "r", chain: 1, resume: checkpoints.get(150) })]).toThrow(
      `the checkpoint holds the state of adapt "${adapt}"`,
    );
  });
});
