// Training-cost ratio of the sequential bucket schedule on a generated length distribution shaped like
// Nemotron-Math's (bench/bucket-data.ts), and on a plan.json given on the command line.
//   npm run bench:bucket-cost [-- N] [-- path/to/plan.json ...]
import { readFileSync } from "node:fs";
import { assignBuckets, DEFAULT_EDGES, drawKey, MODES, planFromAssignment } from "../src/pipeline/plan.js";
import { generateLengths, LENGTH_SHAPE } from "./bucket-data.js";

function report(label: string, plan: ReturnType<typeof planFromAssignment>): void {
  console.log(`\n${label}`);
  for (const s of plan.stages) {
    const modes = Object.entries(s.byMode)
      .map(([m, l]) => `${m} ${l.traces}`)
      .join(", ");
    console.log(`  stage ${s.stage} (≤${s.maxTokens}): ${s.traces} traces, ${s.tokens} tokens  [${modes}]`);
  }
  if (plan.rows.overLength) console.log(`  over length (dropped): ${plan.rows.overLength}`);
  const c = plan.cost;
  console.log(`  padded tokens: sequential ${c.sequential.paddedTokens} vs all at ${c.allAtMaxLength.maxTokens}: ${c.allAtMaxLength.paddedTokens}  ratio ${c.ratio.paddedTokens} (${(1 / c.ratio.paddedTokens).toFixed(2)}x cheaper)`);
  console.log(`  attention L^2: sequential ${c.sequential.attention} vs ${c.allAtMaxLength.attention}  ratio ${c.ratio.attention} (${(1 / c.ratio.attention).toFixed(2)}x cheaper)`);
  console.log(`  packed (no cross-document masking), attention tokens·L: ratio ${c.packed.ratio} (${(1 / c.packed.ratio).toFixed(2)}x cheaper)`);
}

const args = process.argv.slice(2);
const n = Number(args.find((a) => /^[0-9]+$/.test(a)) ?? 200_000);
const { tokens, modes } = generateLengths(n, 1);
const measurements = { count: n, tokens, modes: Uint8Array.from(modes, (m) => MODES.indexOf(m)), keys: Float64Array.from({ length: n }, (_, i) => drawKey(1, String(i))) };
console.log(`generated ${n} traces; per mode log-normal: ${JSON.stringify(LENGTH_SHAPE)}`);
const sorted = Array.from(tokens).sort((a, b) => a - b);
const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
console.log(`length quantiles: p50 ${q(0.5)}, p90 ${q(0.9)}, p99 ${q(0.99)}, p99.9 ${q(0.999)}, max ${sorted[sorted.length - 1]}`);
for (const mix of [{}, { medium: 0.05, low: 0.05 }]) {
  const a = assignBuckets(measurements, DEFAULT_EDGES, mix);
  report(`edges ${DEFAULT_EDGES.join(",")}, mix ${JSON.stringify(mix)}`, planFromAssignment(a, DEFAULT_EDGES, { tokenizer: "generated", template: "harmony", seed: 1, mix, rows: n }));
}
for (const file of args.filter((a) => a.endsWith(".json"))) {
  const plan = JSON.parse(readFileSync(file, "utf8"));
  console.log(`\n${file}: padded-token ratio ${plan.cost.ratio.paddedTokens}, attention ratio ${plan.cost.ratio.attention}, packed attention ratio ${plan.cost.packed.ratio}`);
}
