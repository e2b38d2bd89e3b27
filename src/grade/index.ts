// Grading (DESIGN.md "Flow"): rows of trace dumps in, one verdict row per input row out, in order.
//   grade(rows)      library: an async iterable of rows (JSON text, bytes or objects) → verdict rows
//   gradeFiles(opts) the CLI's run: files (.jsonl / .jsonl.gz) → verdict JSONL + summary, resumable, sharded
import { createRunner, inOrder } from "./pool.js";
import type { VerdictRow, WireBatch, WorkerOptions } from "./types.js";
import type { ReasoningMode, TraceFormat } from "../types.js";
import type { VoteCompat } from "../score/index.js";
import type { Shard } from "./shard.js";
import { DEFAULT_MAX_LINE_BYTES } from "../io/lines.js";

export { gradeFiles, type GradeFilesOptions, type GradeFilesResult, type GradeProgress } from "./run.js";
export { recordOf, summarizeVerdicts, isVerdictRow } from "./records.js";
export { parseShard, shardOf, inShard, fnv1a32, type Shard } from "./shard.js";
export { formatTable } from "./table.js";
export { loadGold } from "./gold.js";
export type { VerdictRow, WorkerOptions } from "./types.js";

export interface GradeOptions {
  /** Name reported in the rows' `file` (and used to infer mode/sample from names like high.jsonl). */
  file?: string;
  /** Worker threads; 0 (the default for the library) grades in the calling thread. */
  threads?: number;
  format?: TraceFormat;
  mode?: ReasoningMode;
  compat?: VoteCompat;
  loose?: boolean;
  /** Reference answers by problem id; they take precedence over the rows' own. */
  gold?: Map<string, string> | Record<string, string>;
  shard?: Shard;
  verifyOptions?: Record<string, unknown>;
  /** Skip reasoning text in raw rows before parsing (default true; verdicts are the same either way). */
  skim?: boolean;
  /** Rows per batch (one verifyBatch call each). Default 256. */
  batchRows?: number;
}

const encoder = new TextEncoder();

function toBytes(row: string | Uint8Array | object): Uint8Array {
  if (typeof row === "string") return encoder.encode(row);
  if (row instanceof Uint8Array) return row;
  return encoder.encode(JSON.stringify(row));
}

/**
 * Grades rows of a trace dump: each row (a JSON line, its bytes, or the parsed object) yields exactly one
 * verdict row, in input order; malformed rows yield `invalid_input` rows with the reason.
 */
export async function* grade(
  rows: AsyncIterable<string | Uint8Array | object> | Iterable<string | Uint8Array | object>,
  options: GradeOptions = {},
): AsyncGenerator<VerdictRow> {
  const gold = options.gold instanceof Map ? [...options.gold] : options.gold ? Object.entries(options.gold) : undefined;
  const workerOptions: WorkerOptions = {
    format: options.format,
    mode: options.mode,
    loose: options.loose ?? options.compat !== "nemo-skills",
    compat: options.compat,
    gold,
    shard: options.shard,
    verifyOptions: options.verifyOptions,
    maxLineBytes: DEFAULT_MAX_LINE_BYTES,
    skim: options.skim ?? true,
  };
  const file = options.file ?? "<input>";
  const perBatch = options.batchRows ?? 256;
  async function* batches(): AsyncGenerator<WireBatch> {
    let pieces: Uint8Array[] = [];
    let firstLine = 1;
    let line = 1;
    const take = (): WireBatch => {
      const ends = new Uint32Array(pieces.length);
      let size = 0;
      pieces.forEach((p, i) => {
        size += p.length + 1;
        ends[i] = size - 1;
      });
      const bytes = new Uint8Array(size);
      let at = 0;
      for (const p of pieces) {
        bytes.set(p, at);
        at += p.length;
        bytes[at++] = 10;
      }
      const batch = { file, firstLine, bytes, ends, oversized: [] };
      pieces = [];
      firstLine = line;
      return batch;
    };
    for await (const row of rows) {
      pieces.push(toBytes(row));
      line++;
      if (pieces.length >= perBatch) yield take();
    }
    if (pieces.length > 0) yield take();
  }
  const runner = createRunner(options.threads ?? 0, workerOptions);
  try {
    for await (const { result } of inOrder(batches(), (b) => runner.run(b), runner.concurrency)) {
      for (const row of result.rows!) if (row !== null) yield row;
    }
  } finally {
    await runner.close();
  }
}
