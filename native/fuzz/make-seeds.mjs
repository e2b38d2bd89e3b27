// Writes the fuzzer's seed corpus from the verdict cases: one file per case, in the target's input
// layout (options byte, gold, NUL, pred). Usage: node native/fuzz/make-seeds.mjs <cases.jsonl> <out-dir>
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [casesPath, outDir] = process.argv.slice(2);
if (!casesPath || !outDir) {
  console.error("usage: node native/fuzz/make-seeds.mjs <cases.jsonl> <out-dir>");
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
let written = 0;
const lines = readFileSync(casesPath, "utf8").split("\n");
for (const [i, line] of lines.entries()) {
  if (!line.trim()) continue;
  let row;
  try {
    row = JSON.parse(line);
  } catch (err) {
    console.error(`${casesPath}:${i + 1}: not JSON (${err.message})`);
    process.exit(2);
  }
  // The options byte as fuzz_verify.cc reads it: low nibble float_rounding, 0x10 not strict, 0x20 set/relation.
  const rounding = Number.isInteger(row.float_rounding) ? Math.min(15, Math.max(0, row.float_rounding)) : 6;
  const selector = rounding | (row.strict === false ? 0x10 : 0) | (row.allow_set_relation_comp ? 0x20 : 0);
  const body = Buffer.concat([Buffer.from([selector]), Buffer.from(String(row.gold ?? ""), "utf8"), Buffer.from([0]), Buffer.from(String(row.pred ?? ""), "utf8")]);
  const name = createHash("sha1").update(body).digest("hex");
  writeFileSync(join(outDir, name), body);
  written++;
}
console.error(`make-seeds: ${written} seeds in ${outDir}`);
