// Length buckets with mode balance (DESIGN.md "Pipeline", docs/pipeline.md "Buckets").
//   pass 1  parse ▸ render as trained ▸ count tokens; keep per trace only its token count, mode and draw key
//   plan    smallest bucket that holds each trace; over-length traces dropped; medium/low traces drawn
//           (seeded) from the earlier buckets into the last stage to the requested share
//   pass 2  stream the inputs again, writing each row unchanged to its stage file (and to the last stage
//           when drawn), then plan.json
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { problemIdOf } from "../traces/index.js";
import type { ReasoningMode } from "../types.js";
import { DEFAULT_TOKENIZER, loadTokenizer } from "../tokenize/index.js";
import { Column } from "./columns.js";
import { round6 } from "./cost.js";
import { assignBuckets, DEFAULT_EDGES, MODES, planFromAssignment, stageFileName, validateEdges, validateMix, type BucketPlan, type MixShares } from "./plan.js";
import { toSource, type JsonlSource } from "./jsonl.js";
import { LineSink } from "./sink.js";
import type { Template } from "./render.js";
import { measureBatch, type MeasureBatch, type MeasureResult, type MeasureSettings } from "./measure.js";
import { batchRunner, inOrder, lineBatches } from "./workers.js";
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
  /** Worker threads for pass 1 (parse, render, count); 0 (default) counts in the calling thread. */
  threads?: number;
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

  // Pass 1: measure, in batches (in worker threads when asked; results are kept in input order).
  const tokens = new Column(Int32Array);
  const modes = new Column(Uint8Array);
  const keys = new Column(Float64Array);
  let rows = 0;
  const settings: MeasureSettings = { tokenizer: options.tokenizer ?? DEFAULT_TOKENIZER, template, seed, mode: options.mode };
  try {
    const runner = batchRunner<MeasureBatch, MeasureResult>("bucket-worker", measureBatch, options.threads ?? 0);
    try {
      const withSettings = async function* () {
        for await (const batch of lineBatches(sources)) yield { ...batch, settings };
      };
      for await (const { batch, result } of inOrder(withSettings(), runner.run, runner.concurrency)) {
        for (let i = 0; i < result.tokens.length; i++) {
          tokens.push(result.tokens[i]!);
          modes.push(result.modes[i]!);
          keys.push(result.keys[i]!);
        }
        rows += result.tokens.length;
        options.onProgress?.(rows);
        for (const bad of result.invalid) {
          const line = batch.lines[bad.index]!.lineNumber;
          await audit.write({ problem: bad.problem, rule: "invalid_input", inputs: { file: batch.source, line }, outcome: `dropped: ${bad.reason}` });
        }
      }
    } finally {
      await runner.close();
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
