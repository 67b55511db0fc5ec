import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.ts";

// The slow tier: long statistical runs (CI runs it after the default tier).
export default mergeConfig(
  base,
  defineConfig({ test: { include: ["test/**/*.slow.test.ts"], exclude: [], testTimeout: 600_000 } }),
);
