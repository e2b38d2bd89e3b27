// `bucketize` and `veritrace bucket` on hand-built Nemotron rows whose token counts are computed here by an
// independent tokenizer (tiktoken's Rust core, WASM) from the rendering written out by hand.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bucketize } from "../src/pipeline/bucket.js";
import { renderTrace } from "../src/pipeline/render.js";
import { parseTrace } from "../src/traces/index.js";
import { countSegments, loadTokenizer } from "../src/tokenize/index.js";
import { runCli } from "./helpers/cli.js";

const require = createRequire(import.meta.url);
const SPECIALS = { "<|return|>": 200002, "<|constrain|>": 200003, "<|channel|>": 200005, "<|start|>": 200006, "<|end|>": 200007, "<|message|>": 200008, "<|call|>": 200012 };
let wasm: any;
let dir: string;

beforeAll(() => {
  wasm = require("tiktoken").get_encoding("o200k_base", SPECIALS);
  dir = mkdtempSync(join(tmpdir(), "veritrace-bucket-"));
});
afterAll(() => {
  wasm?.free();
  rmSync(dir, { recursive: true, force: true });
});

const SYSTEM_HIGH_TOOL =
  "You are ChatGPT, a large language model trained by OpenAI.\nKnowledge cutoff: 2024-06\nCurrent date: 2025-06-28\n\nReasoning: high\n\n" +
  "# Tools\n\n## python\n\nUse this tool to execute Python code in your chain of thought. The code will not be shown to the user. " +
  "This tool should be used for internal reasoning, but not for code that is intended to be visible to the user (e.g. when creating plots, tables, or files).\n\n" +
  "When you send a message containing Python code to python, it will be executed in a stateful Jupyter notebook environment. " +
  "python will respond with the output of the execution or time out after 120.0 seconds. The drive at '/mnt/data' can be used to save and persist user files. " +
  "Internet access for this session is UNKNOWN. Depends on the cluster.\n\n" +
  "# Valid channels: analysis, commentary, final. Channel must be included for every message.";

/** A Nemotron-Math-v2 row; `words` sets the length of its reasoning. */
function row(id: string, words: number, tool = false, mode?: string): Record<string, unknown> {
  const reasoning = Array.from({ length: words }, (_, i) => `step${i % 97}`).join(" ");
  const messages: unknown[] = [{ role: "user", content: `Problem ${id}: compute 6*7.` }];
  if (tool) {
    messages.push({
      role: "assistant",
      content: "",
      reasoning_content: reasoning,
      tool_calls: [{ id: "call_0", type: "function", function: { name: "stateful_python_code_exec", arguments: JSON.stringify({ code: "print(6*7)" }) } }],
    });
    messages.push({ role: "tool", name: "stateful_python_code_exec", tool_call_id: "call_0", content: "42" });
    messages.push({ role: "assistant", reasoning_content: "So 42.", content: "The answer is \\boxed{42}." });
  } else {
    messages.push({ role: "assistant", reasoning_content: reasoning, content: "The answer is \\boxed{42}." });
  }
  const r: Record<string, unknown> = { uuid: id, problem: `Problem ${id}: compute 6*7.`, expected_answer: "42", messages };
  if (mode) r.reasoning_mode = mode;
  return r;
}

function tokensOf(r: Record<string, unknown>, fileName: string): number {
  const parsed = parseTrace(r, { fileName });
  if (!parsed.ok) throw new Error(parsed.reason);
  const segs = renderTrace(r, parsed.trace, "harmony");
  const text = segs.map((s) => ("special" in s ? s.special : s.text)).join("");
  return wasm.encode(text, "all").length;
}

