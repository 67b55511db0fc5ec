import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/**/*.slow.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two test files at a time: vitest's default is one fewer than the cores, a single file at a time on the
    // 2-core CI machines, which then sit half idle while tests wait on child processes, browsers and servers
    // (the default tier took 950 s that way and 643 s with two, on one such machine; no test asserts a time).
    maxWorkers: 2,
  },
  resolve: { alias: { sampo: new URL("./src/index.ts", import.meta.url).pathname } },
});
