// `veritrace bucket`: split traces into length-bucket stages with medium/low traces mixed into the last.
import { availableParallelism } from "node:os";
import { bucketize } from "../../pipeline/bucket.js";
import { DEFAULT_EDGES, type BucketPlan, type MixShares } from "../../pipeline/plan.js";
import type { ReasoningMode } from "../../types.js";
import { firstUnreadable } from "../../pipeline/jsonl.js";
import { InputError, parseCommandArgs, parseIntList, progress, runCommand, UsageError, writeJson } from "../util.js";

export const summary = "split traces into length-bucket training stages (token counts, mode mix, cost)";

export const usage = `usage: veritrace bucket <files...> --out-dir DIR [options]

Counts the tokens of each trace as rendered for training (harmony format with its special tokens for
o200k_harmony; ChatML for a tokenizer.json; tool calls and outputs included), puts it in the smallest
bucket that holds it, drops over-length traces (audit row with the count), draws medium/low traces
(seeded) from the earlier buckets into the last stage so that they make up the given share of its traces
(they also stay in their own stage), and writes DIR/stage<i>-<edge>.jsonl, DIR/plan.json (traces and
tokens per stage x mode, training-cost estimate) and DIR/audit.jsonl.

options:
  --out-dir DIR             output directory (required)
  --edges LIST              bucket edges in tokens (default ${DEFAULT_EDGES.join(",")})
  --tokenizer NAME|PATH     o200k_harmony (default) or a local HF tokenizer.json (e.g. Qwen's)
  --template harmony|chatml rendering (default: harmony for o200k_harmony, chatml for tokenizer.json)
  --mix LIST                shares of the last stage, e.g. medium=0.05,low=0.05 (default: no mix)
  --seed N                  seed of the mix draw (default 0)
  --mode MODE               reasoning mode of rows whose row and file name do not say
  --audit FILE              audit JSONL (default DIR/audit.jsonl)
  --threads N               worker threads counting tokens (default: one per core; 0 = this thread);
                            the output does not depend on it
  --json                    print plan.json on stdout instead of the table
  -h, --help                this help

examples:
  veritrace bucket curated.jsonl --out-dir stages --mix medium=0.05,low=0.05 --seed 1
  veritrace bucket curated.jsonl --out-dir stages-qwen --tokenizer ./qwen/tokenizer.json --edges 32768,65536
`;

export function parseMix(text: string): MixShares {
  const mix: MixShares = {};
  for (const part of text.split(",")) {
    const m = /^\s*(high|medium|low|unknown)\s*=\s*([0-9]*\.?[0-9]+)\s*$/.exec(part);
    if (!m) throw new UsageError(`--mix: '${part}' is not MODE=SHARE (e.g. medium=0.05)`);
    mix[m[1] as ReasoningMode] = Number(m[2]);
  }
  return mix;
}