describe("rendering for training (harmony)", () => {
  it("renders a tool-integrated Nemotron row as documented, and counts it as tiktoken does", async () => {
    const r = row("p1", 3, true);
    const parsed = parseTrace(r, { fileName: "high.jsonl" });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const segs = renderTrace(r, parsed.trace, "harmony");
    const text = segs.map((s) => ("special" in s ? s.special : s.text)).join("");
    expect(text).toBe(
      `<|start|>system<|message|>${SYSTEM_HIGH_TOOL}<|end|>` +
        "<|start|>user<|message|>Problem p1: compute 6*7.<|end|>" +
        "<|start|>assistant<|channel|>analysis<|message|>step0 step1 step2<|end|>" +
        "<|start|>assistant<|channel|>analysis to=python code<|message|>print(6*7)<|call|>" +
        "<|start|>python to=assistant<|channel|>analysis<|message|>42<|end|>" +
        "<|start|>assistant<|channel|>analysis<|message|>So 42.<|end|>" +
        "<|start|>assistant<|channel|>final<|message|>The answer is \\boxed{42}.<|return|>",
    );
    const counter = await loadTokenizer("o200k_harmony");
    expect(countSegments(counter, segs)).toBe(wasm.encode(text, "all").length);
  });

  it("turns harmony control tokens inside a raw generation into special tokens", async () => {
    const generation =
      "<|channel|>analysis<|message|>Think.<|end|><|start|>assistant<|channel|>final<|message|>\\boxed{3}";
    const r = { problem: "1+2?", expected_answer: "3", generation };
    const parsed = parseTrace(r, { fileName: "output-rs0.jsonl", mode: "low" });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const segs = renderTrace(r, parsed.trace, "harmony");
    const text = segs.map((s) => ("special" in s ? s.special : s.text)).join("");
    expect(text.endsWith("<|start|>user<|message|>1+2?<|end|><|start|>assistant<|channel|>analysis<|message|>Think.<|end|><|start|>assistant<|channel|>final<|message|>\\boxed{3}<|return|>")).toBe(true);
    expect(text).toContain("Reasoning: low");
    const counter = await loadTokenizer("o200k_harmony");
    expect(countSegments(counter, segs)).toBe(wasm.encode(text, "all").length);
  });
});

