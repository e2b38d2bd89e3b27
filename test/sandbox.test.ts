// The sandbox against NeMo-Skills' output contract and its limits, on a real pool (isolated child
// process, Pyodide workers). One Sandbox for the file; the slow cases (timeouts) use a short limit.
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The pool process and its workers run compiled code: use dist/ (built by the global setup).
import { Sandbox } from "../dist/sandbox/index.js";
import { repoRoot } from "./helpers/cli.js";
import { ensurePythonPackages } from "./helpers/sandbox-setup.js";

let sb: Sandbox;
const warnings: string[] = [];

beforeAll(async () => {
  ensurePythonPackages();
  sb = await Sandbox.start({ workers: 2, timeoutMs: 3000, maxOutputChars: 1000, maxCallsPerSession: 5, onWarning: (m) => warnings.push(m) });
}, 600_000);

afterAll(async () => {
  await sb?.close();
});

describe("output as NeMo-Skills' stateful sandbox hands it to the model", () => {
  it("echoes the last bare expression and keeps state within a session", async () => {
    expect(await sb.run("total_sum = 0\nfor b in range(10, 50):\n    if (9*b+7) % (b+7) == 0:\n        total_sum += b\ntotal_sum", { session: "a" })).toEqual({
      status: "completed",
      stdout: "70\n",
      stderr: "",
      output: "70\n",
    });
    expect((await sb.run("total_sum * 2", { session: "a" })).output).toBe("140\n");
    // NeMo-Skills runs cells without storing history, where IPython's trailing-`;` check never fires.
    expect((await sb.run("print('x'); 5;", { session: "a" })).output).toBe("x\n5\n");
    expect((await sb.run("  indented = 1\n  indented + 1", { session: "a" })).output).toBe("2\n");
    expect((await sb.run("y = 3", { session: "a" })).output).toBe("");
  });

  it("prints sympy results as the trace corpus shows them", async () => {
    const r = await sb.run("import sympy as sp\nx = sp.symbols('x')\nsp.solve(x**2 - 5*x + 6, x)", { session: "sym" });
    expect(r.output).toBe("[2, 3]\n");
    const r2 = await sb.run("import sympy as sp\nn = 2**4 * 3**2\nsp.divisor_count(n), n", { session: "sym" });
    expect(r2.output).toBe("(15, 144)\n");
    expect((await sb.run("sp.factor(x**2 - 1)", { session: "sym" })).output).toBe("(x - 1)*(x + 1)\n");
  });

  it("prints tracebacks without the cell's File lines, on stdout, with status error", async () => {
    const r = await sb.run("print(roots)", { session: "err" });
    expect(r).toEqual({
      status: "error",
      stdout: "Traceback (most recent call last):\n    print(roots)\nNameError: name 'roots' is not defined\n",
      stderr: "",
      output: "Traceback (most recent call last):\n    print(roots)\nNameError: name 'roots' is not defined\n",
    });
    const nested = await sb.run("def f(a):\n    return 1 / a\nf(0)", { session: "err" });
    expect(nested.stdout).toBe("Traceback (most recent call last):\n    f(0)\n    return 1 / a\nZeroDivisionError: division by zero\n");
    const syntax = await sb.run("print(1", { session: "err" });
    expect(syntax.status).toBe("error");
    expect(syntax.stdout).toBe("    print(1\n         ^\nSyntaxError: '(' was never closed\n");
  });

  it("lays out long containers like IPython's pretty printer and keeps stderr apart", async () => {
    const r = await sb.run("list(range(30))");
    expect(r.stdout).toBe("[" + Array.from({ length: 30 }, (_, i) => String(i)).join(",\n ") + "]\n");
    expect((await sb.run("{3, 1, 2}")).output).toBe("{1, 2, 3}\n");
    const err = await sb.run("import sys\nprint('out')\nprint('warn', file=sys.stderr)");
    expect(err).toEqual({ status: "completed", stdout: "out\n", stderr: "warn\n", output: "out\nwarn\n" });
  });

  it("cuts each stream at maxOutputChars with the literal <output cut>", async () => {
    const r = await sb.run("print('1'*1500)");
    expect(r.stdout).toBe("1".repeat(1000) + "<output cut>");
    const both = await sb.run("import sys\nprint('a'*1200)\nprint('b'*1100, file=sys.stderr)");
    expect(both.output).toBe("a".repeat(1000) + "<output cut>" + "b".repeat(1000) + "<output cut>");
  });
});

