/** Stream positions: a thinned run's streamed iterations numbered without holes, and back. */
import { describe, expect, it } from "vitest";
import { iterationAt, streamPosition } from "../../src/dashboard/shared/positions.ts";

describe("stream positions", () => {
  it("number exactly the streamed iterations 1, 2, 3, … and map back", () => {
    for (const [warmup, thin] of [
      [10, 1],
      [10, 3],
      [9, 2],
      [0, 4],
      [7, 7],
    ]) {
      // The streamed iterations, listed from the rule (every thin-th of warm-up, then of sampling), for 20 sampling iterations.
      const streamed = [
        ...Array.from({ length: warmup }, (_, i) => i + 1).filter((i) => (i - 1) % thin === 0),
        ...Array.from({ length: 20 }, (_, i) => warmup + i + 1).filter((i) => (i - warmup - 1) % thin === 0),
      ];
      streamed.forEach((iter, k) => {
        expect(streamPosition(iter, warmup, thin), `warmup ${warmup}, thin ${thin}, iteration ${iter}`).toBe(k + 1);
        expect(iterationAt(k + 1, warmup, thin)).toBe(iter);
      });
    }
  });
});
