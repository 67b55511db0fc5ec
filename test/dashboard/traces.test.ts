/**
 * TraceStore: the downsampled trace history. Expectations come from the
 * documented contract (slot k ↔ iteration k·stride + 1, the stride doubling
 * when a chain would pass the capacity), not from the store's output.
 */
import { describe, expect, it } from "vitest";
import { TraceStore } from "../../src/dashboard/traces.ts";

/** Smallest power of two s with ceil(n / s) ≤ capacity: the stride after n iterations. */
function expectedStride(n: number, capacity: number): number {
  let s = 1;
  while (Math.ceil(n / s) > capacity) s *= 2;
  return s;
}

/** Every stored slot k of `chain` holds k·stride + 1, or NaN when that iteration came before the chain's first (`first`). */
function checkSlots(store: TraceStore, chain: number, series: number, first: number, scale: (iter: number, s: number) => number): void {
  for (let s = 0; s < series; s++) {
    const slots = store.slots(chain, s, 0);
    expect(slots.length).toBe(store.length(chain));
    slots.forEach((v, k) => {
      const iter = k * store.stride + 1;
      if (iter < first) expect(v).toBeNaN();
      else expect(v).toBe(scale(iter, s));
    });
  }
}

describe("TraceStore", () => {
  const value = (iter: number, s: number) => iter * (s + 1);

  it("keeps slot k = iteration k·stride + 1 after every add, doubling the stride to 16 for 100 iterations in 8 slots", () => {
    const store = new TraceStore(2, 2, 8);
    for (let iter = 1; iter <= 100; iter++) {
      for (const chain of [1, 2]) {
        store.add(chain, iter, [value(iter, 0)], [value(iter, 1)]);
        // The property over all slots of both chains (chain 2 may lag one iteration behind chain 1).
        checkSlots(store, 1, 2, 1, value);
        checkSlots(store, 2, 2, 1, value);
        expect(store.stride).toBe(expectedStride(iter, 8));
        // Chain `chain` has seen 1..iter: its slots are the on-stride iterations among them.
        expect(store.length(chain)).toBe(Math.floor((iter - 1) / store.stride) + 1);
        expect(store.length(chain)).toBeLessThanOrEqual(8);
      }
    }
    // ceil(100/8) = 13 > 8, ceil(100/16) = 7 ≤ 8: stride 16, slots at 1, 17, 33, 49, 65, 81, 97.
    expect(store.stride).toBe(16);
    expect(store.slots(1, 0, 0)).toEqual([1, 17, 33, 49, 65, 81, 97]);
    expect(store.slots(2, 1, 0)).toEqual([2, 34, 66, 98, 130, 162, 194]);
    expect(store.length(2)).toBe(7);
    // slots(from) is the tail from slot `from`.
    expect(store.slots(1, 0, 5)).toEqual([81, 97]);
    expect(store.slots(1, 0, 7)).toEqual([]);
  });

  it("leaves NaN holes before a resumed chain's first iteration", () => {
    const store = new TraceStore(2, 1, 8);
    for (let iter = 1; iter <= 100; iter++) {
      store.add(1, iter, [iter], []);
      if (iter >= 50) store.add(2, iter, [iter], []);
      checkSlots(store, 1, 1, 1, (i) => i);
      checkSlots(store, 2, 1, 50, (i) => i);
    }
    expect(store.stride).toBe(16);
    // Iterations 1, 17, 33, 49 precede 50: holes; 65, 81, 97 are there.
    expect(store.slots(2, 0, 0)).toEqual([NaN, NaN, NaN, NaN, 65, 81, 97]);
    expect(store.length(2)).toBe(store.length(1));
  });

  it("never holds more than `capacity` slots: 10^6 iterations in 8 slots", () => {
    const store = new TraceStore(2, 1, 8);
    const n = 1_000_000;
    let maxLength = 0;
    for (let iter = 1; iter <= n; iter++) {
      store.add(1, iter, [iter], []);
      store.add(2, iter, [-iter], []);
      maxLength = Math.max(maxLength, store.length(1), store.length(2));
    }
    expect(maxLength).toBeLessThanOrEqual(8);
    // ceil(10^6 / 2^17) = 8 ≤ 8 < ceil(10^6 / 2^16) = 16.
    expect(store.stride).toBe(2 ** 17);
    expect(store.stride).toBe(expectedStride(n, 8));
    const stride = store.stride;
    expect(store.slots(1, 0, 0)).toEqual(Array.from({ length: 8 }, (_, k) => k * stride + 1));
    expect(store.slots(2, 0, 0)).toEqual(Array.from({ length: 8 }, (_, k) => -(k * stride + 1)));
  });

  it("wants(iter) says beforehand whether add would record iter (RunState skips the others)", () => {
    const store = new TraceStore(1, 1, 8);
    for (let iter = 1; iter <= 300; iter++) {
      const wanted = store.wants(iter);
      store.add(1, iter, [iter], []);
      const after = store.slots(1, 0, 0);
      // Recorded ⇔ the last slot now holds iter.
      expect(after[after.length - 1] === iter).toBe(wanted);
    }
  });

  it("gives the same slots when only wanted iterations are added", () => {
    const all = new TraceStore(2, 1, 8);
    const some = new TraceStore(2, 1, 8);
    for (let iter = 1; iter <= 500; iter++) {
      for (const chain of [1, 2]) {
        all.add(chain, iter, [iter * chain], []);
        if (some.wants(iter)) some.add(chain, iter, [iter * chain], []);
      }
    }
    expect(some.stride).toBe(all.stride);
    for (const chain of [1, 2]) expect(some.slots(chain, 0, 0)).toEqual(all.slots(chain, 0, 0));
  });

  it("works with a capacity that is not a power of two", () => {
    const store = new TraceStore(1, 1, 5);
    for (let iter = 1; iter <= 37; iter++) {
      store.add(1, iter, [iter], []);
      checkSlots(store, 1, 1, 1, (i) => i);
      expect(store.length(1)).toBeLessThanOrEqual(5);
    }
    // ceil(37/8) = 5 ≤ 5 < ceil(37/4) = 10.
    expect(store.stride).toBe(8);
    expect(store.slots(1, 0, 0)).toEqual([1, 9, 17, 25, 33]);
  });
});