describe("sessions", () => {
  it("keeps sessions apart and runs a session's calls in order", async () => {
    await sb.run("v = 'one'", { session: "s1" });
    await sb.run("v = 'two'", { session: "s2" });
    const calls = Array.from({ length: 4 }, (_, i) => sb.run(`v = v + '${i}'\nv`, { session: "s1" }));
    const outs = (await Promise.all(calls)).map((r) => r.output);
    expect(outs).toEqual(["'one0'\n", "'one01'\n", "'one012'\n", "'one0123'\n"]);
    expect((await sb.run("v", { session: "s2" })).output).toBe("'two'\n");
    expect((await sb.run("v")).status).toBe("error"); // a call without a session starts from nothing
  });

  it("forgets a closed session", async () => {
    await sb.run("w = 1", { session: "closing" });
    sb.closeSession("closing");
    expect((await sb.run("w", { session: "closing" })).stdout).toContain("NameError");
  });

  it("refuses calls past maxCallsPerSession with status error, without throwing", async () => {
    for (let i = 0; i < 5; i++) expect((await sb.run("1", { session: "capped" })).status).toBe("completed");
    const r = await sb.run("1", { session: "capped" });
    expect(r.status).toBe("error");
    expect(r.output).toMatch(/call limit/);
  });
});

