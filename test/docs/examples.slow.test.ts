/**
 * The slow tier of the TSDoc examples (see examples.test.ts): runs the
 * examples marked ```ts slow (long sampling runs); the default tier has
 * type-checked them.
 */
import { beforeAll, test } from "vitest";
import { DocExamples, runExample } from "./harness.ts";
import { found, importer, paths } from "./suite.ts";

const slow = found.examples.filter((e) => e.noRun === undefined && e.slow === true);
let harness: DocExamples;

beforeAll(() => {
  harness = new DocExamples(paths, slow);
}, 120_000);

for (const e of slow) {
  test(e.id, async () => {
    await runExample(harness.prepared.find((p) => p.example.id === e.id)!, paths, importer);
  });
}
