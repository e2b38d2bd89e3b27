import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { runCli } from "./helpers/cli.js";

const require = createRequire(import.meta.url);

describe("package skeleton", () => {
  it("the addon built by npm install loads", () => {
    const addon = require("../build/Release/veritrace.node");
    expect(addon.coreVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("the CLI prints its version and rejects unknown commands with exit code 2", () => {
    const version = runCli(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(require("../package.json").version);
    const unknown = runCli(["no-such-command"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command");
  });
});
