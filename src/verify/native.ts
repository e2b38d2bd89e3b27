// Loads the C++ addon (build/Release/veritrace.node), relative to this module so that it works
// from src/ (tsx, vitest) and from dist/ alike.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/** Status codes of the core (native/include/veritrace/verify.h `Status`). */
export const enum NativeStatus {
  Correct = 0,
  Incorrect = 1,
  NoAnswer = 2,
  Unparsable = 3,
  TooComplex = 4,
  Undecided = 5,
}

export interface PackedResult {
  status: Uint8Array;
  method: Uint8Array;
  canonical?: Uint8Array;
  canonicalOffsets?: Uint32Array;
}

export interface NativeAddon {
  coreVersion(): string;
  verifyOne(gold: string, pred: string, floatRounding: number, flags: number): [number, number, string, string];
  verifyPacked(bytes: Uint8Array, offsets: Uint32Array, floatRounding: number, flags: number, wantCanonical: boolean): PackedResult;
  canonical(answer: string, floatRounding: number, flags: number): string;
}

const CANDIDATES = ["../../build/Release/veritrace.node", "../../../build/Release/veritrace.node"];

let addon: NativeAddon | null = null;

/** The addon, loaded on first use; throws a clear error when it has not been built. */
export function native(): NativeAddon {
  if (addon) return addon;
  const require = createRequire(import.meta.url);
  for (const candidate of CANDIDATES) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) {
      addon = require(path) as NativeAddon;
      return addon;
    }
  }
  throw new Error(
    "veritrace: the native addon build/Release/veritrace.node is missing. Build it with `npm install` " +
      "(or `npx cmake-js compile --release`) in the package root.",
  );
}
