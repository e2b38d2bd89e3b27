// veritrace merge: combine the outputs of shard runs (`grade --shard i/N`) into the result of one run.
import { writeFile } from "node:fs/promises";
import { formatTable, isVerdictRow, recordOf } from "../../grade/index.js";
import { InputFileError } from "../../io/errors.js";
import { lineBounds, readJsonRows, readLineBatches } from "../../io/lines.js";
import { ScoreBoard, mergeSummaries, summarize, totalsFrom, SUMMARY_FORMAT, type Summary } from "../../score/index.js";
import { InputError, parseCommandArgs, parseIntList, readJsonFile, runCommand, UsageError, writeJson } from "../util.js";

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
    });
    if (positionals.length === 0) throw new UsageError("no input files");
    if (values.compat !== undefined && values.compat !== "nemo-skills") {
      throw new UsageError(`--compat: '${values.compat}' is not supported (only nemo-skills)`);
    }
    const summaries: Summary[] = [];
    const verdictFiles: string[] = [];
    try {
      for (const file of positionals) {
        if (await firstLineIsVerdict(file)) verdictFiles.push(file);
        else {
          const doc = readJsonFile(file) as Summary;
          if (doc?.format !== SUMMARY_FORMAT) throw new InputError(file, null, "neither a veritrace summary nor a verdict file");
          summaries.push(doc);
        }
      }
      const options =
        summaries.length > 0
          ? { k: summaries[0].options.k, compat: (summaries[0].options.compat ?? undefined) as "nemo-skills" | undefined }
          : { k: values.k === undefined ? undefined : parseIntList("k", values.k), compat: values.compat as "nemo-skills" | undefined };
      if (summaries.length > 0 && (values.k !== undefined || values.compat !== undefined)) {
        throw new UsageError("--k and --compat apply to verdict files only; summaries carry their own");
      }
      if (verdictFiles.length > 0) {
        // Each problem's rows are in one shard's file, in input order: replaying the files one after the
        // other gives every problem its rows in the order a single run saw them.
        const board = new ScoreBoard(options);
        const seenIn = new Map<string, string>();
        for (const file of verdictFiles) {
          for await (const { row, line } of readJsonRows(file)) {
            if (!isVerdictRow(row)) throw new InputError(file, line, "not a verdict row");
            if (row.problem_id !== null) {
              const other = seenIn.get(row.problem_id);
              if (other !== undefined && other !== file) {
                throw new Error(`problem ${row.problem_id} appears in ${other} and ${file} (overlapping shards?)`);
              }
              seenIn.set(row.problem_id, file);
            }
            board.add(recordOf(row));
          }
        }
        summaries.push(summarize(board.scoreProblems(), totalsFrom(board.statusCounts), options));
      }
      const merged = mergeSummaries(summaries);
      if (values.summary) await writeFile(values.summary, JSON.stringify(merged, null, 2) + "\n");
      if (values.json) writeJson(merged);
      else process.stdout.write(formatTable(merged));
      return 0;
    } catch (err) {
      if (err instanceof InputFileError) throw new InputError(err.file, err.line, err.detail);
      throw err;
    }
  });
}
