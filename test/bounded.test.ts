// Adversarial inputs: each returns a verdict (too_complex or unparsable) without crashing or hanging.
// Timings are measured by `npm run bench:verify`, never asserted here.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { packPairs, verify, verifyPacked } from "../src/verify/index.js";

const opts = { fallback: false, extraction: "off" } as const;

describe("bounded on adversarial input", () => {
  // [name, gold, pred, expected status]
  const cases: Array<[string, string, string, string]> = [
    ["10^{10^{10}}", "10^{10^{10}}", "10^{10^{10}}+1", "too_complex"],
    ["(2^{2^{2^{2^{2}}}})!", "(2^{2^{2^{2^{2}}}})!", "(2^{2^{2^{2^{2}}}})! + 1", "too_complex"],
    ["a million nested braces", "1", "{".repeat(1_000_000) + "1" + "}".repeat(1_000_000), "too_complex"],
    ["a megabyte of digits", "1", "9".repeat(1 << 20), "too_complex"],
    ["100,000 nested parentheses", "1", "(".repeat(100_000) + "1" + ")".repeat(100_000), "too_complex"],
    ["\\frac nested 10,000 deep", "1", "\\frac{".repeat(10_000) + "1" + "}{2}".repeat(10_000), "too_complex"],
    ["a power tower of 5,000", "1", "2^".repeat(5_000) + "2", "too_complex"],
    ["100,000 unary minus signs", "1", "-".repeat(100_000) + "1", "too_complex"],
    ["2^{10^8}", "1", "2^{100000000}", "too_complex"],
    ["100000!", "1", "100000!", "too_complex"],
  ];
  for (const [name, gold, pred, expected] of cases) {
    it(`${name} -> ${expected}`, () => {
      expect(verify(gold, pred, opts).status).toBe(expected);
      expect(verify(pred, gold, opts).status).toBe(expected); // either side
    });
  }

  it("2^{65536} is still exact", () => {
    expect(verify("2^{65536}", "2^{65536}+0", opts).status).toBe("correct");
    expect(verify("2^{65536}", "2^{65536}+1", opts).status).toBe("incorrect");
  });

  it("random bytes -> unparsable", () => {
    let seed = 12345;
    for (let k = 0; k < 20; k++) {
      const bytes = randomBytes(2048);
      // Force invalid UTF-8 in half the samples, printable noise in the other half.
      const text = k % 2 === 0 ? bytes.toString("latin1") : Array.from(bytes, (b) => String.fromCharCode(33 + ((b + seed++) % 90))).join("");
      const v = verify("1", text, opts);
      expect(["unparsable", "too_complex", "incorrect"]).toContain(v.status);
    }
    expect(verify("1", "\u0000\u0001\u0002}{)(][", opts).status).toBe("unparsable");
  });

  it("invalid UTF-8 bytes -> unparsable", () => {
    const { offsets } = packPairs(["1"], ["1"]);
    const bytes = new Uint8Array([0x31, 0x31, 0xff, 0xfe, 0xc0, 0x80]);
    offsets.set([0, 1, 6]);
    const r = verifyPacked(bytes, offsets, {});
    expect(r.status[0]).toBe(3); // Unparsable
    const overlong = new Uint8Array([0x31, 0xe0, 0x80, 0xaf]); // overlong encoding of '/'
    const r2 = verifyPacked(overlong, new Uint32Array([0, 1, 4]), {});
    expect(r2.status[0]).toBe(3);
  });

  it("malformed offsets are rejected with a clear error", () => {
    expect(() => verifyPacked(new Uint8Array(2), new Uint32Array([0, 5, 1]), {})).toThrow(/offsets/);
    expect(() => verifyPacked(new Uint8Array(2), new Uint32Array([0, 1]), {})).toThrow(/offsets/);
  });
});
