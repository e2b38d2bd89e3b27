// `veritrace serve` as a NeMo-Skills generation job sees it: the real CLI in a child process (one sandbox
// worker), driven by a client that calls it as NeMo-Skills' LocalSandbox does.
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cutOutput } from "../src/serve/execute.js";
import { verifyBatch } from "../src/verify/index.js";
import { runCli } from "./helpers/cli.js";
import { NemoSandboxClient } from "./helpers/nemo-client.js";
import { startServe, type ServeProcess } from "./helpers/serve-process.js";

let server: ServeProcess;
let nemo: NemoSandboxClient;

beforeAll(async () => {
  // A default limit longer than the client's HTTP timeout: the timeout tests pass only if each request's own
  // `timeout` is what the sandbox applies.
  server = await startServe(["--workers", "1", "--instance-id", "serve-test", "--timeout-ms", "30000"]);
  // The server's own timeout answer, not the client's: give the HTTP call a few seconds past the execution timeout.
  nemo = new NemoSandboxClient(server.url, 15);
});

afterAll(async () => {
  const exit = await server?.stop();
  expect(exit?.code).toBe(0);
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(server.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text, headers: response.headers };
}

/** Each call adds one to a counter that lives in the session, and prints the session's own tag with it. */
const counterCell = (tag: string) =>
  `try:\n    _n += 1\nexcept NameError:\n    _tag, _n = ${JSON.stringify(tag)}, 1\nprint(_tag, _n)`;

describe("health and instance id", () => {
  it("GET /health says healthy and names the instance, as the X-Veritrace-Instance header does", async () => {
    const response = await fetch(server.url + "/health");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-veritrace-instance")).toBe("serve-test");
    const body = await response.json();
    expect(body).toMatchObject({ status: "healthy", worker: "serve-test", instance: "serve-test" });
  });

  it("binds loopback by default", () => {
    expect(new URL(server.url).hostname).toBe("127.0.0.1");
  });
});

describe("/execute with a NeMo-Skills client", () => {
  it("keeps a session's state across 50 calls", async () => {
    const session = "fifty-calls";
    for (let i = 1; i <= 50; i++) {
      const { output } = await nemo.executeCode(counterCell(session), { sessionId: session });
      expect(output).toMatchObject({ process_status: "completed", stdout: `${session} ${i}\n`, stderr: "" });
      expect(output.new_session_created).toBe(i === 1);
    }
    expect(await nemo.deleteSession(session)).toBe(200);
  });

  it("echoes the last bare expression and answers in NeMo-Skills' shape", async () => {
    const { output, sessionId } = await nemo.executeCode("x = 21\nx * 2");
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/); // the client made a session for the ipython call
    expect(output).toEqual({ process_status: "completed", stdout: "42\n", stderr: "", new_session_created: true });
    await nemo.deleteSession(sessionId!);
  });

  it("a timeout in the middle of a session: the call times out, later calls in the session still work", async () => {
    const session = "timeout-midway";
    expect((await nemo.executeCode("x = 41", { sessionId: session })).output.process_status).toBe("completed");
    const stuck = await nemo.executeCode("while True:\n    pass", { sessionId: session, timeout: 3 });
    expect(stuck.output.process_status).toBe("timeout");
    expect(stuck.output.stderr).toContain("Execution timed out after 3.0 seconds");
    // `while True` is interrupted, not killed: the state stays, as when NeMo-Skills' SIGINT stops the cell.
    const after = await nemo.executeCode("x + 1", { sessionId: session });
    expect(after.output).toMatchObject({ process_status: "completed", stdout: "42\n", new_session_created: false });
    for (let i = 0; i < 3; i++) {
      expect((await nemo.executeCode("x += 1\nx", { sessionId: session })).output.stdout).toBe(`${42 + i}\n`);
    }
    await nemo.deleteSession(session);
  });

  it("honours each request's own timeout: timeout 1 on a sleeping cell and on a loop answers the timeout message", async () => {
    const session = "own-timeout";
    expect((await nemo.executeCode("z = 5", { sessionId: session })).output.process_status).toBe("completed");
    for (const code of ["import time\ntime.sleep(60)", "while True:\n    pass"]) {
      const stuck = await nemo.executeCode(code, { sessionId: session, timeout: 1 });
      expect(stuck.output.process_status).toBe("timeout");
      expect(stuck.output.stderr).toContain("Execution timed out after 1.0 seconds");
    }
    // A python-language call without a session gets its own limit too.
    const script = await post("/execute", { generated_code: "while True:\n    pass", timeout: 1.5, language: "python" });
    expect(script.status).toBe(200);
    expect(script.json).toMatchObject({ process_status: "timeout", stderr: expect.stringContaining("Execution timed out after 1.5 seconds") });
    expect((await nemo.executeCode("z", { sessionId: session })).output).toMatchObject({ process_status: "completed", stdout: "5\n" });
    await nemo.deleteSession(session);
  });

  it("a timeout the interrupt cannot stop replaces the worker: the session's next call says its state is gone", async () => {
    const session = "unstoppable";
    await nemo.executeCode("x = 41", { sessionId: session });
    // Code that swallows KeyboardInterrupt: NeMo-Skills kills and restarts the shell after its grace; so does the sandbox.
    const stubborn = "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass";
    const stuck = await nemo.executeCode(stubborn, { sessionId: session, timeout: 3 });
    expect(stuck.output.process_status).toBe("timeout");
    expect(stuck.output.stderr).toContain("Execution timed out after 3.0 seconds");
    const after = await nemo.executeCode("x", { sessionId: session });
    expect(after.output.new_session_created).toBe(true); // NeMo-Skills' client replays its history on this
    expect(after.output.stdout).toContain("NameError");
    expect((await nemo.executeCode("x = 1\nx", { sessionId: session })).output).toMatchObject({ stdout: "1\n", new_session_created: false });
    await nemo.deleteSession(session);
  });

  it("an error answers process_status error with the traceback, and the session goes on", async () => {
    const session = "errors";
    await nemo.executeCode("y = 7", { sessionId: session });
    const failed = await nemo.executeCode("1 / 0", { sessionId: session });
    expect(failed.output.process_status).toBe("error");
    expect(failed.output.stdout + failed.output.stderr).toContain("ZeroDivisionError");
    expect(failed.output.stdout + failed.output.stderr).not.toContain('File "<');
    expect((await nemo.executeCode("y", { sessionId: session })).output.stdout).toBe("7\n");
    await nemo.deleteSession(session);
  });

  it("cuts each stream at max_output_characters with the literal <output cut>", async () => {
    const { output, sessionId } = await nemo.executeCode("print('1' * 1500)", { maxOutputCharacters: 1000 });
    expect(output.stdout).toBe("1".repeat(1000) + "<output cut>");
    const small = await nemo.executeCode("print('ab' * 10)", { sessionId, maxOutputCharacters: 5 });
    expect(small.output.stdout).toBe("ababa<output cut>");
    await nemo.deleteSession(sessionId!);
  });

  it("DELETE /sessions/{id} ends the session: its next call starts from an empty state", async () => {
    const session = "deleted";
    await nemo.executeCode(counterCell(session), { sessionId: session });
    await nemo.executeCode(counterCell(session), { sessionId: session });
    const listed = await (await fetch(server.url + "/sessions")).json();
    expect(listed.sessions[session]).toMatchObject({ backend: "ipython", alive: true, calls: 2 });
    expect(await nemo.deleteSession(session)).toBe(200);
    expect(await nemo.deleteSession(session)).toBe(404);
    const again = await nemo.executeCode(counterCell(session), { sessionId: session });
    expect(again.output).toMatchObject({ stdout: `${session} 1\n`, new_session_created: true });
    await nemo.deleteSession(session);
  });

  it("sessions called in parallel keep their own state", async () => {
    const sessions = ["par-a", "par-b", "par-c", "par-d"];
    const clients = sessions.map(() => new NemoSandboxClient(server.url, 15));
    await Promise.all(
      sessions.map(async (session, k) => {
        for (let i = 1; i <= 10; i++) {
          const { output } = await clients[k].executeCode(counterCell(session), { sessionId: session });
          expect(output.stdout).toBe(`${session} ${i}\n`);
        }
      }),
    );
    await Promise.all(sessions.map((s) => nemo.deleteSession(s)));
  });

  it("language python runs in a fresh state each call, as a script (no echo); ipython without a session is fresh too", async () => {
    expect((await nemo.executeCode("z = 3\nprint(z)\nz + 1", { language: "python" })).output.stdout).toBe("3\n");
    const second = await nemo.executeCode("print(z)", { language: "python" });
    expect(second.output.process_status).toBe("error");
    expect(second.output.stdout + second.output.stderr).toContain("NameError");
    const noSession = await post("/execute", { generated_code: "w = 1", timeout: 10, language: "ipython" });
    expect(noSession.json).toMatchObject({ process_status: "completed" });
    expect(noSession.json.new_session_created).toBeUndefined();
    const after = await post("/execute", { generated_code: "w", timeout: 10, language: "ipython" });
    expect(after.json.process_status).toBe("error");
  });

  it("older clients that send session_id in the body get a stateful session", async () => {
    const session = "in-body";
    await nemo.executeCode("v = 5", { sessionId: session, sessionInBody: true });
    const { output } = await nemo.executeCode("v * 2", { sessionId: session, sessionInBody: true });
    expect(output.stdout).toBe("10\n");
    await nemo.deleteSession(session);
  });
});

