import type { ValueEntry } from "../../../src/tensor/layout.ts";

/** A small seeded generator (xorshift32), uniform on [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** A double with uniformly random bits (never NaN: NaN payloads are not kept by any text format). */
export function randomBits(u: () => number): number {
  const view = new DataView(new ArrayBuffer(8));
  for (;;) {
    view.setUint32(0, Math.floor(u() * 2 ** 32));
    view.setUint32(4, Math.floor(u() * 2 ** 32));
    const x = view.getFloat64(0);
    if (x === x) return x;
  }
}

/** The 64 bits of a double, as a hex string (so -0, subnormals and NaN are compared exactly). */
export function bits(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, "0");
}

/** A value layout from names, shapes and kinds, with row-major offsets. */
export function layoutOf(sites: readonly [string, number[], ("parameter" | "deterministic")?][]): ValueEntry[] {
  let offset = 0;
  return sites.map(([name, shape, kind]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const e: ValueEntry = { name, shape, offset, size, kind: kind ?? "parameter" };
    offset += size;
    return e;
  });
}
