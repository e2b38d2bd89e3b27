// Options of verify(); defaults reproduce Math-Verify's (float_rounding 6, strict, no set/relation comparison).

export interface VerifyOptions {
  /** A decimal may equal an exact value no finite decimal can write (\pi, \frac13) when it writes at
   *  least this many decimals, correctly rounded. Default 6 (Math-Verify's float_rounding). */
  floatRounding?: number;
  /** Strict symbol comparison: f(x) and f(y) differ. Default true (Math-Verify's strict). */
  strict?: boolean;
  /** Compare relations with sets: `x \ge 5` against `[5, \infty)`. Default false. */
  allowSetRelationComp?: boolean;
  /** Answer extraction for responses: "loose" (default) uses every rule, "strict" stops after the answer
   *  phrase, "off" treats both sides as bare answers. */
  extraction?: "loose" | "strict" | "off";
  /** Hand pairs the engine cannot decide to the symbolic fallback. Default true. */
  fallback?: boolean;
  /** Time budget of one fallback call in milliseconds. Default 200. */
  fallbackBudgetMs?: number;
}

export interface ResolvedOptions {
  floatRounding: number;
  flags: number;
  extraction: "loose" | "strict" | "off";
  fallback: boolean;
  fallbackBudgetMs: number;
}

export function resolveOptions(options: VerifyOptions = {}): ResolvedOptions {
  const floatRounding = options.floatRounding ?? 6;
  if (!Number.isInteger(floatRounding) || floatRounding < 0 || floatRounding > 100) {
    throw new RangeError(`floatRounding must be an integer in [0, 100], got ${String(options.floatRounding)}`);
  }
  const extraction = options.extraction ?? "loose";
  if (extraction !== "loose" && extraction !== "strict" && extraction !== "off") {
    throw new RangeError(`extraction must be "loose", "strict" or "off", got ${String(extraction)}`);
  }
  const fallbackBudgetMs = options.fallbackBudgetMs ?? 200;
  if (!(fallbackBudgetMs > 0)) throw new RangeError(`fallbackBudgetMs must be positive, got ${String(fallbackBudgetMs)}`);
  return {
    floatRounding,
    flags: ((options.strict ?? true) ? 1 : 0) | (options.allowSetRelationComp ? 2 : 0),
    extraction,
    fallback: options.fallback ?? true,
    fallbackBudgetMs,
  };
}
