// verify / verifyBatch / verifyPacked / canonicalKey / groupEquivalent over the native engine.
// Flow per pair: extraction of each side (bare answers pass through) ▸ native verdict ▸ the symbolic
// fallback for pairs the engine leaves undecided.
import type { Verdict, VerdictMethod, VerdictStatus } from "../types.js";
import { extractSide as extractAnswerSide, type Side } from "./answers.js";
import { fallbackVerify } from "./fallback.js";
import { native, NativeStatus, type PackedResult } from "./native.js";
import { resolveOptions, type ResolvedOptions, type VerifyOptions } from "./options.js";

export type { VerifyOptions } from "./options.js";
export type { PackedResult } from "./native.js";

const METHODS: readonly VerdictMethod[] = ["string", "exact", "numeric", "symbolic"];
const STATUSES: readonly VerdictStatus[] = ["correct", "incorrect", "no_answer", "unparsable", "too_complex"];

export interface VerifyPair {
  gold: string;
  pred: string;
}

function extractSide(text: string, opts: ResolvedOptions): Side {
  return extractAnswerSide(text, opts.extraction);
}

// A lone UTF-16 surrogate has no UTF-8 form: encoding would turn every one of them into U+FFFD and make
// different texts look equal. Such an answer is unparsable, as invalid UTF-8 is in the engine.
const LONE_SURROGATE = /\p{Cs}/u;

function illFormed(gold: Side, pred: Side): boolean {
  return (gold.answer !== null && LONE_SURROGATE.test(gold.answer)) || (pred.answer !== null && LONE_SURROGATE.test(pred.answer));
}

function unparsableVerdict(gold: Side, pred: Side): Verdict {
  return { status: "unparsable", method: "string", gold: null, pred: null, extraction: { gold: gold.rule, pred: pred.rule } };
}

function noAnswerVerdict(gold: Side, pred: Side): Verdict {
  return {
    status: gold.answer === null ? "unparsable" : "no_answer",
    method: "string",
    gold: null,
    pred: null,
    extraction: { gold: gold.rule, pred: pred.rule },
  };
}

function finish(status: number, method: number, gold: string, pred: string, g: Side, p: Side, opts: ResolvedOptions): Verdict {
  const extraction = { gold: g.rule, pred: p.rule };
  if (status === NativeStatus.Undecided) {
    if (opts.fallback) {
      const f = fallbackVerify(g.answer ?? "", p.answer ?? "", opts.fallbackBudgetMs);
      if (f.status !== "undecided") {
        return { status: f.status, method: "fallback", gold: gold || f.gold || null, pred: pred || f.pred || null, extraction };
      }
    }
    // Parsed, but neither the engine nor the fallback could decide within budget.
    return { status: "too_complex", method: METHODS[method] ?? "string", gold: gold || null, pred: pred || null, extraction };
  }
  return {
    status: STATUSES[status] ?? "unparsable",
    method: METHODS[method] ?? "string",
    gold: gold || null,
    pred: pred || null,
    extraction,
  };
}

/** Verifies one pair. Either side may be a bare answer or a whole response. */
export function verify(gold: string, pred: string, options?: VerifyOptions): Verdict {
  if (typeof gold !== "string" || typeof pred !== "string") {
    throw new TypeError(`verify(gold, pred): both must be strings, got ${typeof gold} and ${typeof pred}`);
  }
  const opts = resolveOptions(options);
  const g = extractSide(gold, opts);
  const p = extractSide(pred, opts);
  if (g.answer === null || p.answer === null) return noAnswerVerdict(g, p);
  if (illFormed(g, p)) return unparsableVerdict(g, p);
  const [status, method, gc, pc] = native().verifyOne(g.answer, p.answer, opts.floatRounding, opts.flags);
  return finish(status, method, gc, pc, g, p, opts);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Packs strings as UTF-8 bytes + offsets (2n+1 for n pairs, gold and pred interleaved). */
export function packPairs(golds: readonly string[], preds: readonly string[]): { bytes: Uint8Array; offsets: Uint32Array } {
  const n = golds.length;
  const offsets = new Uint32Array(2 * n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) total += golds[i]!.length + preds[i]!.length;
  let bytes = new Uint8Array(total * 3 + 16);
  let at = 0;
  const put = (s: string) => {
    if (at + s.length * 3 > bytes.length) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, at + s.length * 3));
      grown.set(bytes.subarray(0, at));
      bytes = grown;
    }
    at += encoder.encodeInto(s, bytes.subarray(at)).written;
  };
  for (let i = 0; i < n; i++) {
    offsets[2 * i] = at;
    put(golds[i]!);
    offsets[2 * i + 1] = at;
    put(preds[i]!);
  }
  offsets[2 * n] = at;
  return { bytes: bytes.subarray(0, at), offsets };
}

