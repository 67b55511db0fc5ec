import { describe, expect, it } from "vitest";
import { formatFields, formatNumber, parseNumber } from "../../../src/io/stanCsv/format.ts";
import { bits, randomBits, rng } from "./helpers.ts";

describe("formatNumber", () => {
  it("spells non-finite numbers as CmdStan does", () => {
    expect(formatNumber(Infinity)).toBe("inf");
    expect(formatNumber(-Infinity)).toBe("-inf");
    expect(formatNumber(NaN)).toBe("nan");
  });

  it("uses the shortest round-trip form and keeps the sign of zero", () => {
    expect(formatNumber(0.1)).toBe("0.1");
    expect(formatNumber(-8.88259)).toBe("-8.88259");
    expect(formatNumber(1e21)).toBe("1e+21");
    expect(formatNumber(1.5e-7)).toBe("1.5e-7");
    expect(formatNumber(0)).toBe("0");
    expect(formatNumber(-0)).toBe("-0");
  });
});

describe("formatFields", () => {
  it("writes each field as formatNumber does, with or without values JSON spells otherwise", () => {
    const u = rng(777);
    const plain = Array.from({ length: 5000 }, () => randomBits(u));
    expect(formatFields(plain)).toBe(plain.map(formatNumber).join(","));
    for (const special of [NaN, Infinity, -Infinity, -0]) {
      const xs = [1.5, special, 0, 3];
      expect(formatFields(xs)).toBe(xs.map(formatNumber).join(","));
    }
    expect(formatFields([])).toBe("");
  });
});

describe("parseNumber", () => {
  it("reads CmdStan's and R's spellings of non-finite numbers", () => {
    for (const s of ["inf", "+inf", "Inf", "INF", "infinity", "Infinity"]) expect(parseNumber(s)).toBe(Infinity);
    for (const s of ["-inf", "-Inf", "-Infinity"]) expect(parseNumber(s)).toBe(-Infinity);
    for (const s of ["nan", "NaN", "-nan", "NA"]) expect(parseNumber(s)).toBeNaN();
  });

  it("reads decimal notation, with surrounding spaces", () => {
    expect(parseNumber("  -1.25e-3 ")).toBe(-1.25e-3);
    expect(parseNumber("+.5")).toBe(0.5);
    expect(parseNumber("3.")).toBe(3);
    expect(parseNumber("1E+2")).toBe(100);
  });

  it("rejects what is not a number", () => {
    for (const s of ["", " ", "0x10", "1e", "--1", "1,2", "abc", "1.2.3", "constructor", "toString", "Infinityx"]) {
      expect(parseNumber(s), s).toBeUndefined();
    }
  });

  it("reads back every double formatNumber writes, bit for bit", () => {
    const u = rng(12345);
    const specials = [
      0,
      -0,
      Number.MIN_VALUE,
      -Number.MIN_VALUE,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      2.2250738585072014e-308,
      2.225073858507201e-308,
      0.1 + 0.2,
      1 / 3,
      Math.PI,
      9007199254740993,
      5e-324,
      Infinity,
      -Infinity,
    ];
    const xs = [...specials];
    for (let i = 0; i < 20000; i++) xs.push(randomBits(u));
    for (let i = 0; i < 2000; i++) xs.push((u() - 0.5) * 10 ** Math.floor(u() * 40 - 20));
    for (const x of xs) expect(bits(parseNumber(formatNumber(x))!)).toBe(bits(x));
    expect(parseNumber(formatNumber(NaN))).toBeNaN();
  });
});
