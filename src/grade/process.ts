// Grading one batch of raw lines: decode ▸ JSON.parse ▸ parseTrace ▸ shard filter ▸ reference ▸
// extractAnswer ▸ one verifyBatch call for the batch. Runs in worker threads (worker.ts) or inline.
// Pure: the rows depend only on the lines, their file and line numbers, and the options, never on how
// lines were cut into batches or which thread ran them.
import { extractAnswer } from "../extract/index.js";
import { parseTrace } from "../traces/index.js";
import { verifyBatch } from "../verify/index.js";
import { SAMPLE_INDEX_LIMIT } from "../score/index.js";
import { isShared } from "../io/buffer-pool.js";
import { packVerdicts } from "./packed.js";
import { inShard } from "./shard.js";
import { skimReasoning } from "./skim.js";
import type { VerdictMethod, VerdictStatus } from "../types.js";
import type { BatchResult, VerdictRow, WireBatch, WorkerOptions } from "./types.js";

const REASON_LIMIT = 300;

export interface GradeContext {
  options: WorkerOptions;
  gold: Map<string, string> | null;
  /** Verdicts of (gold, answer) pairs already verified by this thread: dumps repeat pairs (8+ samples
   *  per problem, often with the same answer), and a verdict depends on the pair and the options only. */
  verdicts: Map<string, { status: VerdictStatus; method: VerdictMethod }>;
  /** Where batches in shared memory are copied to be read (runBatch). */
  scratch?: Uint8Array;
}

/** Past this many cached pairs the cache starts over; longer pairs are not cached (memory stays bounded:
 *  at most about 20,000 × 256 characters, well inside a worker's heap cap: pool.ts). Repeated pairs are
 *  mostly a problem's samples of one setting, which sit close together in a dump. */
const VERDICT_CACHE_LIMIT = 20_000;
const VERDICT_CACHE_MAX_CHARS = 256;

export function makeContext(options: WorkerOptions): GradeContext {
  return { options, gold: options.gold ? new Map(options.gold) : null, verdicts: new Map() };
}

function invalid(file: string, line: number, reason: string, problemId: string | null = null): VerdictRow {
  return {
    file,
    line,
    problem_id: problemId,
    sample: null,
    mode: null,
    tool: null,
    format: null,
    status: "invalid_input",
    method: null,
    answer: null,
    extraction: null,
    gold: null,
    reason: reason.length > REASON_LIMIT ? reason.slice(0, REASON_LIMIT) + "…" : reason,
  };
}

function nonEmpty(s: unknown): s is string {
  return typeof s === "string" && s.trim() !== "";
}

/** Grades a batch, packed when the options say so. */
export function runBatch(batch: WireBatch, ctx: GradeContext): BatchResult {
  const { rows } = gradeBatch(isShared(batch.bytes.buffer) ? { ...batch, bytes: privateCopy(batch.bytes, ctx) } : batch, ctx);
  return ctx.options.packed ? { packed: packVerdicts(rows) } : { rows };
}

/** Batches up to this size are copied into the context's own buffer, reused; larger ones into a fresh one. */
const SCRATCH_BYTES = 8 << 20;

/**
 * A batch in shared memory, copied into this thread's own: V8 reads bytes of a SharedArrayBuffer much
 * more slowly (the skimming loops ran at about half speed), and one copy per batch costs far less.
 */
function privateCopy(bytes: Uint8Array, ctx: GradeContext): Uint8Array {
  if (bytes.byteLength > SCRATCH_BYTES) return new Uint8Array(bytes);
  ctx.scratch ??= new Uint8Array(SCRATCH_BYTES);
  const copy = ctx.scratch.subarray(0, bytes.byteLength);
  copy.set(bytes);
  return copy;
}

