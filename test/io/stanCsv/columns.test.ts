import { describe, expect, it } from "vitest";
import { columnMajorElements, parseStanColumns, stanColumns } from "../../../src/io/stanCsv/columns.ts";
import { StanCsvError } from "../../../src/io/stanCsv/error.ts";
import { layoutOf } from "./helpers.ts";

describe("stanColumns", () => {
  const layout = layoutOf([
    ["mu", []],
    ["theta", [3]],
    ["L", [2, 3]],
    ["z", [0]],
    ["sigma", [], "deterministic"],
  ]);

  it("names scalars plainly, containers with 1-based dotted indices, matrices column-major", () => {
    expect(stanColumns(layout).names).toEqual([
      "mu",
      "theta.1",
      "theta.2",
      "theta.3",
      "L.1.1",
      "L.2.1",
      "L.1.2",
      "L.2.2",
      "L.1.3",
      "L.2.3",
      "sigma",
    ]);
  });

  it("maps Stan's column order to row-major storage and back", () => {
    const { stanToStorage, storageToStan } = stanColumns(layout);
    // storage: mu 0, theta 1..3, L 4..9 (row-major: L[0][0..2] at 4..6, L[1][0..2] at 7..9), sigma 10
    expect(Array.from(stanToStorage)).toEqual([0, 1, 2, 3, 4, 7, 5, 8, 6, 9, 10]);
    for (let k = 0; k < stanToStorage.length; k++) expect(storageToStan[stanToStorage[k]]).toBe(k);
    expect(storageToStan.length).toBe(11);
  });

  it("orders three-dimensional sites with the first index fastest", () => {
    const { names } = stanColumns(layoutOf([["a", [2, 2, 2]]]));
    expect(names).toEqual(["a.1.1.1", "a.2.1.1", "a.1.2.1", "a.2.2.1", "a.1.1.2", "a.2.1.2", "a.1.2.2", "a.2.2.2"]);
    const { offsets } = columnMajorElements([2, 2, 2]);
    expect(Array.from(offsets)).toEqual([0, 4, 2, 6, 1, 5, 3, 7]);
  });

  it("refuses a layout whose columns would collide", () => {
    expect(() =>
      stanColumns(
        layoutOf([
          ["x.1", []],
          ["x", [2]],
        ]),
      ),
    ).toThrow(StanCsvError);
  });
});

describe("parseStanColumns", () => {
  it("recovers names, shapes and row-major offsets", () => {
    const layout = layoutOf([
      ["mu", []],
      ["theta", [3]],
      ["L", [2, 3]],
      ["a", [2, 1, 3]],
      ["tau", []],
    ]);
    const parsed = parseStanColumns(stanColumns(layout).names);
    expect(parsed.layout.map((e) => [e.name, e.shape, e.offset, e.size])).toEqual(layout.map((e) => [e.name, e.shape, e.offset, e.size]));
    expect(Array.from(parsed.stanToStorage)).toEqual(Array.from(stanColumns(layout).stanToStorage));
  });

  it("reads dotted names by the longest consistent parse", () => {
    const shapes = (cols: string[]) => parseStanColumns(cols).layout.map((e) => [e.name, e.shape]);
    expect(shapes(["a.b"])).toEqual([["a.b", []]]);
    expect(shapes(["x.y.1", "x.y.2"])).toEqual([["x.y", [2]]]);
    expect(shapes(["m.1.1", "m.2.1", "m.1.2", "m.2.2"])).toEqual([["m", [2, 2]]]);
    expect(shapes(["m.1.1", "m.1.2"])).toEqual([["m", [1, 2]]]);
    // Row-major order is not a column-major grid, so these read as two vectors r.1 and r.2.
    expect(shapes(["r.1.1", "r.1.2", "r.2.1", "r.2.2"])).toEqual([
      ["r.1", [2]],
      ["r.2", [2]],
    ]);
    expect(shapes(["a.2"])).toEqual([["a.2", []]]);
    expect(shapes(["v.1", "v.3"])).toEqual([
      ["v.1", []],
      ["v.3", []],
    ]);
    // The documented ambiguity: a scalar site named "s.1" reads as a one-element vector "s".
    expect(shapes(["s.1"])).toEqual([["s", [1]]]);
  });

  it("refuses a site that appears twice", () => {
    expect(() => parseStanColumns(["a", "a"])).toThrow(StanCsvError);
  });
});
