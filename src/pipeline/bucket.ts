// Length buckets with mode balance (DESIGN.md "Pipeline", docs/pipeline.md "Buckets").
//   pass 1  parse ▸ render as trained ▸ count tokens; keep per trace only its token count, mode and draw key
//   plan    smallest bucket that holds each trace; over-length traces dropped; medium/low traces drawn
//           (seeded) from the earlier buckets into the last stage to the requested share
//   pass 2  stream the inputs again, writing each row unchanged to its stage file (and to the last stage
//           when drawn), then plan.json
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseTrace, problemIdOf } from "../traces/index.js";
import type { ReasoningMode } from "../types.js";
import { countSegments, DEFAULT_TOKENIZER, loadTokenizer, type TokenCounter } from "../tokenize/index.js";
import { Column } from "./columns.js";
import { round6 } from "./cost.js";
import { assignBuckets, DEFAULT_EDGES, drawKey, MODES, planFromAssignment, stageFileName, validateEdges, validateMix, type BucketPlan, type MixShares } from "./plan.js";
import { sourceFileName, toSource, type JsonlSource } from "./jsonl.js";
import { LineSink } from "./sink.js";
import { renderTrace, type Template } from "./render.js";
import { AuditWriter, type AuditRow } from "./audit.js";

export interface BucketOptions {
  /** Directory for the stage files, plan.json and (unless `audit` says otherwise) audit.jsonl. */
  outDir: string;
  /** Upper token bounds of the stages, ascending. */
  edges?: readonly number[];
  /** "o200k_harmony" (default) or the path of a tokenizer.json. */
  tokenizer?: string;
  /** Chat template; by default harmony for o200k_harmony, chatml for a tokenizer.json. */
  template?: Template;
  /** Share of the last stage's traces to fill with traces of a mode drawn from the earlier stages. */
  mix?: MixShares;
  seed?: number;
  /** Mode of rows whose row and file name do not say (CLI --mode). */
  mode?: ReasoningMode;
  /** Audit JSONL path (default outDir/audit.jsonl). */
  audit?: string;
  onProgress?: (rows: number) => void;
}

/** Splits rows of the inputs into length buckets; see the module comment. */
export async function bucketize(inputs: ReadonlyArray<string | JsonlSource>, options: BucketOptions): Promise<BucketPlan> {
  const edges = validateEdges(options.edges ?? DEFAULT_EDGES);
  const mix = validateMix(options.mix ?? {});
  const seed = options.seed ?? 0;
  const counter = await loadTokenizer(options.tokenizer ?? DEFAULT_TOKENIZER);
  const template = options.template ?? counter.template;
  const sources = inputs.map(toSource);
  mkdirSync(options.outDir, { recursive: true });
  const auditPath = options.audit ?? join(options.outDir, "audit.jsonl");
  mkdirSync(dirname(auditPath), { recursive: true });
  const audit = new AuditWriter(auditPath);

  // Pass 1: measure.
  const tokens = new Column(Int32Array);
  const modes = new Column(Uint8Array);
  const keys = new Column(Float64Array);
  let rows = 0;
  try {
    for (const source of sources) {
      for await (const line of source.lines()) {
        if (line.text.trim() === "" && !line.tooLong) continue;
        rows++;
        options.onProgress?.(rows);
        const m = measure(line.text, line.tooLong, source, line.lineNumber, counter, template, options.mode);
        tokens.push(m.tokens);
        modes.push(MODES.indexOf(m.mode));
        keys.push(m.tokens >= 0 ? drawKey(seed, line.text) : 1);
        if (m.invalid) await audit.write({ problem: m.problem, rule: "invalid_input", inputs: { file: source.name, line: line.lineNumber }, outcome: `dropped: ${m.invalid}` });
      }
    }

    const assignment = assignBuckets({ count: tokens.length, tokens: tokens.view(), modes: modes.view(), keys: keys.view() }, edges, mix);

    // Pass 2: write each row unchanged to its stage file(s).
    const writers = edges.map((edge, s) => new LineSink(join(options.outDir, stageFileName(s, edge))));
    let ordinal = 0;
    try {
      for (const source of sources) {
        for await (const line of source.lines()) {
          if (line.text.trim() === "" && !line.tooLong) continue;
          const stage = assignment.stageOf[ordinal]!;
          if (stage >= 0) await writers[stage]!.writeLine(line.text);
          // Decisions other than "stays in its bucket" are audited here, where the row is at hand again.
          if (stage === -1 || assignment.mixed[ordinal]) {
            const at = { file: source.name, line: line.lineNumber, tokens: tokens.get(ordinal) };
            const problem = problemOfLine(line.text);
            if (stage === -1) {
              await audit.write({ problem, rule: "over_length", inputs: { ...at, maxTokens: edges[edges.length - 1]! }, outcome: "dropped" });
            } else {
              await writers[edges.length - 1]!.writeLine(line.text);
              const mode = MODES[modes.get(ordinal)]!;
              await audit.write({ problem, rule: "mix", inputs: { ...at, mode, stage: stage + 1, key: round6(keys.get(ordinal)) }, outcome: `also in stage ${edges.length}` });
            }
          }
          ordinal++;
        }
      }
      if (ordinal !== rows) throw new Error(`inputs changed between the two passes (${rows} rows, then ${ordinal})`);
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
    const plan = planFromAssignment(assignment, edges, { tokenizer: counter.name, template, seed, mix, rows });
    await writeFileAtomic(join(options.outDir, "plan.json"), JSON.stringify(plan, null, 2) + "\n");
    return plan;
  } finally {
    await audit.close();
  }
}

interface Measured {
  tokens: number;
  mode: ReasoningMode;
  problem: string | null;
  invalid?: string;
}

function measure(
  text: string,
  tooLong: number | undefined,
  source: JsonlSource,
  lineNumber: number,
  counter: TokenCounter,
  template: Template,
  fallbackMode: ReasoningMode | undefined,
): Measured {
  if (tooLong) return { tokens: -1, mode: "unknown", problem: null, invalid: `line of ${tooLong} bytes is longer than the line cap` };
  let row: unknown;
  try {
    row = JSON.parse(text);
  } catch (err: any) {
    return { tokens: -1, mode: "unknown", problem: null, invalid: `not JSON: ${err?.message ?? err}` };
  }
  const parsed = parseTrace(row, { fileName: sourceFileName(source), lineNumber, mode: fallbackMode });
  if (!parsed.ok) return { tokens: -1, mode: "unknown", problem: parsed.problemId ?? null, invalid: parsed.reason };
  const trace = parsed.trace;
  return { tokens: countSegments(counter, renderTrace(row, trace, template)), mode: trace.mode, problem: trace.problemId };
}

function problemOfLine(text: string): string | null {
  try {
    return problemIdOf(JSON.parse(text));
  } catch {
    return null;
  }
}


async function writeFileAtomic(path: string, text: string): Promise<void> {
  const { writeFile, rename } = await import("node:fs/promises");
  await writeFile(path + ".tmp", text);
  await rename(path + ".tmp", path);
}

export type { AuditRow, BucketPlan, MixShares };
