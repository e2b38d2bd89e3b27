// The Universal Scalability Law (Gunther): throughput at N threads
//     X(N) = λN / (1 + σ(N−1) + κN(N−1))
// λ is the one-thread throughput, σ the contention (serial) fraction, κ the coherency (crosstalk) cost.
// fitUsl finds λ, σ, κ ≥ 0 by least squares on the measured throughputs (docs/benchmarks.md).

export interface UslParams {
  lambda: number;
  sigma: number;
  kappa: number;
}

export interface ScalingPoint {
  threads: number;
  throughput: number;
}

export interface UslFit extends UslParams {
  /**
   * "full": λ, σ, κ from ≥3 thread counts. With 2 thread counts only two parameters can be fitted:
   * "sigma-only" fixes κ = 0; "kappa-only" fixes σ = 1 when the second point is below the first
   * (retrograde scaling, which σ ≤ 1 alone cannot describe).
   */
  kind: "full" | "sigma-only" | "kappa-only";
  /** Root-mean-square residual of the fit, in throughput units. */
  rmse: number;
  /** Human-readable caveats (constraints that bound, too few points). */
  notes: string[];
}

export function uslThroughput(p: UslParams, threads: number): number {
  return (p.lambda * threads) / (1 + p.sigma * (threads - 1) + p.kappa * threads * (threads - 1));
}

/**
 * Thread count of peak throughput, √((1−σ)/κ), at least 1 (with σ = 1 more threads never help); Infinity
 * when κ = 0 (throughput only saturates, at λ/σ).
 */
export function uslPeakThreads(p: UslParams): number {
  return p.kappa > 0 ? Math.max(1, Math.sqrt(Math.max(0, 1 - p.sigma) / p.kappa)) : Infinity;
}

/**
 * Least-squares USL fit with σ ∈ [0, 1] and κ ≥ 0. Needs at least two distinct thread counts; with exactly
 * two, three parameters cannot be identified, so one is fixed (see UslFit.kind) and the result says so.
 * Returns null when the points cannot support a fit (fewer than two thread counts, non-positive values).
 */
export function fitUsl(points: readonly ScalingPoint[]): UslFit | null {
  const pts = points.filter((p) => Number.isFinite(p.throughput) && p.throughput > 0 && p.threads >= 1);
  const distinct = new Set(pts.map((p) => p.threads)).size;
  if (distinct < 2) return null;
  const notes: string[] = [];
  let kind: UslFit["kind"] = distinct >= 3 ? "full" : "sigma-only";
  let free: Free = kind === "full" ? { sigma: true, kappa: true } : { sigma: true, kappa: false };

  // Linearised start: N/X = a + b(N−1) + cN(N−1) with a = 1/λ, b = σ/λ, c = κ/λ.
  const start = linearStart(pts, free.kappa);
  let best = bestOf(pts, start, free);
  if (kind === "sigma-only" && best.sigma >= 1) {
    // Throughput fell with more threads: only the coherency term can bend the curve down.
    kind = "kappa-only";
    free = { sigma: false, kappa: true };
    best = bestOf(pts, { lambda: start.lambda, sigma: 1, kappa: 0 }, free);
  }

  if (kind === "sigma-only") notes.push("only 2 thread counts measured: κ fixed at 0, λ and σ fitted");
  if (kind === "kappa-only") notes.push("only 2 thread counts measured and throughput fell: σ fixed at 1, λ and κ fitted");
  if (free.sigma && best.sigma === 0) notes.push("σ at its bound 0 (measured scaling is linear or better)");
  if (free.sigma && best.sigma === 1) notes.push("σ at its bound 1");
  if (kind === "full" && best.kappa === 0) notes.push("κ at its bound 0 (no retrograde scaling seen)");
  return { ...best, kind, rmse: Math.sqrt(sse(pts, best) / pts.length), notes };
}

interface Free {
  sigma: boolean;
  kappa: boolean;
}

/** LM from the given start and from "perfect scaling" (guards against a poor start on noisy data). */
function bestOf(pts: readonly ScalingPoint[], start: UslParams, free: Free): UslParams {
  const a = levenbergMarquardt(pts, start, free);
  const b = levenbergMarquardt(pts, { lambda: start.lambda, sigma: free.sigma ? 0 : start.sigma, kappa: free.kappa ? 0 : start.kappa }, free);
  return sse(pts, b) < sse(pts, a) ? b : a;
}

