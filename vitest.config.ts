import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    reporters: ["default", "./test/reporters/closing-line.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Suites that spawn processes or start Pyodide workers compete for 2 cores; keep files parallel
    // but bounded so that timing-sensitive sandbox tests are not starved.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