describe("request validation", () => {
  it("refuses a body without generated_code with a 400 that names the field and still carries process_status", async () => {
    const res = await post("/execute", { timeout: 10 }, { "X-Session-ID": "v1" });
    expect(res.status).toBe(400);
    expect(res.json.error).toContain("generated_code");
    expect(res.json.issues[0].path).toBe("generated_code");
    expect(res.json).toMatchObject({ process_status: "error", stdout: "" });
  });

  it.each([
    [{ generated_code: "1", language: "lean4" }, "language"],
    [{ generated_code: "1", timeout: -1 }, "timeout"],
    [{ generated_code: "1", timeout: "10" }, "timeout"],
    [{ generated_code: "1", max_output_characters: 1.5 }, "max_output_characters"],
    [{ generated_code: "1", traceback_verbosity: "loud" }, "traceback_verbosity"],
    [{ generated_code: "1", std_input: "5\n" }, "std_input"],
    [{ generated_code: 12 }, "generated_code"],
  ])("refuses %j (bad %s)", async (body, field) => {
    const res = await post("/execute", body);
    expect(res.status).toBe(400);
    expect(res.json.issues.map((i: { path: string }) => i.path)).toContain(field);
  });

  it("refuses malformed JSON, non-object bodies, other content types and bad session ids", async () => {
    const malformed = await post("/execute", "{not json");
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ process_status: "error" });
    expect((await post("/execute", [1, 2])).status).toBe(400);
    const text = await fetch(server.url + "/execute", { method: "POST", headers: { "content-type": "text/plain" }, body: "print(1)" });
    expect(text.status).toBe(415);
    const spaced = await post("/execute", { generated_code: "1" }, { "X-Session-ID": "a b" });
    expect(spaced.status).toBe(400);
    expect(spaced.json.error).toContain("X-Session-ID");
  });

  it("refuses bodies over the limit with 413 and keeps serving", async () => {
    // The request announces 3 MiB and sends a byte: the server answers from Content-Length, then closes
    // the connection (fastify does, since the client would send the rest anyway). Sending all 3 MiB would
    // race that close: the client's next write could fail (EPIPE) before it reads the 413.
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(server.url + "/execute", {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(3 * 1024 * 1024) },
      });
      request.on("response", (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => {
          resolve({ status: response.statusCode ?? 0, body });
          request.destroy();
        });
      });
      request.on("error", reject);
      request.write("{");
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error).toMatch(/too large/i);
    expect((await nemo.executeCode("1 + 1")).output.stdout).toBe("2\n");
  });

  it("answers 404 for unknown routes", async () => {
    const res = await fetch(server.url + "/nope");
    expect(res.status).toBe(404);
    expect((await res.json()).error).toContain("/nope");
  });
});

