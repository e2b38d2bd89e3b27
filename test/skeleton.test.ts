import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);

describe("package skeleton", () => {
  it("the addon built by npm install loads", () => {
    const addon = require("../build/Release/veritrace.node");
    expect(addon.coreVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("the CLI prints its version and rejects unknown commands with exit code 2", () => {
    const out = execFileSync("node", ["bin/veritrace.js", "--version"], { encoding: "utf8" });
    expect(out.trim()).toBe(require("../package.json").version);
    let code = 0;
    try {
      execFileSync("node", ["bin/veritrace.js", "no-such-command"], { stdio: "pipe" });
    } catch (e: any) {
      code = e.status;
    }
    expect(code).toBe(2);
  });
});
