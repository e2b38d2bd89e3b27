// A grading run over files: stream every file's lines through the workers, write one verdict row per
// line (append-only JSONL), keep the score state, and write the summary at the end.
//
// Resume (after any crash, SIGKILL included): the existing output is cut after its last complete row,
// its rows are read back into the score state, and reading restarts after the input line of the last
// row (rows name their file and line). The summary is only written at the end, from the rebuilt state.
//
// Memory does not grow with the input: lines go through in bounded batches, the score state spills to
// disk past its budget, and the summary is written one problem at a time.
import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { availableParallelism, tmpdir } from "node:os";
import { InputFileError } from "../io/errors.js";
import { BufferPool } from "../io/buffer-pool.js";
import { readLineBatches, DEFAULT_BATCH_BYTES, DEFAULT_MAX_LINE_BYTES } from "../io/lines.js";
import { replayJsonl } from "../io/resume.js";
import { TextSink } from "../io/writer.js";
import { DEFAULT_SCORE_MEMORY, ScoreBoard, totalsFrom, writeSummaryFile, type SummaryHead, type TextOut, type VoteCompat } from "../score/index.js";
import type { ReasoningMode, TraceFormat } from "../types.js";
import { loadGold } from "./gold.js";
import { unpackRecords } from "./packed.js";
import { createRunner, inOrder } from "./pool.js";
import { isVerdictRow, recordOf } from "./records.js";
import type { Shard } from "./shard.js";
import type { VerdictRow, WorkerOptions } from "./types.js";

export interface GradeFilesOptions {
  files: string[];
  /** Verdict rows (JSONL). Without it, rows are not written (the summary still is). */
  out?: string;
  /** Summary JSON path (written whole at the end: a `.partial` file renamed into place). */
  summary?: string;
  /** Also receives the summary's text, in order (the CLI's --json on stdout). */
  summarySink?: TextOut;
  /** Folder for temporary files: score state past its budget, the summary's problems. Default: the OS's. */
  tmpDir?: string;
  /** Approximate bytes of score state kept in memory before it spills to disk. Default 16 MiB. */
  scoreMemoryBytes?: number;
  /** Reference answers by problem id (JSONL). */
  gold?: string;
  k?: number[];
  /** Worker threads (default: the machine's available parallelism); 0 grades inline. */
  threads?: number;
  format?: TraceFormat;
  mode?: ReasoningMode;
  resume?: boolean;
  shard?: Shard;
  compat?: VoteCompat;
  /** Loose extraction fallbacks (default true, false under compat). */
  loose?: boolean;
  verifyOptions?: Record<string, unknown>;
  maxLineBytes?: number;
  /** Skip reasoning text in raw rows before parsing (default true; verdicts are the same either way). */
  skim?: boolean;
  batchBytes?: number;
  batchLines?: number;
  onProgress?: (p: GradeProgress) => void;
}

export interface GradeProgress {
  bytesRead: number;
  bytesTotal: number;
  rows: number;
  done: boolean;
}

export interface GradeFilesResult {
  /** The summary without its per-problem scores (those are in the summary file). */
  summary: SummaryHead;
  /** Problems scored. */
  problems: number;
  /** Rows written by this run. */
  written: number;
  /** Rows recovered from an earlier run (--resume). */
  resumed: number;
}