describe("/verify and /grade", () => {
  // The shared corpus sits beside the repository (../shared/corpus).
  const cases = readFileSync(new URL("../../shared/corpus/verdict_cases.jsonl", import.meta.url), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { gold: string; pred: string });

  it("verifies one pair", async () => {
    const right = await post("/verify", { gold: "\\frac{1}{2}", pred: "0.5" });
    expect(right.status).toBe(200);
    expect(right.json.status).toBe("correct");
    const wrong = await post("/verify", { gold: "\\frac{1}{2}", pred: "\\frac{1}{3}" });
    expect(wrong.json.status).toBe("incorrect");
    const response = await post("/verify", { gold: "16", pred: "The answer is \\boxed{016}." });
    expect(response.json).toMatchObject({ status: "correct", extraction: { pred: "boxed" } });
  });

  it("answers a batch of the verdict corpus exactly as the library does, in order", async () => {
    const pairs = cases.map(({ gold, pred }) => ({ gold: String(gold), pred: String(pred) }));
    // Without the symbolic fallback, whose time budget makes a verdict depend on the machine's load.
    const options = { fallback: false };
    const res = await post("/verify", { pairs, options });
    expect(res.status).toBe(200);
    expect(res.json.verdicts).toHaveLength(pairs.length);
    expect(res.text).toBe(JSON.stringify({ verdicts: verifyBatch(pairs, options) }));
  });

  it("refuses numbers, missing fields and empty batches with named fields", async () => {
    const number = await post("/verify", { gold: 5, pred: "5" });
    expect(number.status).toBe(400);
    expect(number.json.error).toContain("quote it");
    expect((await post("/verify", { gold: "5" })).json.issues[0].path).toBe("pred");
    expect((await post("/verify", { pairs: [] })).status).toBe(400);
    const bad = await post("/verify", { pairs: [{ gold: "1", pred: "1" }, { gold: "2" }] });
    expect(bad.status).toBe(400);
    expect(bad.json.issues[0].path).toBe("pairs.1.pred");
  });

  it("grades a batch of trace rows of several formats into verdict rows", async () => {
    const rows = [
      { id: "g1", problem_id: "p1", gold: "204", response: "So the walk takes \\boxed{204} minutes." },
      { id: "g2", problem_id: "p1", gold: "204", response: "I get \\boxed{210}." },
      JSON.stringify({ problem: "1+1?", expected_answer: "2", generation: "<think>easy</think>\\boxed{2}" }),
      { id: "g4", problem_id: "p2", gold: null, response: "\\boxed{3}" },
      { nothing: "useful" },
    ];
    const res = await post("/grade", { rows });
    expect(res.status).toBe(200);
    expect(res.json.rows).toHaveLength(rows.length);
    const statuses = res.json.rows.map((r: { status: string }) => r.status);
    expect(statuses).toEqual(["correct", "incorrect", "correct", "no_reference", "invalid_input"]);
  });

  it("refuses a /grade body without rows, multi-line string rows and server-side options", async () => {
    const res = await post("/grade", { traces: [] });
    expect(res.status).toBe(400);
    expect(res.json.issues[0].path).toBe("rows");
    const multiLine = await post("/grade", { rows: ['{"a":\n1}'] });
    expect(multiLine.status).toBe(400);
    expect(multiLine.json.issues[0]).toMatchObject({ path: "rows.0", message: expect.stringContaining("one JSON line") });
    const threads = await post("/grade", { rows: ["{}"], options: { threads: 8 } });
    expect(threads.status).toBe(400);
    expect(threads.json.error).toContain("unknown option(s): threads");
  });
});

