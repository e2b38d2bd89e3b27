// Sandbox benchmark (npm run bench:sandbox): start-up (cold, snapshot, the cost of importing sympy),
// warm calls per second and latency for a trivial cell at 1 and 2 workers, a sympy-heavy cell mix, and the
// same trivial cell run as one `python3 -c` process per call for comparison. Prints figures; asserts nothing.
// Runs the compiled sandbox (dist/), as a user of the package would.
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { Sandbox } from "../dist/sandbox/index.js";

const quick = process.argv.includes("--quick");
const silent = { onWarning: () => {} };

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function fmt(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

async function timeStart(options: Parameters<typeof Sandbox.start>[0]): Promise<{ totalMs: number; workerMs: number; from: string }> {
  const t = performance.now();
  const sb = await Sandbox.start({ ...silent, ...options });
  const totalMs = performance.now() - t;
  const w = sb.info().workerStarts[0];
  await sb.close();
  return { totalMs, workerMs: w.startMs, from: w.from };
}

/** `sessions` concurrent sessions, each running its cells in order; returns throughput and latencies. */
async function load(sb: Sandbox, cells: string[], sessions: number, callsPerSession: number) {
  const latencies: number[] = [];
  let failures = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: sessions }, async (_, s) => {
      const session = `bench-${s}-${Math.random()}`;
      for (let i = 0; i < callsPerSession; i++) {
        const c0 = performance.now();
        const r = await sb.run(cells[(s + i) % cells.length], { session });
        latencies.push(performance.now() - c0);
        if (r.status !== "completed") failures++;
      }
      sb.closeSession(session);
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  latencies.sort((a, b) => a - b);
  return { calls: latencies.length, perSecond: latencies.length / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99), failures };
}

const TRIVIAL = ["1 + 1"];
const SYMPY = [
  "import sympy as sp\nx = sp.symbols('x')\nsp.factor(x**4 - 1)",
  "import sympy as sp\nx = sp.symbols('x')\nsp.solve(x**2 - 5*x + 6, x)",
  "import sympy as sp\nsp.divisor_count(2**4 * 3**2), sp.isprime(2**31 - 1)",
  "import sympy as sp\nx = sp.symbols('x')\nsp.simplify(sp.sin(x)**2 + sp.cos(x)**2)",
  "import sympy as sp\nx = sp.symbols('x')\nsp.integrate(x**2 * sp.exp(x), x)",
  "import sympy as sp\nsp.Rational(1, 3) + sp.Rational(1, 6)",
  "from math import comb\nsum(comb(20, k) for k in range(0, 21, 2))",
  "import sympy as sp\nn = sp.symbols('n')\nsp.summation(1 / (n * (n + 1)), (n, 1, 50))",
];

async function main(): Promise<void> {
  console.log(`sandbox benchmark: ${availableParallelism()} cores, Node ${process.version}${quick ? " (quick)" : ""}`);

  // Start-up. The first start of a fresh checkout also builds the bundles and the snapshot: warm the cache first.
  await Sandbox.start({ ...silent, workers: 1 }).then((sb) => sb.close());
  const snap = await timeStart({ workers: 1 });
  const coldBare = await timeStart({ workers: 1, snapshot: false, packages: [] });
  const coldSympy = await timeStart({ workers: 1, snapshot: false });
  console.log("\nstart-up (one worker; 'pool' includes spawning the isolated pool process)");
  console.log(`  snapshot start (sympy, mpmath imported): worker ${fmt(snap.workerMs)} ms, pool ${fmt(snap.totalMs)} ms  [${snap.from}]`);
  console.log(`  cold start, no packages:                 worker ${fmt(coldBare.workerMs)} ms, pool ${fmt(coldBare.totalMs)} ms`);
  console.log(`  cold start, sympy + mpmath imported:     worker ${fmt(coldSympy.workerMs)} ms, pool ${fmt(coldSympy.totalMs)} ms`);
  console.log(`  first import of sympy + mpmath (.pyc bundle, in memory): ~${fmt(coldSympy.workerMs - coldBare.workerMs)} ms`);

  const calls = quick ? 400 : 3000;
  console.log("\nwarm calls (trivial cell '1 + 1'; latency = one call's round trip from the library)");
  for (const workers of [1, 2]) {
    const sb = await Sandbox.start({ ...silent, workers });
    const sequential = await load(sb, TRIVIAL, 1, Math.min(calls, 1000));
    const parallel = await load(sb, TRIVIAL, 8 * workers, Math.ceil(calls / (8 * workers)));
    console.log(
      `  ${workers} worker(s): one session ${sequential.perSecond.toFixed(0)} calls/s (p50 ${fmt(sequential.p50)} ms, p99 ${fmt(sequential.p99)} ms); ` +
        `${8 * workers} sessions ${parallel.perSecond.toFixed(0)} calls/s (p50 ${fmt(parallel.p50)} ms, p99 ${fmt(parallel.p99)} ms)` +
        (sequential.failures + parallel.failures ? `  [${sequential.failures + parallel.failures} failed]` : ""),
    );
    await sb.close();
  }

  console.log("\nsympy-heavy cell mix (8 cells: factor, solve, divisor_count/isprime, simplify, integrate, Rational, comb, summation)");
  for (const workers of [1, 2]) {
    const sb = await Sandbox.start({ ...silent, workers });
    await load(sb, SYMPY, workers, SYMPY.length); // first use of each sympy path (lazy imports)
    const r = await load(sb, SYMPY, 4 * workers, quick ? 8 : 24);
    console.log(`  ${workers} worker(s): ${r.perSecond.toFixed(1)} calls/s, p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms${r.failures ? `  [${r.failures} failed]` : ""}`);
    await sb.close();
  }

  const n = quick ? 30 : 100;
  const lat: number[] = [];
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    const c0 = performance.now();
    const r = spawnSync("python3", ["-c", "print(1 + 1)"], { encoding: "utf8" });
    if (r.stdout !== "2\n") throw new Error(`python3 -c failed: ${r.stderr}`);
    lat.push(performance.now() - c0);
  }
  lat.sort((a, b) => a - b);
  console.log(`\npython3 -c per call (sequential, ${n} calls): ${(n / ((performance.now() - t) / 1000)).toFixed(1)} calls/s, p50 ${fmt(pct(lat, 50))} ms, p99 ${fmt(pct(lat, 99))} ms`);
}

await main();
