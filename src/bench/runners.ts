// Throughput runners for `veritrace bench`: verify (verifyBatch on N worker threads), grade (the grading
// pipeline with N worker threads) and sandbox (a pool of N Pyodide workers running trivial cells). Each
// measures a steady state for a fixed time after start-up and warm-up, and reports operations per second.
// A component whose code is not available reports why instead of failing the whole benchmark.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { nemotronRows } from "./mix.js";

export type Component = "verify" | "grade" | "sandbox";
export const COMPONENTS: readonly Component[] = ["verify", "grade", "sandbox"];

export const UNITS: Record<Component, string> = { verify: "pairs/s", grade: "traces/s", sandbox: "cells/s" };

export type Measurement =
  | {
      component: Component;
      threads: number;
      available: true;
      operations: number;
      seconds: number;
      throughput: number;
      /**
       * CPU seconds this process used per wall second while measuring: how many cores the run actually
       * got. Below the thread count on a busy machine, which then explains a low efficiency. null when the
       * work runs in another process (the sandbox's pool).
       */
      coresUsed: number | null;
    }
  | { component: Component; threads: number; available: false; reason: string };

export interface RunOptions {
  threads: number;
  /** Measured time (start-up and warm-up excluded where the component allows). */
  seconds: number;
  seed?: number;
}

function unavailable(component: Component, threads: number, err: unknown): Measurement {
  const reason = err instanceof Error ? err.message.split("\n")[0] : String(err);
  return { component, threads, available: false, reason };
}

/** A compiled file of this folder (dist/bench/...), also when this module runs from src/ under tsx/vitest. */
function compiled(name: string): string {
  const here = import.meta.url;
  const url = here.endsWith(".ts") ? new URL(`../../dist/bench/${name}`, here) : new URL(`./${name}`, here);
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new Error(`${path} is missing (run npm run build:ts)`);
  return path;
}

// --- verify ---------------------------------------------------------------------------------------------

/** N threads, each verifying batches of 256 pairs of the seeded mix until the deadline. */
export async function benchVerify(opts: RunOptions): Promise<Measurement> {
  const { threads, seconds, seed = 1 } = opts;
  let file: string;
  try {
    file = compiled("verify-worker.js");
  } catch (err) {
    return unavailable("verify", threads, err);
  }
  const workers = Array.from({ length: threads }, (_, i) => new Worker(file, { workerData: { seed: seed + i, batchSize: 256, batches: 8 } }));
  try {
    const first = await Promise.all(workers.map((w) => nextMessage(w)));
    const missing = first.find((m) => m.type === "unavailable");
    if (missing) return { component: "verify", threads, available: false, reason: String(missing.reason) };
    const cpu = process.cpuUsage();
    const start = Date.now();
    const deadline = start + seconds * 1000;
    const done = Promise.all(workers.map((w) => nextMessage(w)));
    for (const w of workers) w.postMessage({ deadline });
    const results = await done;
    const elapsed = (Date.now() - start) / 1000;
    const operations = results.reduce((a, m) => a + Number(m.pairs), 0);
    return { component: "verify", threads, available: true, operations, seconds: elapsed, throughput: operations / elapsed, coresUsed: coresSince(cpu, elapsed) };
  } catch (err) {
    return unavailable("verify", threads, err);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** CPU seconds of this process (all its threads) since `start`, per wall second. */
function coresSince(start: NodeJS.CpuUsage, wallSeconds: number): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6 / wallSeconds;
}

function nextMessage(w: Worker): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Record<string, unknown>) => {
      w.off("error", onError);
      w.off("exit", onExit);
      resolve(m);
    };
    const onError = (err: Error) => {
      w.off("message", onMessage);
      w.off("exit", onExit);
      reject(err);
    };
    const onExit = (code: number) => {
      w.off("message", onMessage);
      w.off("error", onError);
      reject(new Error(`benchmark worker exited with code ${code}`));
    };
    w.once("message", onMessage);
    w.once("error", onError);
    w.once("exit", onExit);
  });
}

// --- grade ----------------------------------------------------------------------------------------------

/**
 * The grading pipeline (parse ▸ extract ▸ verify ▸ verdict rows) with N worker threads over seeded
 * Nemotron-Math-v2 rows, fed until the deadline. The pool's start-up is inside the measured time; a
 * warm-up run first keeps module loading and JIT out of it.
 */
export async function benchGrade(opts: RunOptions): Promise<Measurement> {
  const { threads, seconds, seed = 1 } = opts;
  let mod: typeof import("../grade/index.js");
  try {
    mod = await import("../grade/index.js");
  } catch (err) {
    return unavailable("grade", threads, err);
  }
  const rows = nemotronRows(4096, seed);
  try {
    for await (const _ of mod.grade(rows.slice(0, 512), { threads, file: "bench.jsonl" })) void _;
    let fed = 0;
    let deadline = 0;
    async function* feed(): AsyncGenerator<string> {
      while (Date.now() < deadline) {
        // Yield in chunks of a batch so that the clock is read rarely.
        for (let i = 0; i < 256; i++) yield rows[fed++ % rows.length];
      }
    }
    const cpu = process.cpuUsage();
    const start = Date.now();
    deadline = start + seconds * 1000;
    let operations = 0;
    for await (const _ of mod.grade(feed(), { threads, file: "bench.jsonl" })) operations++;
    const elapsed = (Date.now() - start) / 1000;
    return { component: "grade", threads, available: true, operations, seconds: elapsed, throughput: operations / elapsed, coresUsed: coresSince(cpu, elapsed) };
  } catch (err) {
    return unavailable("grade", threads, err);
  }
}

// --- sandbox --------------------------------------------------------------------------------------------

/** A pool of N interpreters with 2N trivial cells in flight (each a fresh namespace), after start-up. */
export async function benchSandbox(opts: RunOptions): Promise<Measurement> {
  const { threads, seconds } = opts;
  let sandbox: import("../sandbox/index.js").Sandbox;
  try {
    const { Sandbox } = await import("../sandbox/index.js");
    sandbox = await Sandbox.start({ workers: threads });
  } catch (err) {
    return unavailable("sandbox", threads, err);
  }
  try {
    const check = await sandbox.run("6 * 7");
    if (check.status !== "completed" || check.output.trim() !== "42") {
      throw new Error(`sandbox answered ${JSON.stringify(check)} to 6 * 7`);
    }
    await Promise.all(Array.from({ length: 2 * threads }, (_, i) => sandbox.run(`x = ${i}\nx * 2`)));
    const start = Date.now();
    const deadline = start + seconds * 1000;
    let operations = 0;
    const lane = async (lane: number) => {
      for (let i = 0; Date.now() < deadline; i++) {
        const r = await sandbox.run(`x = ${lane * 1_000_000 + i}\nx * 2`);
        if (r.status !== "completed") throw new Error(`sandbox cell ended with status ${r.status}: ${r.output.slice(0, 200)}`);
        operations++;
      }
    };
    await Promise.all(Array.from({ length: 2 * threads }, (_, i) => lane(i)));
    const elapsed = (Date.now() - start) / 1000;
    return { component: "sandbox", threads, available: true, operations, seconds: elapsed, throughput: operations / elapsed, coresUsed: null };
  } catch (err) {
    return unavailable("sandbox", threads, err);
  } finally {
    await sandbox.close();
  }
}

export const RUNNERS: Record<Component, (opts: RunOptions) => Promise<Measurement>> = {
  verify: benchVerify,
  grade: benchGrade,
  sandbox: benchSandbox,
};
