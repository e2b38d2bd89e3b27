// veritrace grade: grade trace dumps (JSONL / JSONL.gz), write verdict rows and a summary, print the table.
import { availableParallelism } from "node:os";
import { gradeFiles, formatTable, parseShard } from "../../grade/index.js";
import { InputFileError } from "../../io/errors.js";
import { exitOnSignals } from "../../io/temp-dirs.js";
import type { ReasoningMode, TraceFormat } from "../../types.js";
import { progressBar } from "../progress.js";
import { InputError, parseCommandArgs, parseIntList, parseScoreMemory, runCommand, UsageError, writeStdout } from "../util.js";

export const summary = "grade trace dumps: verdict per trace, pass@k / maj@k per setting";

export const usage = `usage: veritrace grade <files...> [options]

Grades every trace of JSONL dumps (.jsonl or .jsonl.gz; formats detected per row): extracts each final
answer, verifies it against the reference, writes one verdict row per input line (in input order) and
scores pass@1, unbiased pass@k and maj@k (votes grouped by equivalence) per problem and per setting
(reasoning mode × tool use). Prints a table of the settings; --json prints the summary instead.

options:
  --gold <file>        reference answers by problem id (JSONL: uuid|problem_id|id, expected_answer|answer)
  --out <file>         verdict rows (JSONL), one per input line
  --summary <file>     summary JSON (per problem and per setting)
  --k <list>           k values for pass@k and maj@k (default 1,2,4,8,16)
  --threads <n>        worker threads (default: ${availableParallelism()} here; 0 grades in the main thread)
  --format <f>         force a trace format: nemotron, nemo-skills, harmony, openmath, generic
  --mode <m>           reasoning mode for rows that do not say: high, medium, low
  --resume             continue an interrupted run: keeps the rows already in --out, grades the rest
  --shard <i/N>        grade only shard i of N (0-based; problems are never split across shards)
  --compat nemo-skills NeMo-Skills' conventions: raw-string votes, boxed-only extraction, its metrics
  --no-fallback        skip the symbolic fallback: pairs the native engine cannot decide are too_complex
  --tmp-dir <dir>      temporary files (score state past --score-memory, the summary's problems);
                       default: $TMPDIR or /tmp
  --score-memory <MB>  score state kept in memory before it spills to disk (default 16)
  --json               print the summary JSON on stdout instead of the table
  -h, --help           this help

exit codes: 0 the run completed (whatever the verdicts), 1 the run failed, 2 usage error or unreadable input.

examples:
  veritrace grade examples/nemotron-math-v2/*.jsonl.gz
  veritrace grade high.part_00.jsonl.gz --out verdicts.jsonl --summary summary.json --k 1,4,8
  veritrace grade output-rs*.jsonl --gold answers.jsonl --compat nemo-skills --json
  veritrace grade dump/*.jsonl.gz --shard 2/8 --out v.2.jsonl --summary s.2.json   # then: veritrace merge s.*.json
  veritrace grade dump.jsonl --out v.jsonl --resume                                # after a crash
`;

const FORMATS: TraceFormat[] = ["nemotron", "nemo-skills", "harmony", "openmath", "generic"];
const MODES: ReasoningMode[] = ["high", "medium", "low"];

export async function run(argv: string[]): Promise<number> {
  return runCommand("grade", async () => {
    const { values, positionals } = parseCommandArgs(argv, {
      gold: { type: "string" },
      out: { type: "string" },
      summary: { type: "string" },
      k: { type: "string" },
      threads: { type: "string" },
      format: { type: "string" },
      mode: { type: "string" },
      resume: { type: "boolean" },
      shard: { type: "string" },
      compat: { type: "string" },
      json: { type: "boolean" },
      "no-fallback": { type: "boolean" },
      "tmp-dir": { type: "string" },
      "score-memory": { type: "string" },
    });
    if (positionals.length === 0) throw new UsageError("no input files");
    const k = values.k === undefined ? undefined : parseIntList("k", values.k);
    let threads: number | undefined;
    if (values.threads !== undefined) {
      if (!/^\d+$/.test(values.threads)) throw new UsageError(`--threads: '${values.threads}' is not a non-negative integer`);
      threads = Number(values.threads);
    }
    if (values.format !== undefined && !FORMATS.includes(values.format as TraceFormat)) {
      throw new UsageError(`--format: '${values.format}' is not one of ${FORMATS.join(", ")}`);
    }
    if (values.mode !== undefined && !MODES.includes(values.mode as ReasoningMode)) {
      throw new UsageError(`--mode: '${values.mode}' is not one of ${MODES.join(", ")}`);
    }
    if (values.compat !== undefined && values.compat !== "nemo-skills") {
      throw new UsageError(`--compat: '${values.compat}' is not supported (only nemo-skills)`);
    }
    if (values.resume && !values.out) throw new UsageError("--resume needs --out (the verdict file to continue)");
    if (new Set(positionals).size !== positionals.length) throw new UsageError("an input file is given twice");
    const scoreMemoryBytes = parseScoreMemory(values["score-memory"]);
    let shard;
    try {
      shard = values.shard === undefined ? undefined : parseShard(values.shard);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }

    exitOnSignals(); // temporary files go on SIGINT/SIGTERM too; a run stopped so resumes with --resume
    const bar = progressBar();
    try {
      const result = await gradeFiles({
        files: positionals,
        out: values.out,
        summary: values.summary,
        gold: values.gold,
        k,
        threads,
        format: values.format as TraceFormat | undefined,
        mode: values.mode as ReasoningMode | undefined,
        resume: values.resume,
        shard,
        compat: values.compat as "nemo-skills" | undefined,
        verifyOptions: values["no-fallback"] ? { fallback: false } : undefined,
        tmpDir: values["tmp-dir"],
        scoreMemoryBytes,
        summarySink: values.json ? writeStdout : undefined,
        onProgress: (p) => (p.done ? bar.done() : bar.update(p)),
      });
      if (!values.json) process.stdout.write(formatTable(result.summary));
      return 0;
    } catch (err) {
      bar.done();
      if (err instanceof InputFileError) throw new InputError(err.file, err.line, err.detail);
      throw err;
    }
  });
}
