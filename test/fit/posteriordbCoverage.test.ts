/**
 * Every posteriordb example is tested by one of the two posteriordb test
 * files (the quick tier's list is in test/helpers/posteriordb.ts), or excluded for a stated reason: a new example cannot be left out
 * silently.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { posteriordb } from "../../examples/index.ts";
import { NEEDS_ODE } from "../helpers/posteriordb.ts";

describe("posteriordb coverage", () => {
  it("every example is listed in a posteriordb test", () => {
    const text = ["posteriordb.test.ts", "posteriordb.slow.test.ts", "../helpers/posteriordb.ts"]
      .map((f) => readFileSync(new URL(f, import.meta.url), "utf8"))
      .join("\n");
    for (const name of Object.keys(posteriordb)) expect(text, name).toContain(`"${name}"`);
    for (const name of NEEDS_ODE) expect(Object.keys(posteriordb)).not.toContain(name);
  });
});
