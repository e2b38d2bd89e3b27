// Throughput benchmarks over a sweep of thread counts, with a scaling model fitted to the results.
import { cpus, availableParallelism } from "node:os";
import { COMPONENTS, RUNNERS, UNITS, type Component, type Measurement } from "./runners.js";
import { fitUsl, uslPeakThreads, uslThroughput, type UslFit } from "./usl.js";

export { fitUsl, uslThroughput, uslPeakThreads, type UslFit, type UslParams, type ScalingPoint } from "./usl.js";
export { answerPairs, nemotronRows, seededRandom, type AnswerPair } from "./mix.js";
export { COMPONENTS, UNITS, type Component, type Measurement } from "./runners.js";

/** Thread counts at which the model's predictions are printed. */
export const PREDICT_AT = [16, 64];

/** 1, 2, 4, ... up to `cores`, and `cores` itself when it is not a power of two. */
export function defaultThreadCounts(cores = availableParallelism()): number[] {
  const out: number[] = [];
  for (let n = 1; n <= cores; n *= 2) out.push(n);
  if (out[out.length - 1] !== cores) out.push(cores);
  return out;
}

export interface ScaledMeasurement extends Extract<Measurement, { available: true }> {
  unit: string;
  /** Throughput of every repetition; the reported one is the best (least disturbed by other load). */
  runs: number[];
  /** X(N) / (N/N₀ · X(N₀)) against the smallest measured thread count N₀ (normally 1). */
  efficiency: number;
}

export interface ComponentModel {
  component: Component;
  unit: string;
  /** null: fewer than two thread counts were measured. */
  fit: UslFit | null;
  peakThreads: number | null;
  predictions: Array<{ threads: number; throughput: number }>;
}

export interface BenchReport {
  machine: { availableParallelism: number; cpuModel: string; node: string; platform: string };
  seconds: number;
  repeat: number;
  threads: number[];
  components: Component[];
  /** Efficiency is relative to this thread count (the smallest measured). */
  baselineThreads: number;
  results: Array<ScaledMeasurement | Extract<Measurement, { available: false }>>;
  models: ComponentModel[];
  /** Points where the run got clearly fewer cores than it had threads (a busy machine), and what follows. */
  warnings: string[];
}

/** Below this share of min(threads, cores) in CPU use, a point was starved by other load. */
const STARVED = 0.75;

export interface BenchOptions {
  threads?: number[];
  seconds?: number;
  /** Measurements per point; the best is kept (default 1). */
  repeat?: number;
  components?: readonly Component[];
  seed?: number;
  /** Called before each measurement (the CLI shows it on a terminal). */
  onStep?: (component: Component, threads: number) => void;
}

export async function runBench(options: BenchOptions = {}): Promise<BenchReport> {
  const threads = [...(options.threads ?? defaultThreadCounts())].sort((a, b) => a - b);
  const seconds = options.seconds ?? 3;
  const repeat = options.repeat ?? 1;
  const components = options.components ?? COMPONENTS;
  const base = threads[0];
  const results: BenchReport["results"] = [];
  const models: ComponentModel[] = [];
  for (const component of components) {
    const measured: ScaledMeasurement[] = [];
    for (const n of threads) {
      let m: Measurement | null = null;
      const runs: number[] = [];
      for (let r = 0; r < repeat; r++) {
        options.onStep?.(component, n);
        const one = await RUNNERS[component]({ threads: n, seconds, seed: options.seed });
        if (!one.available) {
          m = one;
          break;
        }
        runs.push(one.throughput);
        if (!m || (m.available && one.throughput > m.throughput)) m = one;
      }
      if (!m) throw new Error("repeat must be at least 1");
      if (!m.available) {
        results.push(m);
        // A component that cannot start at one thread count will not at the next: say it once per count
        // but do not spend the time.
        if (n === base) {
          for (const rest of threads.slice(1)) results.push({ ...m, threads: rest });
          break;
        }
        continue;
      }
      const ref = measured[0] ?? { threads: n, throughput: m.throughput };
      const scaled: ScaledMeasurement = { ...m, unit: UNITS[component], runs, efficiency: m.throughput / ((n / ref.threads) * ref.throughput) };
      measured.push(scaled);
      results.push(scaled);
    }
    models.push(modelOf(component, measured));
  }
  const cores = availableParallelism();
  const warnings: string[] = [];
  for (const m of results) {
    if (!m.available || m.coresUsed === null) continue;
    const expected = Math.min(m.threads, cores);
    if (m.coresUsed < STARVED * expected) {
      warnings.push(
        `${m.component} at ${m.threads} thread${m.threads > 1 ? "s" : ""} got ${m.coresUsed.toFixed(2)} of ${expected} core${expected > 1 ? "s" : ""}: ` +
          "the machine was busy, so this point, its efficiency and the model reflect the other load, not veritrace",
      );
    }
  }
  return {
    machine: { availableParallelism: availableParallelism(), cpuModel: cpus()[0]?.model ?? "unknown", node: process.version, platform: `${process.platform}-${process.arch}` },
    seconds,
    repeat,
    threads,
    components: [...components],
    baselineThreads: base,
    results,
    models,
    warnings,
  };
}

function modelOf(component: Component, measured: ScaledMeasurement[]): ComponentModel {
  const fit = fitUsl(measured.map((m) => ({ threads: m.threads, throughput: m.throughput })));
  if (!fit) return { component, unit: UNITS[component], fit: null, peakThreads: null, predictions: [] };
  const peak = uslPeakThreads(fit);
  return {
    component,
    unit: UNITS[component],
    fit,
    peakThreads: Number.isFinite(peak) ? peak : null,
    predictions: PREDICT_AT.map((n) => ({ threads: n, throughput: uslThroughput(fit, n) })),
  };
}