describe("bucketize", () => {
  it("puts each trace in the smallest bucket that holds it, drops over-length ones with the reason, keeps rows byte for byte", async () => {
    const rows = [row("a", 10), row("b", 200), row("c", 600, true), row("d", 3000)];
    const counts = rows.map((r) => tokensOf(r, "high.jsonl"));
    // Edges between the known counts: a ▸ stage 1, b ▸ stage 2, c ▸ stage 3, d ▸ over length.
    const edges = [counts[0]!, counts[1]! + 5, counts[2]!];
    expect(counts[3]!).toBeGreaterThan(edges[2]!);
    const input = join(dir, "high.jsonl");
    const lines = rows.map((r) => JSON.stringify(r));
    writeFileSync(input, lines.join("\n") + "\n");
    const out = join(dir, "stages-1");
    const plan = await bucketize([input], { outDir: out, edges });
    expect(plan.stages.map((s) => s.traces)).toEqual([1, 1, 1]);
    expect(plan.stages.map((s) => s.tokens)).toEqual([counts[0], counts[1], counts[2]]);
    expect(plan.stages[0]!.byMode).toEqual({ high: { traces: 1, tokens: counts[0] } });
    expect(readFileSync(join(out, plan.stages[0]!.file), "utf8")).toBe(lines[0] + "\n");
    expect(readFileSync(join(out, plan.stages[2]!.file), "utf8")).toBe(lines[2] + "\n");
    expect(plan.rows).toEqual({ read: 4, traces: 4, invalid: 0, overLength: 1 });
    const audit = readFileSync(join(out, "audit.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(audit).toEqual([
      { problem: "d", rule: "over_length", inputs: { file: input, line: 4, tokens: counts[3], maxTokens: edges[2] }, outcome: "dropped" },
    ]);
    const saved = JSON.parse(readFileSync(join(out, "plan.json"), "utf8"));
    expect(saved.stages).toEqual(plan.stages);
    expect(saved.cost.ratio.paddedTokens).toBeCloseTo((edges[0]! + edges[1]! + edges[2]!) / (3 * edges[2]!), 5);
  });

  it("mixes medium and low traces into the last stage to the requested share, and is deterministic", async () => {
    const high: string[] = [];
    const medium: string[] = [];
    const low: string[] = [];
    for (let i = 0; i < 45; i++) high.push(JSON.stringify(row(`h${i}`, 400)));
    for (let i = 0; i < 60; i++) medium.push(JSON.stringify(row(`m${i}`, 5 + i)));
    for (let i = 0; i < 60; i++) low.push(JSON.stringify(row(`l${i}`, 3 + i)));
    const files = { high: join(dir, "high.part_00.jsonl"), medium: join(dir, "medium.jsonl"), low: join(dir, "low.jsonl.gz") };
    writeFileSync(files.high, high.join("\n") + "\n");
    writeFileSync(files.medium, medium.join("\n") + "\n");
    writeFileSync(files.low, gzipSync(low.join("\n") + "\n"));
    const edges = [256, 8192];
    const run = (name: string, inputs: string[], seed = 3) => bucketize(inputs, { outDir: join(dir, name), edges, mix: { medium: 0.05, low: 0.05 }, seed });
    const plan = await run("mix-a", [files.high, files.medium, files.low]);
    // 45 own traces in the last stage: k = round(0.05 · 45 / 0.9) = 3 of each mode, 51 traces in all.
    const last = plan.stages[1]!;
    expect(last.byMode.high!.traces).toBe(45);
    expect(last.mixedIn).toMatchObject({ medium: { traces: 3, requested: 3, available: 60 }, low: { traces: 3, requested: 3, available: 60 } });
    expect(last.traces).toBe(51);
    expect(Math.abs(last.byMode.medium!.traces / last.traces - 0.05)).toBeLessThan(1 / last.traces);
    // Drawn traces stay in their own stage too.
    expect(plan.stages[0]!.traces).toBe(120);
    const lastFile = readFileSync(join(dir, "mix-a", last.file), "utf8").trim().split("\n");
    expect(lastFile.filter((l) => medium.includes(l))).toHaveLength(3);
    expect(lastFile.filter((l) => low.includes(l))).toHaveLength(3);
    const mixAudit = readFileSync(join(dir, "mix-a", "audit.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(mixAudit.filter((a) => a.rule === "mix")).toHaveLength(6);

    // Same inputs and seed: same bytes. Other file order: same draw. Other seed: another draw.
    await run("mix-b", [files.high, files.medium, files.low]);
    for (const f of ["plan.json", last.file, plan.stages[0]!.file, "audit.jsonl"]) {
      expect(readFileSync(join(dir, "mix-b", f))).toEqual(readFileSync(join(dir, "mix-a", f)));
    }
    await run("mix-c", [files.low, files.medium, files.high]);
    const reordered = readFileSync(join(dir, "mix-c", last.file), "utf8").trim().split("\n");
    expect(reordered.slice().sort()).toEqual(lastFile.slice().sort());
    // Worker threads (the compiled worker in dist/): same bytes as counting in this thread.
    await bucketize([files.high, files.medium, files.low], { outDir: join(dir, "mix-threads"), edges, mix: { medium: 0.05, low: 0.05 }, seed: 3, threads: 2 });
    for (const f of ["plan.json", last.file, plan.stages[0]!.file, "audit.jsonl"]) {
      expect(readFileSync(join(dir, "mix-threads", f))).toEqual(readFileSync(join(dir, "mix-a", f)));
    }
    await run("mix-d", [files.high, files.medium, files.low], 4);
    const reseeded = readFileSync(join(dir, "mix-d", last.file), "utf8").trim().split("\n");
    expect(reseeded.slice().sort()).not.toEqual(lastFile.slice().sort());
  });

  it("reports invalid rows in the audit and goes on", async () => {
    const input = join(dir, "mixed.jsonl");
    writeFileSync(input, [JSON.stringify(row("ok", 5)), "{not json", JSON.stringify({ unrelated: true }), ""].join("\n"));
    const plan = await bucketize([input], { outDir: join(dir, "invalid"), edges: [4096] });
    expect(plan.rows).toEqual({ read: 3, traces: 1, invalid: 2, overLength: 0 });
    const audit = readFileSync(join(dir, "invalid", "audit.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(audit.map((a) => [a.rule, a.inputs.line])).toEqual([
      ["invalid_input", 2],
      ["invalid_input", 3],
    ]);
    expect(audit[0].outcome).toMatch(/not JSON/);
  });
});

describe("veritrace bucket", () => {
  it("writes the stages and prints the plan as JSON", () => {
    const input = join(dir, "cli-high.jsonl");
    writeFileSync(input, [row("x", 10), row("y", 20)].map((r) => JSON.stringify(r)).join("\n") + "\n");
    const res = runCli(["bucket", input, "--out-dir", join(dir, "cli"), "--edges", "1024,2048", "--json"]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const plan = JSON.parse(res.stdout);
    expect(plan.stages.map((s: any) => s.traces)).toEqual([2, 0]);
    expect(plan.cost.ratio.attention).toBeCloseTo(0.25, 6);
    const table = runCli(["bucket", input, "--out-dir", join(dir, "cli2"), "--edges", "1024,2048"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/padded tokens .* ratio 0\.5/);
  });

  it("exits 2 on usage errors and unreadable input", () => {
    expect(runCli(["bucket", "x.jsonl"]).code).toBe(2);
    expect(runCli(["bucket", "x.jsonl", "--out-dir", dir, "--edges", "200,100"]).code).toBe(2);
    expect(runCli(["bucket", "x.jsonl", "--out-dir", dir, "--mix", "medium=0.6,low=0.5"]).code).toBe(2);
    const missing = runCli(["bucket", join(dir, "nope.jsonl"), "--out-dir", dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.jsonl: no such file/);
  });
});