export async function gradeFiles(opts: GradeFilesOptions): Promise<GradeFilesResult> {
  if (new Set(opts.files).size !== opts.files.length) throw new RangeError("the same input file is given twice");
  if (opts.resume && !opts.out) throw new RangeError("--resume needs --out (the verdict file to continue)");
  const sizes = opts.files.map((f) => {
    try {
      const st = statSync(f);
      if (!st.isFile()) throw new InputFileError(f, null, "not a regular file");
      return st.size;
    } catch (err: any) {
      if (err instanceof InputFileError) throw err;
      throw new InputFileError(f, null, err?.code === "ENOENT" ? "no such file" : `cannot read (${err?.code ?? err})`);
    }
  });
  const scoreOptions = { k: opts.k, compat: opts.compat, verifyOptions: opts.verifyOptions };
  const tmpDir = opts.tmpDir ?? tmpdir();
  const board = new ScoreBoard(scoreOptions, { spillDir: tmpDir, budgetBytes: opts.scoreMemoryBytes ?? DEFAULT_SCORE_MEMORY });

  // Resume: rebuild the state from the rows already written, find where to restart.
  let resumed = 0;
  let last: VerdictRow | null = null;
  if (opts.resume && opts.out) {
    const out = opts.out;
    resumed = await replayJsonl(out, (row, line) => {
      if (!isVerdictRow(row)) throw new InputFileError(out, line, "not a verdict row; cannot resume from this file");
      board.add(recordOf(row));
      last = row;
    });
  }
  const startLines = opts.files.map(() => 1);
  if (last !== null) {
    const lastRow: VerdictRow = last;
    const at = opts.files.indexOf(lastRow.file);
    if (at < 0) throw new InputFileError(opts.out!, resumed, `its last row comes from ${lastRow.file}, which is not among the inputs`);
    for (let i = 0; i < at; i++) startLines[i] = Infinity;
    startLines[at] = lastRow.line + 1;
  }

  const goldMap = opts.gold ? await loadGold(opts.gold) : null;
  const maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const workerOptions: WorkerOptions = {
    format: opts.format,
    mode: opts.mode,
    loose: opts.loose ?? opts.compat !== "nemo-skills",
    compat: opts.compat,
    gold: goldMap ? [...goldMap] : undefined,
    shard: opts.shard,
    verifyOptions: opts.verifyOptions,
    maxLineBytes,
    skim: opts.skim ?? true,
    packed: true,
  };
  const threads = opts.threads ?? availableParallelism();
  const runner = createRunner(threads, workerOptions);
  // Output folders are made as needed, as `filter` and `bucket` do.
  for (const path of [opts.out, opts.summary]) if (path) mkdirSync(dirname(path), { recursive: true });
  const sink = opts.out ? new TextSink(opts.out, { append: opts.resume }) : null;

  const bytesTotal = sizes.reduce((a, b) => a + b, 0);
  let bytesRead = sizes.reduce((a, s, i) => a + (startLines[i] === Infinity ? s : 0), 0);
  let written = 0;
  const progress = () => opts.onProgress?.({ bytesRead, bytesTotal, rows: resumed + written, done: false });

  // Batches are read into buffers reused once their results are in, so reading allocates nothing once
  // the pipeline is full. With worker threads they are shared: a worker copies its batch out (process.ts),
  // and the batch stays here to be graded again should the worker die.
  const pool = new BufferPool(opts.batchBytes ?? DEFAULT_BATCH_BYTES, runner.concurrency + 2, threads > 0);
  async function* allBatches() {
    for (let i = 0; i < opts.files.length; i++) {
      if (startLines[i] === Infinity) continue;
      yield* readLineBatches(opts.files[i], {
        startLine: startLines[i],
        maxLineBytes,
        pool,
        maxBatchBytes: opts.batchBytes,
        maxBatchLines: opts.batchLines,
        onRead: (n) => (bytesRead += n),
      });
    }
  }

  progress(); // the starting point (rows recovered by --resume included), from which rates are measured
  try {
    for await (const { batch, result } of inOrder(allBatches(), (b) => runner.run(b), runner.concurrency)) {
      pool.give(batch.bytes.buffer); // shared with the workers, or graded inline: it is still ours
      const packed = result.packed!;
      for (const record of unpackRecords(packed)) board.add(record);
      if (sink) await sink.write(packed.jsonl);
      written += packed.count;
      progress();
    }
  } finally {
    await runner.close();
    if (sink) await sink.close();
  }

  let problems = 0;
  const counted = (async function* () {
    for await (const p of board.scores()) {
      problems++;
      yield p;
    }
  })();
  const summary = await writeSummaryFile(counted, totalsFrom(board.statusCounts), scoreOptions, { file: opts.summary, sink: opts.summarySink, tmpDir });
  opts.onProgress?.({ bytesRead: bytesTotal, bytesTotal, rows: resumed + written, done: true });
  return { summary, problems, written, resumed };
}
