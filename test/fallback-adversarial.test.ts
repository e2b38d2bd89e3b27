// Adversarial inputs through the whole TS layer of verify with its DEFAULT options (answer extraction
// and the symbolic fallback on), as library callers and the CLI use it. test/bounded.test.ts covers the
// engine with extraction and fallback off (random bytes, invalid UTF-8 in packed buffers, huge inputs);
// this file covers what it does not: lone UTF-16 surrogates (JS strings that are not valid Unicode),
// random bytes decoded as JS strings going through extraction and the fallback, verifyBatch on the same
// inputs, and values that are not strings.
import { afterAll, describe, expect, it } from "vitest";
import { shutdownFallback } from "../src/verify/fallback.js";
import { verify, verifyBatch } from "../src/verify/index.js";

const STATUSES = ["correct", "incorrect", "no_answer", "unparsable", "too_complex"];

afterAll(() => shutdownFallback());

/** Seeded bytes, so that a failure reproduces (set VERITRACE_NOISE_SEED to explore other seeds). */
function seededBytes(seed: number, n: number): Buffer {
  const out = Buffer.alloc(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}
const SEED = Number(process.env.VERITRACE_NOISE_SEED ?? 20261127);

function noise(n: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const bytes = seededBytes(SEED + k, 512);
    out.push(k % 3 === 0 ? bytes.toString("latin1") : k % 3 === 1 ? bytes.toString("utf8") : String.fromCharCode(...new Uint16Array(bytes.buffer, bytes.byteOffset, 256)));
  }
  return out;
}

// Defects found by this file and reported to the engine's owner are marked `it.fails` with the reason: each
// such test passes while the defect is there and fails once it is fixed (then drop the `.fails`).

describe("verify() with default options on adversarial strings", () => {
  it("returns a verdict for random bytes decoded as strings (latin1, utf8, raw UTF-16 units)", () => {
    for (const text of noise(30)) {
      for (const [gold, pred] of [["1", text], [text, "1"], [text, text], ["\\boxed{" + text + "}", "The answer is $" + text + "$"]]) {
        const v = verify(gold!, pred!);
        expect(STATUSES).toContain(v.status);
      }
    }
  });

  it("verifyBatch gives the same verdicts as verify() pair by pair", () => {
    const texts = noise(12);
    const pairs = texts.flatMap((t) => [
      { gold: "1", pred: t },
      { gold: "\\frac{1}{2}", pred: "0.5" + t.slice(0, 3) },
      { gold: "\ud800" + t.slice(0, 8), pred: "\\boxed{" + t.slice(0, 8) + "}" },
    ]);
    expect(verifyBatch(pairs)).toEqual(pairs.map((p) => verify(p.gold, p.pred)));
  });

  // Lone surrogates have no UTF-8 form; such answers are unparsable rather than all equal to U+FFFD.
  it("does not let one lone surrogate stand for another", () => {
    // Same text except for the unpaired surrogate: not the same answer.
    expect(verify("2\ud800", "2\udc00").status).not.toBe("correct");
    expect(verify("\\boxed{x\ud83d}", "\\boxed{x\ude00}").status).not.toBe("correct");
  });

  it("gives canonical forms whenever it calls a pair correct", () => {
    for (const [gold, pred] of [["\ud800", "\udfff"], ["x\ud800", "x\udfff"], ["\\frac{1}{2}", "0.5"]] as const) {
      const v = verify(gold, pred);
      if (v.status === "correct") {
        expect(v.gold, JSON.stringify([gold, pred])).not.toBeNull();
        expect(v.pred).not.toBeNull();
      }
    }
  });

  it("rejects values that are not strings with a clear error", () => {
    for (const bad of [null, undefined, 5, {}, Buffer.from([0xff, 0xfe])]) {
      expect(() => verify("1", bad as unknown as string), String(bad)).toThrow(/string/i);
      expect(() => verify(bad as unknown as string, "1"), String(bad)).toThrow(/string/i);
    }
  });
});
