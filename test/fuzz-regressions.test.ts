// Replays the inputs the fuzzer found (test/fixtures/fuzz-crashes, in the fuzz target's layout: byte 0
// options, then gold, NUL, pred) through the Release addon: each returns a verdict, and the contract the
// invariant run caught (equal canonical keys imply equivalent answers) holds. Times are in the README there.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { canonicalKey, verify } from "../src/verify/index.js";

const dir = new URL("./fixtures/fuzz-crashes/", import.meta.url);
const inputs = readdirSync(dir)
  .filter((f) => f !== "README.md")
  .map((name) => {
    const rest = readFileSync(new URL(name, dir)).subarray(1);
    const nul = rest.indexOf(0);
    const gold = (nul >= 0 ? rest.subarray(0, nul) : rest.subarray(0, rest.length >> 1)).toString("utf8");
    const pred = (nul >= 0 ? rest.subarray(nul + 1) : rest.subarray(rest.length >> 1)).toString("utf8");
    return { name, gold, pred };
  });

describe("fuzzer findings", () => {
  it("has the reproducers", () => expect(inputs.length).toBeGreaterThanOrEqual(8));

  for (const { name, gold, pred } of inputs) {
    it(`${name}: returns a verdict, and equal keys only for answers verify calls equal`, () => {
      const v = verify(gold, pred, { fallback: false, extraction: "off" });
      expect(["correct", "incorrect", "no_answer", "unparsable", "too_complex"]).toContain(v.status);
      if (canonicalKey(gold, { extraction: "off" }) === canonicalKey(pred, { extraction: "off" }) && canonicalKey(gold) !== "") {
        expect(v.status).toBe("correct");
      }
    });
  }

  it("keeps E (a variable) and e (Euler's number) apart", () => {
    expect(canonicalKey("E")).not.toBe(canonicalKey("e"));
    expect(verify("E", "e", { fallback: false }).status).toBe("incorrect");
  });
});
