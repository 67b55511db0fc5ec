import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

// The slow tier: long statistical runs (CI runs it after the default tier).
// Spelled out rather than merged: mergeConfig would keep the base tier's exclusion of these files.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ["test/**/*.slow.test.ts"], exclude: [], testTimeout: 1_200_000 },
});