describe("the command line", () => {
  it("exits 2 on usage errors, naming the option", () => {
    for (const args of [["--port", "http"], ["--workers", "0"], ["--port", "70000"], ["--bogus"], ["extra"]]) {
      const res = runCli(["serve", ...args]);
      expect(res.code, args.join(" ")).toBe(2);
      expect(res.stderr).toMatch(/veritrace serve: /);
    }
    expect(runCli(["serve", "--port", "x"]).stderr).toContain("--port must be an integer");
  });

  it("exits 1 at once when the port is taken, before starting the sandbox", () => {
    const res = runCli(["serve", "--port", new URL(server.url).port], { timeout: 30_000 });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("the port is in use");
  });

  it("prints its usage with examples", () => {
    const res = runCli(["serve", "--help"]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain("POST   /execute");
    expect(res.stdout).toContain("examples:");
  });
});

describe("cutOutput", () => {
  it("counts characters as Python does (code points) and is idempotent over an earlier, larger cut", () => {
    expect(cutOutput("abc", 3)).toBe("abc");
    expect(cutOutput("abcd", 3)).toBe("abc<output cut>");
    expect(cutOutput("😀😀😀", 2)).toBe("😀😀<output cut>");
    const once = cutOutput("x".repeat(50), 20);
    expect(cutOutput(once, 10)).toBe(cutOutput("x".repeat(50), 10));
    expect(cutOutput(once, 20)).toBe(once);
  });
});