export function run(argv: string[]): Promise<number> {
  return runCommand("bucket", async () => {
    const { values, positionals } = parseCommandArgs(argv, {
      "out-dir": { type: "string" },
      edges: { type: "string" },
      tokenizer: { type: "string" },
      template: { type: "string" },
      mix: { type: "string" },
      seed: { type: "string" },
      mode: { type: "string" },
      audit: { type: "string" },
      threads: { type: "string" },
      json: { type: "boolean" },
    });
    if (positionals.length === 0) throw new UsageError("no input files given");
    if (!values["out-dir"]) throw new UsageError("--out-dir is required");
    const edges = values.edges ? parseIntList("edges", values.edges) : [...DEFAULT_EDGES];
    for (let i = 1; i < edges.length; i++) if (edges[i]! <= edges[i - 1]!) throw new UsageError(`--edges must be ascending (${values.edges})`);
    const seed = values.seed === undefined ? 0 : Number(values.seed);
    if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed: '${values.seed}' is not an integer`);
    const template = values.template;
    if (template !== undefined && template !== "harmony" && template !== "chatml") throw new UsageError(`--template: '${template}' is not harmony or chatml`);
    const mode = values.mode;
    if (mode !== undefined && !["high", "medium", "low", "unknown"].includes(mode)) throw new UsageError(`--mode: '${mode}' is not high, medium, low or unknown`);
    const threads = values.threads === undefined ? availableParallelism() : Number(values.threads);
    if (!Number.isInteger(threads) || threads < 0 || threads > 256) throw new UsageError(`--threads: '${values.threads}' is not a thread count`);
    const mix = values.mix ? parseMix(values.mix) : {};
    const total = Object.values(mix).reduce((a, s) => a + (s ?? 0), 0);
    if (total >= 1) throw new UsageError(`--mix: shares add up to ${total}; they must leave room for the last stage's own traces`);
    const unreadable = firstUnreadable(positionals);
    if (unreadable) throw new InputError(unreadable.file, null, unreadable.reason);
    const badTokenizer = values.tokenizer && values.tokenizer !== "o200k_harmony" ? firstUnreadable([values.tokenizer]) : null;
    if (badTokenizer) throw new InputError(badTokenizer.file, null, badTokenizer.reason);
    const bar = progress();
    const plan = await bucketize(positionals, {
      outDir: values["out-dir"],
      edges,
      tokenizer: values.tokenizer,
      template: template as "harmony" | "chatml" | undefined,
      mix,
      seed,
      mode: mode as ReasoningMode | undefined,
      audit: values.audit,
      threads,
      onProgress: (rows) => bar.update(`bucket: ${rows} rows`),
    });
    bar.done();
    for (const w of plan.warnings) process.stderr.write(`veritrace bucket: warning: ${w}\n`);
    if (values.json) writeJson(plan);
    else process.stdout.write(formatPlan(plan, values["out-dir"]));
    return 0;
  });
}

export function formatPlan(plan: BucketPlan, dir: string): string {
  const modes = ["high", "medium", "low", "unknown"].filter((m) => plan.stages.some((s) => s.byMode[m]));
  const header = ["stage", "max tokens", "traces", "tokens", ...modes.map((m) => `${m} (traces/tokens)`)];
  const rows = plan.stages.map((s) => [
    String(s.stage),
    String(s.maxTokens),
    String(s.traces),
    String(s.tokens),
    ...modes.map((m) => (s.byMode[m] ? `${s.byMode[m]!.traces}/${s.byMode[m]!.tokens}` : "-")),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padStart(widths[i]!)).join("  ");
  const last = plan.stages[plan.stages.length - 1];
  const mixLines = last?.mixedIn
    ? Object.entries(last.mixedIn).map(
        ([m, x]) => `  ${m}: ${x.traces} of ${last.traces} last-stage traces (${((100 * x.traces) / Math.max(1, last.traces)).toFixed(2)}%, asked ${(100 * x.share).toFixed(2)}%)`,
      )
    : [];
  const c = plan.cost;
  return (
    [
      `tokenizer ${plan.tokenizer} (${plan.template}); rows ${plan.rows.read}, traces ${plan.rows.traces}, invalid ${plan.rows.invalid}, over length ${plan.rows.overLength}`,
      "",
      fmt(header),
      ...rows.map(fmt),
      ...(mixLines.length ? ["", "mixed into the last stage:", ...mixLines] : []),
      "",
      "training cost, sequential stages vs every trace at the largest length:",
      `  padded tokens  ${c.sequential.paddedTokens} vs ${c.allAtMaxLength.paddedTokens}  ratio ${c.ratio.paddedTokens}`,
      `  attention L^2  ${c.sequential.attention} vs ${c.allAtMaxLength.attention}  ratio ${c.ratio.attention}  (${c.attentionUnit})`,
      `  packed, no cross-document masking: attention ratio ${c.packed.ratio}`,
      "",
      `plan: ${dir}/plan.json`,
    ].join("\n") + "\n"
  );
}