/**
 * The hot path: bare answers already packed (see packPairs), one native call, typed arrays back.
 * No extraction and no fallback; status 5 means "undecided" (the engine could not decide).
 */
export function verifyPacked(bytes: Uint8Array, offsets: Uint32Array, options?: VerifyOptions, wantCanonical = false): PackedResult {
  const opts = resolveOptions(options);
  return native().verifyPacked(bytes, offsets, opts.floatRounding, opts.flags, wantCanonical);
}

/** Verifies many pairs with one native call; verdicts come back in the same order. */
export function verifyBatch(pairs: readonly VerifyPair[], options?: VerifyOptions): Verdict[] {
  const opts = resolveOptions(options);
  const n = pairs.length;
  const golds: Side[] = new Array(n);
  const preds: Side[] = new Array(n);
  const gAns: string[] = new Array(n);
  const pAns: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const pair = pairs[i]!;
    if (typeof pair?.gold !== "string" || typeof pair.pred !== "string") {
      throw new TypeError(`verifyBatch: pair ${i} must be { gold: string, pred: string }`);
    }
    golds[i] = extractSide(pair.gold, opts);
    preds[i] = extractSide(pair.pred, opts);
    gAns[i] = golds[i]!.answer ?? "";
    pAns[i] = preds[i]!.answer ?? "";
  }
  const { bytes, offsets } = packPairs(gAns, pAns);
  const r = native().verifyPacked(bytes, offsets, opts.floatRounding, opts.flags, true);
  const canon = r.canonical!;
  const co = r.canonicalOffsets!;
  const out: Verdict[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const g = golds[i]!, p = preds[i]!;
    if (g.answer === null || p.answer === null) {
      out[i] = noAnswerVerdict(g, p);
      continue;
    }
    if (illFormed(g, p)) {
      out[i] = unparsableVerdict(g, p);
      continue;
    }
    const gc = decoder.decode(canon.subarray(co[2 * i], co[2 * i + 1]));
    const pc = decoder.decode(canon.subarray(co[2 * i + 1], co[2 * i + 2]));
    out[i] = finish(r.status[i]!, r.method[i]!, gc, pc, g, p, opts);
  }
  return out;
}

/** A key for grouping answers by equivalence: equal keys mean equivalent answers (not conversely).
 *  The answer goes through extraction first; an answer that cannot be read gets its trimmed text. */
export function canonicalKey(answer: string, options?: VerifyOptions): string {
  if (typeof answer !== "string") throw new TypeError(`canonicalKey(answer): answer must be a string, got ${typeof answer}`);
  const opts = resolveOptions(options);
  const side = extractSide(answer, opts);
  if (side.answer === null) return "";
  if (LONE_SURROGATE.test(side.answer)) return `raw:${side.answer.trim()}`; // no UTF-8 form: keep the text apart
  const key = native().canonical(side.answer, opts.floatRounding, opts.flags);
  return key === "" ? `raw:${side.answer.trim()}` : key;
}

/**
 * Groups answers into equivalence classes: the class index of each answer in first-seen order; null
 * answers get -1. Answers are grouped by canonical key, then classes whose representatives verify as
 * equal are merged (so `0.5`, `\frac12` and `1/2` share a class).
 */
export function groupEquivalent(answers: ReadonlyArray<string | null>, options?: VerifyOptions): number[] {
  const opts = resolveOptions(options);
  const byKey = new Map<string, number>();
  const reps: string[] = []; // representative answer of each provisional class
  const provisional: number[] = answers.map((a) => {
    if (a === null) return -1;
    const key = canonicalKey(a, options);
    let cls = byKey.get(key);
    if (cls === undefined) {
      cls = reps.length;
      byKey.set(key, cls);
      reps.push(a);
    }
    return cls;
  });
  // Merge provisional classes whose representatives verify as equal (union-find, first class wins).
  const parent = reps.map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  const pairs: VerifyPair[] = [];
  const index: Array<[number, number]> = [];
  for (let i = 0; i < reps.length; i++) {
    for (let j = i + 1; j < reps.length; j++) {
      pairs.push({ gold: reps[i]!, pred: reps[j]! });
      index.push([i, j]);
    }
  }
  if (pairs.length > 0) {
    const verdicts = verifyBatch(pairs, { ...options, fallback: opts.fallback && reps.length <= 16 });
    verdicts.forEach((v, k) => {
      if (v.status !== "correct") return;
      const [i, j] = index[k]!;
      const ri = find(i), rj = find(j);
      if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
    });
  }
  // Renumber roots in first-seen order.
  const number = new Map<number, number>();
  return provisional.map((cls) => {
    if (cls < 0) return -1;
    const root = find(cls);
    let n = number.get(root);
    if (n === undefined) {
      n = number.size;
      number.set(root, n);
    }
    return n;
  });
}
