/**
 * Data files (src/io/dataFile.ts) and missing data at the model's sites:
 * examples of each kind of problem, and the cases the properties found.
 */
import { describe, expect, it } from "vitest";
import { DataError, DataFileError } from "../../src/errors.ts";
import { parseDataFile, parseJsonFile } from "../../src/io/dataFile.ts";
import { jsonErrorAt } from "../../src/io/jsonErrorAt.ts";
import { logDensity } from "../../src/interpreters/logDensity.ts";
import { model } from "../../src/dsl/model.ts";
import { regression, regressionLogp } from "./dataFileModel.ts";
import { thrown } from "../helpers/thrown.ts";

/** The DataFileError `f` throws. */
const fileError = (f: () => unknown): DataFileError => thrown(f, DataFileError);

describe("parseDataFile", () => {
  it("reads numbers, rectangular arrays and Stan's special strings, -0 kept", () => {
    const d = parseDataFile(
      '\uFEFF{ "N": 3, "y": [1, "Inf", -0, "NaN", "-Infinity"], "X": [[1, 2], [3, 4]], "e": [], "E": [[], []] }',
      "d.json",
    );
    expect(d.N).toBe(3);
    expect(d.y).toEqual([1, Infinity, -0, NaN, -Infinity]);
    expect(Object.is((d.y as number[])[2], -0)).toBe(true);
    expect(d.X).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(d.E).toEqual([[], []]);
  });

  it("keeps a key __proto__ as a key, polluting nothing", () => {
    const d = parseDataFile('{ "__proto__": [1, 2], "constructor": 3 }', "d.json");
    expect(Object.getPrototypeOf(d)).toBe(null);
    expect(Object.keys(d)).toEqual(["__proto__", "constructor"]);
    expect(d.__proto__).toEqual([1, 2]);
    expect(({} as Record<string, unknown>)[1]).toBeUndefined();
  });

  it("reports every problem of a file at once, each with its file, key and index", () => {
    const e = fileError(() =>
      parseDataFile('{ "y": [1, "x", null, true, {}, 1e999], "z": [[1, 2], [3]], "w": "NaN", "v": -1e400 }', "d.json"),
    );
    expect(e.file).toBe("d.json");
    expect(e.problems.map((p) => [p.key, p.path])).toEqual([
      ["y", "y[1]"],
      ["y", "y[2]"],
      ["y", "y[3]"],
      ["y", "y[4]"],
      ["y", "y[5]"],
      ["z", "z[1]"],
      ["v", "v"],
    ]);
    expect(e.message).toContain("d.json: 7 problems");
    expect(e.message).toContain('y[1]: the string "x" (only "NaN", "Inf"');
    expect(e.message).toContain("y[3]: true (a boolean: write 1 or 0)");
    expect(e.message).toContain("y[5]: a number beyond the double range");
    expect(e.message).toContain("z[1]: shape [1] where z[0] has shape [2]");
  });

  it("names the one key when every problem is of that key", () => {
    expect(fileError(() => parseDataFile('{ "y": [[1], 2] }', "d.json")).site).toBe("y");
  });

  it("counts problems past the ones it lists", () => {
    const e = fileError(() => parseDataFile(`{ "y": [${Array(2000).fill("null").join(",")}] }`, "d.json"));
    expect(e.message).toContain("d.json: 2000 problems");
    expect(e.message).toContain("… and 1980 more");
    expect(e.problems.length).toBe(1000);
  });

  it("reads a huge array", () => {
    const n = 1_000_000;
    const d = parseDataFile(`{ "y": [${Array.from({ length: n }, (_, i) => i % 7).join(",")}] }`, "d.json");
    expect((d.y as number[]).length).toBe(n);
  });

  it("refuses a file that is not one object of named values", () => {
    expect(fileError(() => parseDataFile("[1, 2]", "d.json")).message).toContain("(file): an array of length 2 where one JSON object");
    expect(fileError(() => parseDataFile("null", "d.json")).message).toContain("(file): null");
  });

  it("says where invalid JSON stops being JSON", () => {
    const e = fileError(() => parseJsonFile('{\n  "y": [1, 2,],\n}', "d.json"));
    expect(e.problems[0]).toMatchObject({ file: "d.json", key: undefined, path: "", line: 2, column: 14 });
    expect(e.message).toContain('not valid JSON: a value expected, found "]" (line 2, column 14)');
  });

  it("refuses arrays nested deeper than allowed", () => {
    expect(fileError(() => parseDataFile('{ "a": [[[1]]] }', "init.json", 2)).message).toContain("a[0][0]: arrays nested more than 2 deep");
  });
});

describe("jsonErrorAt", () => {
  it("is undefined for valid JSON and finds an unclosed string", () => {
    expect(jsonErrorAt(' {"a": [1, -2.5e3, "x", true, null]} ')).toBeUndefined();
    expect(jsonErrorAt('{"a": "x')).toEqual({
      line: 1,
      column: 7,
      what: "a value expected, found a string that is not closed or not valid",
    });
  });
});

describe("missing data at a model's sites", () => {
  const theta = [0.3, -0.2];

  it("an observed value missing from the data is a DataError naming the site", () => {
    expect(() => logDensity(regression, { x: [1] } as never)).toThrow(DataError);
    expect(() => logDensity(regression, { x: [1] } as never)).toThrow(
      "site 'y': no observed value (undefined: is it missing from the data?)",
    );
  });

  it("a data site missing from the data is a DataError naming the site", () => {
    expect(() => logDensity(regression, { y: [1] } as never)).toThrow("site 'x': no value (undefined: is it missing from the data?)");
  });

  it("a key the model's own code reads is a DataError naming the key, not a TypeError", () => {
    const sized = model((m, d: { y: number[] }) => {
      const mu = m.sample("mu", m.normal(0, 1), { shape: [d.y.length] });
      return { mu };
    });
    expect(() => logDensity(sized, parseDataFile("{}", "d.json") as never)).toThrow(DataError);
    expect(() => logDensity(sized, parseDataFile('{ "z": 1 }', "d.json") as never)).toThrow(
      /site 'y': the model reads data\.y, which the data does not have/,
    );
  });

  it("an optional key the model reads and does without is no error", () => {
    const optional = model((m, d: { scale?: number }) => ({ mu: m.sample("mu", m.normal(0, d.scale ?? 1)) }));
    expect(logDensity(optional, parseDataFile("{}", "d.json")).logp([0])).toBeCloseTo(-0.5 * Math.log(2 * Math.PI), 12);
  });

  it("extra keys are ignored, as Stan ignores them", () => {
    const d = parseDataFile('{ "x": [1, 2], "y": [0.5, -1], "unused": [[1]], "__proto__": 2 }', "d.json") as never;
    expect(logDensity(regression, d).logp(theta)).toBeCloseTo(regressionLogp([1, 2], [0.5, -1], theta), 12);
  });
});
