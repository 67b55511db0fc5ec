/**
 * The site-name rule (src/dsl/siteName.ts) on named cases: the two
 * examples, the names the hostile-name fixture used before the rule, and the
 * legal names most likely to be mangled (prototype keys, Unicode).
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../src/codegen/compile.ts";
import { model } from "../../src/dsl/model.ts";
import { SITE_NAME_RULE, siteNameProblem } from "../../src/dsl/siteName.ts";
import { DataError, SiteNameError } from "../../src/errors.ts";
import { logDensity } from "../../src/interpreters/logDensity.ts";
import { priorSample } from "../../src/interpreters/prior.ts";
import { hostile, hostileData, hostileNames, rejectedNames } from "../helpers/hostile.ts";
import { thrown } from "../helpers/thrown.ts";

/** The error building a model with one latent site named `name` throws, or undefined. */
function buildError(name: string, site: "sample" | "data" = "sample"): unknown {
  const mdl = model((m) => {
    if (site === "sample") m.sample(name, m.normal(0, 1), { shape: [2] });
    else m.observe("y", m.normal(0, 1), m.data(name, [1, 2]));
    return {};
  });
  try {
    compile(mdl, undefined);
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Asserts that `e` is a SiteNameError naming `name`, saying why and stating the rule. */
function expectRefused(e: unknown, name: string, why: RegExp): void {
  expect(e).toBeInstanceOf(SiteNameError);
  const err = e as SiteNameError;
  expect(err.site).toBe(name);
  expect(err.message).toContain(JSON.stringify(name));
  expect(err.message).toMatch(why);
  expect(err.message).toContain(SITE_NAME_RULE);
}

describe("site and data names", () => {
  it("a site named __proto__ is refused at build, saying that __ marks Stan's sampler columns", () => {
    expectRefused(buildError("__proto__"), "__proto__", /ends in __, which marks Stan's sampler columns/);
  });

  it("a site named a,b is refused at build (it would split its Stan CSV column)", () => {
    expectRefused(buildError("a,b"), "a,b", /is not an identifier/);
  });

  it("the fuzzer's shrunk counterexamples with the rule loosened are refused: __ (read back as a sampler column) and a space", () => {
    expectRefused(buildError("__"), "__", /ends in __/);
    expectRefused(buildError("a "), "a ", /is not an identifier/);
  });

  it("a data name is held to the same rule", () => {
    expectRefused(buildError("a,b", "data"), "a,b", /is not an identifier/);
    expectRefused(buildError("lp__", "data"), "lp__", /ends in __/);
  });

  it("every name the hostile-name fixture used before the rule is refused with a SiteNameError naming it", () => {
    for (const name of rejectedNames) expectRefused(buildError(name), name, /is not an identifier|ends in __/);
  });

  it("refuses empty names, names not in NFC, lone surrogates, invisible characters and non-strings", () => {
    expectRefused(buildError(""), "", /is empty/);
    expectRefused(buildError("n\u0303"), "n\u0303", /is not in NFC form \(write "ñ"\)/);
    expectRefused(buildError("a\uDC00"), "a\uDC00", /is not an identifier/);
    expectRefused(buildError("a\u200Db"), "a\u200Db", /contains the invisible character U\+200D, so it would print like another name/);
    const e = buildError(3 as unknown as string);
    expect(e).toBeInstanceOf(SiteNameError);
    expect((e as SiteNameError).message).toMatch(/the name 3 is a number, not a string/);
  });

  it("accepts identifiers with Unicode letters, digits, _ and combining marks, and prototype keys", () => {
    const legal = ["mu", "_", "_x1", "a__b", "σ", "β_1", "ñ", "x\u0304", "\u{1D6C3}", "constructor", "toString", "hasOwnProperty"];
    for (const name of [...legal, "valueOf", "isPrototypeOf", "prototype"]) expect(siteNameProblem(name), name).toBeUndefined();
    for (const name of legal) expect(buildError(name), name).toBeUndefined();
  });

  it("the hostile-name fixture builds, its names in the layouts as written", () => {
    const ref = logDensity(hostile, hostileData);
    expect(ref.layout.map((e) => e.name)).toEqual(hostileNames.slice(0, 3));
    expect(
      compile(hostile, hostileData)
        .toPlain()
        .valueLayout.map((e) => e.name),
    ).toEqual(hostileNames.slice(0, 4));
  });
});

describe("names that are prototype keys, looked up by name", () => {
  const keys = model((m) => {
    const a = m.sample("toString", m.normal(0, 1));
    m.sample("constructor", m.normal(a, 1), { shape: [2] });
    return {};
  });

  /** Asserts that `f` throws a DataError saying the parameter toString has no value. */
  const expectMissingToString = (f: () => unknown) => {
    const e = thrown(f, DataError);
    expect(e.site).toBe("toString");
    expect(e.message).toMatch(/no value given for this parameter/);
  };

  it("unconstrain without a value for a parameter named toString says the value is missing (it read Object.prototype.toString)", () => {
    expectMissingToString(() => compile(keys, undefined).unconstrain({ constructor: [0, 1] }));
  });

  it("the reference's logpConstrained without a value for a parameter named toString says the value is missing (it read Object.prototype.toString)", () => {
    expectMissingToString(() => logDensity(keys, undefined).logpConstrained({ constructor: [0, 1] }));
  });

  it("priorSample draws a site named toString that the given values leave out (it read Object.prototype.toString)", () => {
    const prior = priorSample(keys, undefined, { draws: 2, seed: 1, given: [{ constructor: [1, 2] }, { constructor: [3, 4] }] });
    const site = (name: string) => prior.sites[name];
    expect(site("toString").values).toHaveLength(2);
    expect(Array.from(site("constructor").values[1])).toEqual([3, 4]);
  });
});