export function gradeBatch(batch: WireBatch, ctx: GradeContext): { rows: Array<VerdictRow | null> } {
  const { options } = ctx;
  const buf = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  const rows: Array<VerdictRow | null> = new Array(batch.ends.length).fill(null);
  const pending: Array<{ at: number; gold: string; pred: string }> = [];
  const oversized = new Set(batch.oversized);

  for (let i = 0; i < batch.ends.length; i++) {
    const line = batch.firstLine + i;
    const start = i === 0 ? 0 : batch.ends[i - 1] + 1;
    let end = batch.ends[i];
    if (oversized.has(i)) {
      if (inShard(null, options.shard)) rows[i] = invalid(batch.file, line, `line longer than ${options.maxLineBytes} bytes`);
      continue;
    }
    if (end > start && buf[end - 1] === 13) end--; // CRLF
    // Reasoning text is cut before decoding when the row allows it (skim.ts): same rows, less parsing.
    const skimmed = options.skim ? skimReasoning(buf, start, end) : null;
    let text = skimmed !== null ? skimmed.toString("utf8") : buf.toString("utf8", start, end);
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // BOM
    let row: unknown;
    if (text.trim() === "") {
      if (inShard(null, options.shard)) rows[i] = invalid(batch.file, line, "empty line");
      continue;
    }
    try {
      row = JSON.parse(text);
    } catch (err) {
      if (inShard(null, options.shard)) rows[i] = invalid(batch.file, line, `malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    text = ""; // let the line's string go before the next one is decoded
    const parsed = parseTrace(row, { fileName: batch.file, format: options.format, mode: options.mode, lineNumber: line });
    if (!parsed.ok) {
      const id = parsed.problemId ?? null;
      if (inShard(id, options.shard)) rows[i] = invalid(batch.file, line, parsed.reason, id);
      continue;
    }
    const trace = parsed.trace;
    if (!inShard(trace.problemId, options.shard)) continue;
    if (trace.sample !== null && trace.sample >= SAMPLE_INDEX_LIMIT) {
      rows[i] = invalid(batch.file, line, `sample index ${trace.sample} is out of range (0 to ${SAMPLE_INDEX_LIMIT - 1})`, trace.problemId);
      continue;
    }

    const joined = ctx.gold?.get(trace.problemId);
    const gold = nonEmpty(joined) ? joined : nonEmpty(trace.gold) ? trace.gold : null;
    let extraction = extractAnswer(trace.finalText, { loose: options.loose });
    // extractAnswer reads a short text without response markers as a bare answer ("42", but also
    // "I cannot decide."). A trace's final text is a response: without the loose fallbacks (compat), such
    // a text holds no answer, as NeMo-Skills' boxed-only extraction finds none in it.
    if (extraction.rule === "bare" && !options.loose) extraction = { answer: null, rule: "none" };
    const out: VerdictRow = {
      file: batch.file,
      line,
      problem_id: trace.problemId,
      sample: trace.sample,
      mode: trace.mode,
      tool: trace.tool,
      format: trace.format,
      status: gold === null ? "no_reference" : "no_answer",
      method: null,
      answer: extraction.answer,
      extraction: extraction.rule,
      gold,
    };
    if (options.compat === "nemo-skills" && row !== null && typeof row === "object") {
      const reward = (row as Record<string, unknown>).reward_model_score;
      if (typeof reward === "number" && Number.isFinite(reward)) out.reward_model_score = reward;
    }
    rows[i] = out;
    if (gold !== null && extraction.answer !== null) pending.push({ at: i, gold, pred: extraction.answer });
  }

  // One verifyBatch call for the pairs of this batch that this thread has not verified yet.
  const cache = ctx.verdicts;
  if (cache.size + pending.length > VERDICT_CACHE_LIMIT) cache.clear();
  const fresh: Array<{ key: string; gold: string; pred: string }> = [];
  const batchVerdicts = new Map<string, { status: VerdictStatus; method: VerdictMethod }>();
  const queued = new Set<string>();
  for (const { gold, pred } of pending) {
    const key = gold + "\u0000" + pred;
    if (!cache.has(key) && !queued.has(key)) {
      queued.add(key);
      fresh.push({ key, gold, pred });
    }
  }
  if (fresh.length > 0) {
    const verdicts = verifyBatch(
      fresh.map(({ gold, pred }) => ({ gold, pred })),
      options.verifyOptions as never,
    );
    fresh.forEach(({ key }, j) => {
      const verdict = { status: verdicts[j].status, method: verdicts[j].method };
      batchVerdicts.set(key, verdict);
      if (key.length <= VERDICT_CACHE_MAX_CHARS) cache.set(key, verdict);
    });
  }
  for (const { at, gold, pred } of pending) {
    const key = gold + "\u0000" + pred;
    const verdict = cache.get(key) ?? batchVerdicts.get(key)!;
    const row = rows[at]!;
    row.status = verdict.status;
    row.method = verdict.method;
  }
  return { rows };
}
