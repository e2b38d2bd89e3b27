// veritrace merge: combine the outputs of shard runs (`grade --shard i/N`) into the result of one run.
// Memory does not grow with the number of problems: summaries are read problem by problem and merged by
// id, verdict files are scored on boards that spill to disk, and the merged summary is written as it goes.
import { tmpdir } from "node:os";
import { formatTable, isVerdictRow, recordOf } from "../../grade/index.js";
import { InputFileError } from "../../io/errors.js";
import { exitOnSignals } from "../../io/temp-dirs.js";
import { lineBounds, readJsonRows, readLineBatches } from "../../io/lines.js";
import {
  DEFAULT_SCORE_MEMORY,
  mergeSummaryStreams,
  readSummary,
  ScoreBoard,
  scoreOptionsOf,
  SUMMARY_FORMAT,
  totalsFrom,
  writeSummaryFile,
  type SummaryHead,
  type SummaryPart,
} from "../../score/index.js";
import { InputError, parseCommandArgs, parseIntList, parseScoreMemory, runCommand, UsageError, writeStdout } from "../util.js";

export const summary = "combine shard outputs (summaries or verdict files) into one summary";

export const usage = `usage: veritrace merge <files...> [options]

Combines the outputs of \`veritrace grade --shard i/N\` runs into the summary a single run over all
shards would have written. Inputs are summary JSON files (--summary of each shard) or verdict JSONL
files (--out of each shard), or both; each problem must come from one input only.

options:
  --summary <file>     write the merged summary JSON here
  --k <list>           k values when merging verdict files only (default 1,2,4,8,16; summaries carry theirs)
  --compat nemo-skills when merging verdict files only: score as NeMo-Skills does
  --json               print the merged summary on stdout instead of the table
  --tmp-dir <dir>      temporary files (default: $TMPDIR or /tmp)
  --score-memory <MB>  score state of verdict files kept in memory before it spills to disk (default 16)
  -h, --help           this help

exit codes: 0 merged, 1 the merge failed (overlapping or mismatched inputs), 2 usage error or unreadable input.

examples:
  veritrace merge s.0.json s.1.json s.2.json --summary summary.json
  veritrace merge v.*.jsonl --summary summary.json --k 1,8
`;

/** A summary is one JSON document; a verdict file is JSONL whose first line is a verdict row. */
async function firstLineIsVerdict(file: string): Promise<boolean> {
  for await (const batch of readLineBatches(file, { maxBatchLines: 1 })) {
    const [s, e] = lineBounds(batch, 0);
    const text = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength).toString("utf8", s, e);
    try {
      return isVerdictRow(JSON.parse(text));
    } catch {
      return false;
    }
  }
  return true; // an empty verdict file (a shard with no rows)
}

export async function run(argv: string[]): Promise<number> {
  return runCommand("merge", async () => {
    const { values, positionals } = parseCommandArgs(argv, {
      summary: { type: "string" },
      k: { type: "string" },
      compat: { type: "string" },
      json: { type: "boolean" },
      "tmp-dir": { type: "string" },
      "score-memory": { type: "string" },
    });
    if (positionals.length === 0) throw new UsageError("no input files");
    if (values.compat !== undefined && values.compat !== "nemo-skills") {
      throw new UsageError(`--compat: '${values.compat}' is not supported (only nemo-skills)`);
    }
    const tmpDir = values["tmp-dir"] ?? tmpdir();
    exitOnSignals(); // temporary files go on SIGINT/SIGTERM too
    const budgetBytes = parseScoreMemory(values["score-memory"]) ?? DEFAULT_SCORE_MEMORY;
    const boards: ScoreBoard[] = [];
    try {
      const parts: SummaryPart[] = [];
      const verdictFiles: string[] = [];
      for (const file of positionals) {
        if (await firstLineIsVerdict(file)) verdictFiles.push(file);
        else parts.push({ name: file, ...(await readSummary(file)) });
      }
      if (parts.length > 0 && (values.k !== undefined || values.compat !== undefined)) {
        throw new UsageError("--k and --compat apply to verdict files only; summaries carry their own");
      }
      const options =
        parts.length > 0
          ? scoreOptionsOf(parts[0].head)
          : { k: values.k === undefined ? undefined : parseIntList("k", values.k), compat: values.compat as "nemo-skills" | undefined };
      // Each verdict file is scored on its own board (a problem's rows are all in one shard's file, in
      // input order), so that a problem found in two files is caught when the parts are merged. A board
      // is written to disk once its file is read, so memory does not grow with the number of files.
      for (const file of verdictFiles) {
        const board = new ScoreBoard(options, { spillDir: tmpDir, budgetBytes });
        boards.push(board);
        for await (const { row, line } of readJsonRows(file)) {
          if (!isVerdictRow(row)) throw new InputError(file, line, "not a verdict row");
          board.add(recordOf(row));
        }
        if (verdictFiles.length > 1) board.release();
        const head: SummaryHead = {
          format: SUMMARY_FORMAT,
          options: { k: board.k, compat: options.compat ?? null },
          totals: totalsFrom(board.statusCounts),
          settings: {},
        };
        parts.push({ name: file, head, problems: board.scores() });
      }
      const merged = mergeSummaryStreams(parts);
      const head = await writeSummaryFile(merged.problems, merged.totals, merged.options, {
        file: values.summary,
        sink: values.json ? writeStdout : undefined,
        tmpDir,
      });
      if (!values.json) process.stdout.write(formatTable(head));
      return 0;
    } catch (err) {
      if (err instanceof InputFileError) throw new InputError(err.file, err.line, err.detail);
      throw err;
    } finally {
      // Boards whose scores were never read (an error before the merge) still hold spill files.
      for (const board of boards) board.dispose();
    }
  });
}
