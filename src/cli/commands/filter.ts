// `veritrace filter`: trivial-problem filter, answer repair and keep-correct over trace dumps.
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { filterProblems, type FilterSummary } from "../../pipeline/filter.js";
import type { ReasoningMode } from "../../types.js";
import { firstUnreadable } from "../../pipeline/jsonl.js";
import { InputError, parseCommandArgs, progress, runCommand, UsageError, writeJson } from "../util.js";

export const summary = "curate trace dumps: drop trivial problems, repair references, keep correct traces";

export const usage = `usage: veritrace filter <dumps...> --out curated.jsonl [options]

Groups the traces of each problem across all input files (high.jsonl, medium.jsonl, low.jsonl, ...), then:
  1. repairs the reference: votes of the high-mode attempts (all attempts when a problem has none);
     no reference -> majority answer; reference matched by a vote -> kept; matched by none -> replaced
     by the majority answer (original kept in original_expected_answer). Ties: the class whose first
     vote comes first (no-tool before tool, then sample index, then input order).
  2. drops a trivial problem: pass rate of its low-mode attempts above the threshold, from the traces
     or, where a setting has no traces, from metadata.reason_low_{with,no}_tool.
  3. keeps the traces whose answer matches the final reference.
A curated row is the input row unchanged but for expected_answer, original_expected_answer and
changed_answer_to_majority. Every decision is one audit row {problem, rule, inputs, outcome}.

options:
  --out FILE                curated JSONL (required)
  --audit FILE              audit JSONL (default: <out without .jsonl>.audit.jsonl)
  --trivial-threshold X     drop when the pass rate is above X (default 0.8)
  --trivial-mode MODE       mode whose attempts measure triviality (default low)
  --repair-votes high|all   attempts that vote on the reference (default high)
  --mode MODE               reasoning mode of rows whose row and file name do not say
  --summary FILE            also write the counts as JSON to FILE
  --threads N               worker threads parsing and extracting (default: one per core; 0 = this
                            thread); the output does not depend on it
  --json                    print the counts as JSON on stdout
  -h, --help                this help

examples:
  veritrace filter high.jsonl medium.jsonl low.jsonl --out curated.jsonl --audit audit.jsonl
  veritrace filter dump/*.jsonl --out curated.jsonl --repair-votes all --trivial-threshold 0.75 --json
`;

const MODES: readonly ReasoningMode[] = ["high", "medium", "low", "unknown"];

function modeArg(flag: string, value: string | undefined, fallback?: ReasoningMode): ReasoningMode | undefined {
  if (value === undefined) return fallback;
  if (!MODES.includes(value as ReasoningMode)) throw new UsageError(`--${flag}: '${value}' is not one of ${MODES.join(", ")}`);
  return value as ReasoningMode;
}


export function run(argv: string[]): Promise<number> {
  return runCommand("filter", async () => {
    const { values, positionals } = parseCommandArgs(argv, {
      out: { type: "string" },
      audit: { type: "string" },
      "trivial-threshold": { type: "string" },
      "trivial-mode": { type: "string" },
      "repair-votes": { type: "string" },
      mode: { type: "string" },
      summary: { type: "string" },
      threads: { type: "string" },
      json: { type: "boolean" },
    });
    if (positionals.length === 0) throw new UsageError("no input dumps given");
    if (!values.out) throw new UsageError("--out is required");
    const threshold = values["trivial-threshold"] === undefined ? 0.8 : Number(values["trivial-threshold"]);
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
      throw new UsageError(`--trivial-threshold: '${values["trivial-threshold"]}' is not a number in [0, 1]`);
    }
    const repairVotes = values["repair-votes"] ?? "high";
    if (repairVotes !== "high" && repairVotes !== "all") throw new UsageError(`--repair-votes: '${repairVotes}' is not high or all`);
    const threads = values.threads === undefined ? availableParallelism() : Number(values.threads);
    if (!Number.isInteger(threads) || threads < 0 || threads > 256) throw new UsageError(`--threads: '${values.threads}' is not a thread count`);
    const unreadable = firstUnreadable(positionals);
    if (unreadable) throw new InputError(unreadable.file, null, unreadable.reason);
    const auditPath = values.audit ?? values.out.replace(/\.jsonl$/, "") + ".audit.jsonl";
    const bar = progress();
    const result = await filterProblems(positionals, {
      out: values.out,
      audit: auditPath,
      trivialThreshold: threshold,
      trivialMode: modeArg("trivial-mode", values["trivial-mode"], "low"),
      repairVotes,
      mode: modeArg("mode", values.mode),
      threads,
      onProgress: (pass, rows) => bar.update(`filter: pass ${pass}, ${rows} rows`),
    });
    bar.done();
    if (values.summary) writeFileSync(values.summary, JSON.stringify(result, null, 2) + "\n");
    if (values.json) writeJson({ ...result, out: values.out, audit: auditPath });
    else process.stdout.write(formatSummary(result, values.out, auditPath));
    return 0;
  });
}

export function formatSummary(s: FilterSummary, out: string, audit: string): string {
  const p = s.problems;
  const lines = [
    `rows read            ${s.rows.read}${s.rows.invalid ? ` (${s.rows.invalid} invalid, see audit)` : ""}`,
    `problems in          ${p.in}`,
    `  reference kept     ${p.referenceKept}`,
    `  reference filled   ${p.referenceFilled}`,
    `  reference replaced ${p.referenceReplaced}`,
    `  dropped, no votes  ${p.droppedNoVotes}`,
    `  dropped as trivial ${p.droppedTrivial} (pass rate of ${s.options.trivialMode} > ${s.options.trivialThreshold}; source: ${Object.entries(s.trivialSource)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ") || "none"})`,
    `  curated            ${p.curated}`,
    `traces in            ${s.traces.in}`,
    `traces kept          ${s.traces.kept}`,
    "",
    "setting                 in     kept",
    ...Object.entries(s.traces.bySetting).map(([k, v]) => `${k.padEnd(20)} ${String(v.in).padStart(5)}  ${String(v.kept).padStart(7)}`),
    "",
    `curated: ${out}`,
    `audit:   ${audit}`,
  ];
  return lines.join("\n") + "\n";
}
