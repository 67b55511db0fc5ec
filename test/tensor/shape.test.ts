/**
 * Shapes and broadcasting (src/tensor/shape.ts) against NumPy's rules:
 * the worked examples of NumPy's broadcasting guide (numpy.org, "Broadcasting",
 * General broadcasting rules), and on random shapes an independent statement
 * of the rule (pad with leading 1s; per axis, the sizes other than 1 must
 * agree). Strides are checked by reading broadcast arrays element by element.
 */
import { describe, expect, it } from "vitest";
import { ShapeError } from "../../src/errors.ts";
import {
  broadcastShapes,
  broadcastStrides,
  broadcastsTo,
  sameShape,
  type Shape,
  showShape,
  sizeOf,
  stridesOf,
} from "../../src/tensor/shape.ts";
import { Rng } from "../../src/random/rng.ts";

/** NumPy's rule stated directly: the broadcast shape, or undefined if the shapes do not broadcast. */
function numpyBroadcast(shapes: readonly Shape[]): number[] | undefined {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const padded = shapes.map((s) => [...new Array<number>(rank - s.length).fill(1), ...s]);
  const out: number[] = [];
  for (let k = 0; k < rank; k++) {
    const sizes = new Set(padded.map((s) => s[k]).filter((d) => d !== 1));
    if (sizes.size > 1) return undefined;
    out.push(sizes.size === 0 ? 1 : [...sizes][0]);
  }
  return out;
}

/** Random shapes of rank 0–3 with dimensions in {0, 1, 2, 3}, often equal so that many pairs broadcast. */
function randomShape(rng: Rng): number[] {
  const rank = Math.floor(rng.uniform() * 4);
  return Array.from({ length: rank }, () => [1, 1, 2, 3, 0][Math.floor(rng.uniform() * 5)]);
}

describe("sizes and equality", () => {
  it("sizeOf multiplies the dimensions; a scalar has one element, a zero dimension none", () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([5])).toBe(5);
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(sizeOf([3, 0])).toBe(0);
  });

  it("sameShape compares rank and every dimension", () => {
    expect(sameShape([2, 3], [2, 3])).toBe(true);
    expect(sameShape([], [])).toBe(true);
    expect(sameShape([2, 3], [3, 2])).toBe(false);
    expect(sameShape([3], [1, 3])).toBe(false);
    expect(sameShape([], [1])).toBe(false);
  });

  it("showShape prints [8, 3]", () => {
    expect(showShape([8, 3])).toBe("[8, 3]");
    expect(showShape([])).toBe("[]");
  });
});