function sse(pts: readonly ScalingPoint[], p: UslParams): number {
  let s = 0;
  for (const { threads, throughput } of pts) s += (uslThroughput(p, threads) - throughput) ** 2;
  return s;
}

function linearStart(pts: readonly ScalingPoint[], withKappa: boolean): UslParams {
  // (σ from the linear fit is clamped into [0, 1] below; LM refines it.)
  const rows = pts.map(({ threads: n }) => (withKappa ? [1, n - 1, n * (n - 1)] : [1, n - 1]));
  const ys = pts.map(({ threads, throughput }) => threads / throughput);
  const coef = leastSquares(rows, ys);
  const a = coef && coef[0] > 0 ? coef[0] : ys[0];
  const lambda = 1 / a;
  return {
    lambda,
    sigma: Math.min(1, Math.max(0, (coef?.[1] ?? 0) * lambda)),
    kappa: withKappa ? Math.max(0, (coef?.[2] ?? 0) * lambda) : 0,
  };
}

/** Levenberg–Marquardt on the throughput residuals over λ and the free ones of σ ∈ [0, 1], κ ≥ 0. */
function levenbergMarquardt(pts: readonly ScalingPoint[], start: UslParams, free: Free): UslParams {
  let p = { ...start };
  let cost = sse(pts, p);
  let mu = 1e-3;
  const size = 1 + Number(free.sigma) + Number(free.kappa);
  for (let iter = 0; iter < 500; iter++) {
    const jtj = zeros(size, size);
    const jtr = new Array<number>(size).fill(0);
    for (const { threads: n, throughput } of pts) {
      const d = 1 + p.sigma * (n - 1) + p.kappa * n * (n - 1);
      const r = (p.lambda * n) / d - throughput;
      const grad = [n / d];
      if (free.sigma) grad.push((-p.lambda * n * (n - 1)) / (d * d));
      if (free.kappa) grad.push((-p.lambda * n * n * (n - 1)) / (d * d));
      for (let i = 0; i < grad.length; i++) {
        jtr[i] += grad[i] * r;
        for (let j = 0; j < grad.length; j++) jtj[i][j] += grad[i] * grad[j];
      }
    }
    let improved = false;
    while (mu < 1e12) {
      const damped = jtj.map((row, i) => row.map((v, j) => (i === j ? v + mu * Math.max(v, 1e-30) : v)));
      const step = solve(damped, jtr.map((v) => -v));
      if (!step) {
        mu *= 10;
        continue;
      }
      let i = 1;
      const next: UslParams = {
        lambda: Math.max(p.lambda + step[0], Number.MIN_VALUE),
        sigma: free.sigma ? Math.min(1, Math.max(0, p.sigma + step[i++])) : p.sigma,
        kappa: free.kappa ? Math.max(0, p.kappa + step[i++]) : p.kappa,
      };
      const nextCost = sse(pts, next);
      if (nextCost < cost) {
        const converged = cost - nextCost <= 1e-15 * Math.max(cost, 1e-300);
        p = next;
        cost = nextCost;
        mu = Math.max(mu / 10, 1e-12);
        improved = !converged;
        break;
      }
      mu *= 10;
    }
    if (!improved) break;
  }
  return p;
}

function zeros(r: number, c: number): number[][] {
  return Array.from({ length: r }, () => new Array<number>(c).fill(0));
}

/** Ordinary least squares via the normal equations (tiny systems only). */
function leastSquares(rows: number[][], ys: number[]): number[] | null {
  const k = rows[0].length;
  const ata = zeros(k, k);
  const aty = new Array<number>(k).fill(0);
  rows.forEach((row, r) => {
    for (let i = 0; i < k; i++) {
      aty[i] += row[i] * ys[r];
      for (let j = 0; j < k; j++) ata[i][j] += row[i] * row[j];
    }
  });
  return solve(ata, aty);
}

/** Gaussian elimination with partial pivoting; null when singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (!(Math.abs(m[pivot][col]) > 1e-300)) return null;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / m[col][col];
      for (let c = col; c <= n; c++) m[r][c] -= f * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let c = r + 1; c < n; c++) s -= m[r][c] * x[c];
    x[r] = s / m[r][r];
  }
  return x.every(Number.isFinite) ? x : null;
}