describe("limits", () => {
  it("interrupts a busy loop at the time limit and keeps serving", async () => {
    const r = await sb.run("while True:\n    pass", { session: "t" });
    expect(r.status).toBe("timeout");
    expect(r.stdout).toBe("Traceback (most recent call last):\n    pass\nKeyboardInterrupt\n");
    expect((await sb.run("1 + 1", { session: "t" })).output).toBe("2\n");
  });

  it("kills a worker whose code ignores the interrupt, and replaces it", async () => {
    const swallow = await sb.run("while True:\n    try:\n        while True: pass\n    except KeyboardInterrupt:\n        pass", { session: "k" });
    expect(swallow).toEqual({ status: "timeout", stdout: "", stderr: "Execution timed out after 3.0 seconds\n", output: "Execution timed out after 3.0 seconds\n" });
    const cpu = await sb.run("sum(range(10**11))", { session: "k2" });
    expect(cpu.status).toBe("timeout");
    const after = await sb.run("40 + 2", { session: "k" });
    expect(after.output).toBe("42\n");
  });

  it("re-posts the calls queued behind a killed one to the new worker, flagging the lost namespace", async () => {
    await sb.run("state = 1", { session: "q" });
    const [stuck, queued] = await Promise.all([
      sb.run("while True:\n    try:\n        while True: pass\n    except KeyboardInterrupt:\n        pass", { session: "q" }),
      sb.run("'queued ran'", { session: "q" }),
    ]);
    expect(stuck.status).toBe("timeout");
    expect(queued).toEqual({ status: "completed", stdout: "'queued ran'\n", stderr: "", output: "'queued ran'\n", sessionReset: true });
    expect((await sb.run("state", { session: "q" })).stdout).toContain("NameError");
  });

  it("takes a time limit per call: a short one interrupts and kills while the pool's default is longer", async () => {
    // The pool's default is 3 s; this call's own 0.5 s applies to the interrupt ...
    const interrupted = await sb.run("import time\ntime.sleep(60)", { session: "per-call", timeoutMs: 500 });
    expect(interrupted.status).toBe("timeout");
    expect(interrupted.stdout).toContain("KeyboardInterrupt");
    expect((await sb.run("'still here'", { session: "per-call" })).output).toBe("'still here'\n");
    // ... and to the kill behind it, whose message names the call's own limit.
    const killed = await sb.run("while True:\n    try:\n        while True: pass\n    except KeyboardInterrupt:\n        pass", { timeoutMs: 500 });
    expect(killed).toEqual({ status: "timeout", stdout: "", stderr: "Execution timed out after 0.5 seconds\n", output: "Execution timed out after 0.5 seconds\n" });
  });

  it("lets a call's own limit run past the pool's default, up to maxTimeoutMs", async () => {
    // 4 s of sleep under the pool's 3 s default would time out; with its own 20 s the call completes.
    const r = await sb.run("import time\ntime.sleep(4)\n'slept'", { timeoutMs: 20_000 });
    expect(r).toEqual({ status: "completed", stdout: "'slept'\n", stderr: "", output: "'slept'\n" });
    await expect(sb.run("1", { timeoutMs: 0 })).rejects.toThrow(RangeError);
    await expect(sb.run("1", { timeoutMs: Number.NaN })).rejects.toThrow(RangeError);
  });

  it("bounds time.sleep by the time limit", async () => {
    const r = await sb.run("import time\ntime.sleep(60)");
    expect(r.status).toBe("timeout");
    expect((await sb.run("'awake'")).output).toBe("'awake'\n");
  });

  it("refuses a cell over the code size limit with status error", async () => {
    const r = await sb.run("x = 1\n".repeat(1 << 20));
    expect(r.status).toBe("error");
    expect(r.output).toMatch(/over the sandbox's limit/);
  });

  it("turns huge allocations into MemoryError and the worker lives", async () => {
    await sb.run("kept = 'still here'", { session: "m" });
    const list = await sb.run("a = [0]*10**9", { session: "m" });
    expect(list.stdout).toMatch(/MemoryError/);
    // Past the cap (2 GiB by default, the heap already holds ~55 MB): MemoryError.
    const bytes = await sb.run("b = bytearray(2_100_000_000)", { session: "m" });
    expect(bytes.stdout).toMatch(/MemoryError/);
    // Past wasm32's index size: CPython's own OverflowError; the worker lives just the same.
    const huge = await sb.run("b = bytearray(3*10**9)", { session: "m" });
    expect(huge.stdout).toMatch(/OverflowError|MemoryError/);
    expect((await sb.run("kept", { session: "m" })).output).toBe("'still here'\n");
  });
});

describe("start-up and packages", () => {
  it("starts workers from the snapshot and reseeds random in each", async () => {
    expect(sb.info().workerStarts.every((w) => w.from === "snapshot")).toBe(true);
    const a = await sb.run("import random\nrandom.random()", { session: "r1" });
    const b = await sb.run("import random\nrandom.random()", { session: "r2" });
    expect(a.output).not.toBe(b.output);
  });

  it("fails start-up with a clear error for a package it cannot find", async () => {
    await expect(Sandbox.start({ packages: ["no_such_pkg"] })).rejects.toThrow(/no_such_pkg.*not found/);
    // Listed by the npm package's lock file, but the npm package ships no wheels.
    await expect(Sandbox.start({ packages: ["numpy"] })).rejects.toThrow(/numpy.*\.whl is missing/);
  });

  it("falls back to a cold start when the snapshot does not match the Pyodide build", async () => {
    const snapshot = sb.info().snapshotPath!;
    const cacheDir = join(repoRoot, "test-artifacts", "sandbox-foreign-snapshot");
    rmSync(cacheDir, { recursive: true, force: true });
    cpSync(dirname(dirname(snapshot)), cacheDir, { recursive: true });
    const copy = join(cacheDir, "snapshots", basename(snapshot));
    const bytes = readFileSync(copy);
    bytes.fill(0x41, 16, 48); // the build id Pyodide checks on restore
    writeFileSync(copy, bytes);
    const other = await Sandbox.start({ workers: 1, cacheDir, onWarning: () => {} });
    try {
      expect(other.info().workerStarts[0].from).toMatch(/^cold \(snapshot rejected: .*build id/i);
      expect((await other.run("import sympy\nsympy.Integer(2)**10")).output).toBe("1024\n");
    } finally {
      await other.close();
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe("recovery", () => {
  it("restarts a pool process that was killed; calls in flight return an error, the next ones run", async () => {
    const pid = sb.info().poolPid!;
    const inflight = sb.run("import time\ntime.sleep(2)\n'slept'", { session: "dies" });
    await new Promise((r) => setTimeout(r, 300));
    process.kill(pid, "SIGKILL");
    const r = await inflight;
    expect(r.status).toBe("error");
    expect(r.output).toMatch(/pool process exited/);
    expect((await sb.run("1 + 1", { session: "dies" })).output).toBe("2\n");
    expect(sb.info().poolPid).not.toBe(pid);
  }, 180_000);

  it("replaces an interpreter whose heap grew past recycleMb; its sessions start afresh", async () => {
    const small = await Sandbox.start({ workers: 1, memoryMb: 256, recycleMb: 120, onWarning: () => {} });
    try {
      await small.run("kept = 1", { session: "grow" });
      expect((await small.run("b = bytearray(100 * 2**20)\nlen(b)", { session: "grow" })).output).toBe("104857600\n");
      const after = await small.run("kept", { session: "grow" });
      expect(after.sessionReset).toBe(true);
      expect(after.stdout).toContain("NameError");
      expect((await small.run("bytearray(300 * 2**20)", { session: "grow" })).stdout).toMatch(/MemoryError/);
    } finally {
      await small.close();
    }
  }, 180_000);
});

