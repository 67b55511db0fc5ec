/**
 * A chain's epoch in headers and stops (src/runtime/cluster/epoch.ts): a
 * header round-trips, a missing one is epoch 0, a garbled one is no epoch;
 * a stop naming a chain and epoch stops only that chain's earlier jobs.
 */
import { headers } from "@nats-io/transport-node";
import { describe, expect, it } from "vitest";
import { epochHeaders, epochOf, stopReason, supersedeStop } from "../../../src/runtime/cluster/epoch.ts";

describe("epochs", () => {
  it("travel in a header: absent is 0, anything but a count is none", () => {
    expect([0, 1, 7, 123456789].map((e) => epochOf(epochHeaders(e)))).toEqual([0, 1, 7, 123456789]);
    expect(epochOf(undefined)).toBe(0);
    expect(epochOf(headers())).toBe(0);
    for (const bad of ["-1", "1.5", "x", "1e3", "12345678901"]) {
      const h = headers();
      h.set("Sampo-Epoch", bad);
      expect(epochOf(h), bad).toBeUndefined();
    }
  });

  it("a run's stop stops every job; a chain's stops that chain's jobs of earlier epochs only", () => {
    expect(stopReason("", 3, 5)).toBe("run");
    const stop = supersedeStop(2, 3);
    expect([
      stopReason(stop, 2, 0),
      stopReason(stop, 2, 2),
      stopReason(stop, 2, 3),
      stopReason(stop, 2, 4),
      stopReason(stop, 1, 0),
    ]).toEqual(["superseded", "superseded", undefined, undefined, undefined]);
    expect(stopReason("stop", 2, 0)).toBeUndefined();
  });
});
