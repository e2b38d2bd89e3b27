// veritrace bench: the scaling model recovers known parameters, and the command produces its JSON.
import { describe, expect, it } from "vitest";
import { defaultThreadCounts } from "../src/bench/index.js";
import { seededRandom } from "../src/bench/mix.js";
import { fitUsl, uslPeakThreads, uslThroughput, type UslParams } from "../src/bench/usl.js";
import { runCli } from "./helpers/cli.js";

const points = (p: UslParams, ns: number[], noise = 0, seed = 1) => {
  const r = seededRandom(seed);
  return ns.map((threads) => ({ threads, throughput: uslThroughput(p, threads) * (1 + (r() - 0.5) * 2 * noise) }));
};

describe("USL fit", () => {
  it("recovers λ, σ and κ exactly from exact points", () => {
    for (const truth of [
      { lambda: 12_000, sigma: 0.06, kappa: 0.0015 },
      { lambda: 250, sigma: 0.3, kappa: 0 },
      { lambda: 1e6, sigma: 0.001, kappa: 0.00002 },
    ]) {
      const fit = fitUsl(points(truth, [1, 2, 4, 8, 16, 32]))!;
      expect(fit.kind).toBe("full");
      expect(fit.lambda).toBeCloseTo(truth.lambda, 6);
      expect(fit.sigma).toBeCloseTo(truth.sigma, 6);
      expect(fit.kappa).toBeCloseTo(truth.kappa, 8);
    }
  });

  it("stays close with 2% noise, and predicts 64 threads within 10%", () => {
    const truth = { lambda: 12_000, sigma: 0.05, kappa: 0.0008 };
    const fit = fitUsl(points(truth, [1, 2, 3, 4, 6, 8, 12, 16, 24, 32], 0.02, 7))!;
    expect(Math.abs(fit.lambda / truth.lambda - 1)).toBeLessThan(0.05);
    expect(Math.abs(fit.sigma - truth.sigma)).toBeLessThan(0.02);
    expect(Math.abs(uslThroughput(fit, 64) / uslThroughput(truth, 64) - 1)).toBeLessThan(0.1);
    expect(uslPeakThreads(fit)).toBeGreaterThan(20);
  });

  it("with two thread counts fits λ and σ (κ = 0) and says so", () => {
    const fit = fitUsl(points({ lambda: 5000, sigma: 0.1, kappa: 0 }, [1, 2]))!;
    expect(fit.kind).toBe("sigma-only");
    expect(fit.lambda).toBeCloseTo(5000, 6);
    expect(fit.sigma).toBeCloseTo(0.1, 9);
    expect(fit.kappa).toBe(0);
    expect(fit.notes.join(" ")).toContain("κ fixed at 0");
  });

  it("with two thread counts and falling throughput fixes σ = 1 and fits κ", () => {
    const fit = fitUsl([
      { threads: 1, throughput: 1000 },
      { threads: 2, throughput: 800 },
    ])!;
    expect(fit.kind).toBe("kappa-only");
    expect(fit.sigma).toBe(1);
    expect(uslThroughput(fit, 2)).toBeCloseTo(800, 6);
    expect(uslThroughput(fit, 16)).toBeLessThan(800);
    expect(uslPeakThreads(fit)).toBe(1);
  });

  it("keeps σ and κ non-negative for superlinear points, and needs two thread counts", () => {
    const fit = fitUsl([
      { threads: 1, throughput: 100 },
      { threads: 2, throughput: 230 },
      { threads: 4, throughput: 480 },
    ])!;
    expect(fit.sigma).toBe(0);
    expect(fit.kappa).toBe(0);
    expect(fitUsl([{ threads: 2, throughput: 100 }, { threads: 2, throughput: 110 }])).toBeNull();
  });

  it("sweeps powers of two up to the core count", () => {
    expect(defaultThreadCounts(1)).toEqual([1]);
    expect(defaultThreadCounts(2)).toEqual([1, 2]);
    expect(defaultThreadCounts(6)).toEqual([1, 2, 4, 6]);
    expect(defaultThreadCounts(64)).toEqual([1, 2, 4, 8, 16, 32, 64]);
  });
});

