/**
 * The `@example` blocks of the TSDoc are type-checked and run, as NumPyro
 * runs its doctests, so the documentation cannot rot. Every example is
 * type-checked here; every one is run here too, except those marked
 * ```ts no-run: <reason> (type-checked only) and the slow ones (run by
 * examples.slow.test.ts). How examples are found, what is in their scope and
 * how they run: ./extract.ts, ./harness.ts, ./prelude.ts.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { DocExamples, type PreparedExample, runExample } from "./harness.ts";
import { found, importer, paths } from "./suite.ts";

const { examples, problems } = found;

let harness: DocExamples;
let typeErrors: Map<string, string[]>;
const prepared = (id: string): PreparedExample => harness.prepared.find((p) => p.example.id === id)!;

beforeAll(() => {
  harness = new DocExamples(paths, examples);
  typeErrors = harness.typeCheck();
}, 120_000);

test("every @example has a ```ts block, with a known mark if any", () => {
  expect(examples.length).toBeGreaterThan(100);
  expect(problems).toEqual([]);
});

describe("type-checks", () => {
  for (const e of examples) {
    test(e.id, () => {
      const errors = typeErrors.get(e.id)!;
      if (errors.length > 0) throw new Error(errors.join("\n"));
    });
  }
});

describe("runs", () => {
  for (const e of examples) {
    if (e.noRun !== undefined || e.slow === true) continue;
    test(e.id, async () => {
      await runExample(prepared(e.id), paths, importer);
    });
  }
});