describe("broadcastShapes", () => {
  // numpy.org/doc/stable/user/basics.broadcasting.html, "General broadcasting rules".
  const numpyExamples: [Shape[], Shape][] = [
    [
      [[256, 256, 3], [3]],
      [256, 256, 3],
    ],
    [
      [
        [8, 1, 6, 1],
        [7, 1, 5],
      ],
      [8, 7, 6, 5],
    ],
    [
      [[5, 4], [1]],
      [5, 4],
    ],
    [
      [[5, 4], [4]],
      [5, 4],
    ],
    [
      [
        [15, 3, 5],
        [15, 1, 5],
      ],
      [15, 3, 5],
    ],
    [
      [
        [15, 3, 5],
        [3, 5],
      ],
      [15, 3, 5],
    ],
    [
      [
        [15, 3, 5],
        [3, 1],
      ],
      [15, 3, 5],
    ],
  ];
  for (const [shapes, want] of numpyExamples) {
    it(`${shapes.map(showShape).join(" and ")} broadcast to ${showShape(want)} (NumPy's example)`, () => {
      expect(broadcastShapes(shapes)).toEqual(want);
      expect(broadcastShapes([...shapes].reverse())).toEqual(want);
    });
  }

  it("NumPy's mismatched examples do not broadcast: a ShapeError naming the site and the shapes", () => {
    for (const shapes of [
      [[3], [4]],
      [
        [2, 1],
        [8, 4, 3],
      ],
    ] as Shape[][]) {
      let caught: unknown;
      try {
        broadcastShapes(shapes, "y");
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ShapeError);
      expect((caught as ShapeError).site).toBe("y");
      expect((caught as Error).message).toContain(shapes.map(showShape).join(" and "));
    }
  });

  it("scalars stretch to anything; no shapes give a scalar; a zero dimension meets only 0 or 1", () => {
    expect(broadcastShapes([[], [2, 3]])).toEqual([2, 3]);
    expect(broadcastShapes([[], []])).toEqual([]);
    expect(broadcastShapes([])).toEqual([]);
    expect(broadcastShapes([[0], [1]])).toEqual([0]);
    expect(
      broadcastShapes([
        [2, 0],
        [2, 1],
      ]),
    ).toEqual([2, 0]);
    expect(() => broadcastShapes([[0], [3]])).toThrow(ShapeError);
  });

  it("three shapes at once", () => {
    expect(broadcastShapes([[3, 1, 1], [1, 4, 1], [5]])).toEqual([3, 4, 5]);
    expect(() =>
      broadcastShapes([
        [3, 1],
        [1, 4],
        [2, 1],
      ]),
    ).toThrow(ShapeError);
  });

  it("agrees with NumPy's rule on 2000 random pairs and triples", () => {
    const rng = new Rng(7);
    let broadcast = 0;
    for (let t = 0; t < 2000; t++) {
      const shapes = Array.from({ length: 2 + (t % 2) }, () => randomShape(rng));
      const want = numpyBroadcast(shapes);
      if (want === undefined) {
        expect(() => broadcastShapes(shapes), shapes.map(showShape).join(" and ")).toThrow(ShapeError);
      } else {
        expect(broadcastShapes(shapes), shapes.map(showShape).join(" and ")).toEqual(want);
        broadcast++;
      }
    }
    // Both branches well exercised.
    expect(broadcast).toBeGreaterThan(400);
    expect(broadcast).toBeLessThan(1600);
  });
});

describe("broadcastsTo", () => {
  it("is true exactly when the broadcast of the two shapes is the target", () => {
    expect(broadcastsTo([3], [2, 3])).toBe(true);
    expect(broadcastsTo([2, 1], [2, 3])).toBe(true);
    expect(broadcastsTo([], [4, 5])).toBe(true);
    expect(broadcastsTo([2, 3], [2, 3])).toBe(true);
    expect(broadcastsTo([2], [2, 3])).toBe(false);
    expect(broadcastsTo([1, 3], [3])).toBe(false); // broadcasting never lowers the rank
    expect(broadcastsTo([2, 3], [1, 3])).toBe(false); // nor shrinks a dimension
    const rng = new Rng(8);
    for (let t = 0; t < 2000; t++) {
      const [from, to] = [randomShape(rng), randomShape(rng)];
      const b = numpyBroadcast([from, to]);
      expect(broadcastsTo(from, to), `${showShape(from)} → ${showShape(to)}`).toBe(b !== undefined && sameShape(b, to));
    }
  });
});

describe("strides", () => {
  it("row-major strides: the last axis is contiguous", () => {
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([5])).toEqual([1]);
    expect(stridesOf([])).toEqual([]);
  });

  it("broadcast strides are 0 along stretched and missing axes", () => {
    expect(broadcastStrides([3], [2, 3])).toEqual([0, 1]);
    expect(broadcastStrides([2, 1], [2, 3])).toEqual([1, 0]);
    expect(broadcastStrides([1, 3], [4, 3])).toEqual([0, 1]);
    expect(broadcastStrides([], [2, 2])).toEqual([0, 0]);
    expect(broadcastStrides([2, 3], [2, 3])).toEqual([3, 1]);
  });

  it("reading through broadcast strides gives NumPy's broadcast array", () => {
    // x of shape [3, 1] holding 10, 20, 30, broadcast to [2, 3, 4]: element (i, j, k) is x[j][0].
    const x = [10, 20, 30];
    const to = [2, 3, 4];
    const s = broadcastStrides([3, 1], to);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(x[i * s[0] + j * s[1] + k * s[2]]).toBe(x[j]);
    }
    // y of shape [4] holding 1…4, broadcast to [3, 4]: element (i, k) is y[k].
    const y = [1, 2, 3, 4];
    const t = broadcastStrides([4], [3, 4]);
    for (let i = 0; i < 3; i++) for (let k = 0; k < 4; k++) expect(y[i * t[0] + k * t[1]]).toBe(y[k]);
  });
});