describe("veritrace bench (command)", () => {
  it("--threads 1 --seconds 1 --json prints the measurements and models as JSON", () => {
    const res = runCli(["bench", "--threads", "1", "--seconds", "1", "--json"], { timeout: 300_000 });
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(report).toMatchObject({ seconds: 1, repeat: 1, threads: [1], components: ["verify", "grade", "sandbox"], baselineThreads: 1 });
    expect(report.machine.availableParallelism).toBeGreaterThanOrEqual(1);
    expect(Array.isArray(report.warnings)).toBe(true);
    expect(report.results).toHaveLength(3);
    for (const r of report.results) {
      expect(r.threads).toBe(1);
      if (r.available) {
        expect(r.operations).toBeGreaterThan(0);
        expect(r.throughput).toBeCloseTo(r.operations / r.seconds, 6);
        expect(r.efficiency).toBe(1);
        expect(r.runs).toEqual([r.throughput]);
        if (r.component === "sandbox") expect(r.coresUsed).toBeNull();
        else expect(r.coresUsed).toBeGreaterThan(0);
        expect(r.unit).toMatch(/\/s$/);
      } else {
        expect(r.reason).toBeTruthy();
      }
    }
    expect(report.results.filter((r: { available: boolean }) => r.available).length).toBeGreaterThan(0);
    // One thread count: no model to fit.
    for (const m of report.models) expect(m).toMatchObject({ fit: null, predictions: [] });
  }, 300_000);

  it("prints the table, the fit and labelled predictions for two thread counts", () => {
    const res = runCli(["bench", "--only", "verify", "--threads", "1,2", "--seconds", "0.5", "--repeat", "2"], { timeout: 300_000 });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/verify\s+1\s+[\d,]+\s+pairs\/s\s+\d+\.\d\d\s+[\d,]+\s+100%/);
    expect(res.stdout).toMatch(/verify\s+2\s+[\d,]+\s+pairs\/s\s+\d+\.\d\d\s+[\d,]+\s+\d+%/);
    expect(res.stdout).toContain("best of 2");
    expect(res.stdout).toContain("Universal Scalability Law");
    expect(res.stdout).toMatch(/PREDICTION \(extrapolated, not measured\): 16 threads ≈ [\d,]+ pairs\/s, 64 threads ≈ [\d,]+ pairs\/s/);
  }, 300_000);

  it("reports a component that cannot start as not available and still measures the others", () => {
    // A sandbox cache directory under a regular file cannot be created: the sandbox cannot start.
    const res = runCli(["bench", "--only", "sandbox,verify", "--threads", "1,2", "--seconds", "0.3", "--json"], {
      timeout: 300_000,
      env: { ...process.env, VERITRACE_CACHE_DIR: "/etc/passwd/veritrace-cache" },
    });
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout);
    const sandbox = report.results.filter((r: { component: string }) => r.component === "sandbox");
    expect(sandbox.map((r: { threads: number; available: boolean }) => [r.threads, r.available])).toEqual([[1, false], [2, false]]);
    expect(sandbox[0].reason).toContain("ENOTDIR");
    expect(report.results.filter((r: { component: string; available: boolean }) => r.component === "verify" && r.available)).toHaveLength(2);
    expect(report.models.find((m: { component: string }) => m.component === "sandbox").fit).toBeNull();
    expect(report.models.find((m: { component: string }) => m.component === "verify").fit).not.toBeNull();
  }, 300_000);

  it("rejects bad options with exit code 2", () => {
    for (const args of [["--threads", "0"], ["--threads", "1,x"], ["--seconds", "-1"], ["--only", "nothing"], ["--repeat", "0"], ["--seed", "x"], ["--bogus"]]) {
      const res = runCli(["bench", ...args]);
      expect(res.code, args.join(" ")).toBe(2);
      expect(res.stderr).toContain("veritrace bench:");
    }
  });
});
