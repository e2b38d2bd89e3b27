// `veritrace serve` when things go wrong: a sandbox worker dies under a call (that request answers 500,
// the server goes on), and SIGTERM (in-flight requests finish, new ones are refused, exit code 0).
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binPath, repoRoot } from "./helpers/cli.js";
import { NemoSandboxClient } from "./helpers/nemo-client.js";
import { startServe, type ServeProcess } from "./helpers/serve-process.js";

let server: ServeProcess;
let nemo: NemoSandboxClient;

beforeAll(async () => {
  server = await startServe(["--workers", "1", "--instance-id", "lifecycle", "--timeout-ms", "30000", "--session-idle-ms", "3000", "--verify-deadline-ms", "1"]);
  nemo = new NemoSandboxClient(server.url, 30);
});

afterAll(async () => {
  await server?.stop(5_000);
});

async function sessionsOf(): Promise<string[]> {
  return Object.keys((await (await fetch(server.url + "/sessions")).json()).sessions);
}

async function waitUntilRunning(session: string): Promise<void> {
  // A call's session is registered when the call starts.
  for (let i = 0; !(await sessionsOf()).includes(session); i++) {
    if (i > 400) throw new Error(`the call of ${session} never reached the server`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The sandbox's pool process: the server's child that holds the Pyodide workers. */
function poolProcess(): number {
  const children = execFileSync("pgrep", ["-P", String(server.child.pid)], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  expect(children).toHaveLength(1);
  return Number(children[0]);
}

describe("a SIGTERM during start-up", () => {
  it("stops the server as soon as it is up, with exit code 0", async () => {
    const child = spawn(process.execPath, [binPath, "serve", "--port", "0", "--workers", "1"], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    // Once the command says it is starting (signals are handled from then on), before the sandbox is up.
    for (let i = 0; !stderr.includes("starting"); i++) {
      if (i > 600) throw new Error(`serve never said it was starting:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr).toContain("SIGTERM: draining");
    expect(stderr).not.toContain("listening on");
  });
});

describe("a worker crash", () => {
  it("answers 500 for that request only; other requests and later calls are served", async () => {
    const bystander = "bystander";
    expect((await nemo.executeCode("b = 1\nb", { sessionId: bystander })).output.stdout).toBe("1\n");

    // The worker process dies (killed from outside, as the OOM killer would) while a call runs on it.
    const victim = new NemoSandboxClient(server.url, 60);
    const running = victim.executeCode("import time\ntime.sleep(20)\nprint('never')", { sessionId: "crasher", timeout: 30 });
    await waitUntilRunning("crasher");
    await new Promise((r) => setTimeout(r, 300)); // let the call reach the worker
    process.kill(poolProcess(), "SIGKILL");
    const crashed = await running;
    expect(victim.lastHttpStatus).toBe(500);
    expect(crashed.output.process_status).toBe("error"); // still NeMo-Skills' shape
    expect(crashed.output.stderr).toContain("sandbox pool process exited");

    // The server goes on: new sessions, the crasher's session, /health; the pool was restarted.
    expect((await nemo.executeCode("2 + 2")).output).toMatchObject({ process_status: "completed", stdout: "4\n" });
    expect(nemo.lastHttpStatus).toBe(200);
    const again = await nemo.executeCode("'alive'", { sessionId: "crasher" });
    expect(again.output).toMatchObject({ process_status: "completed", stdout: "'alive'\n", new_session_created: true });
    expect((await fetch(server.url + "/health")).status).toBe(200);

    // The bystander's namespace died with the pool: its next call says so (new_session_created), as
    // NeMo-Skills' server does after restarting a shell, so that its client can replay the session's history.
    const after = await nemo.executeCode("b", { sessionId: bystander });
    expect(after.output.new_session_created).toBe(true);
    expect(after.output.stdout).toContain("NameError");
    expect((await nemo.executeCode("b = 2\nb", { sessionId: bystander })).output).toMatchObject({
      stdout: "2\n",
      new_session_created: false,
    });
  });
});

describe("a verification past its deadline", () => {
  it("answers 504 for that request only; the server goes on", async () => {
    // 1 ms (this server's --verify-deadline-ms) is far less than the verdict corpus takes.
    const cases = readFileSync(new URL("../../shared/corpus/verdict_cases.jsonl", import.meta.url), "utf8");
    const pairs = cases.split("\n").filter(Boolean).map((line) => {
      const { gold, pred } = JSON.parse(line);
      return { gold: String(gold), pred: String(pred) };
    });
    const slow = await fetch(server.url + "/verify", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pairs }),
    });
    expect(slow.status).toBe(504);
    expect((await slow.json()).error).toContain("did not finish within 1 ms");
    expect((await fetch(server.url + "/health")).status).toBe(200);
    expect((await nemo.executeCode("6 * 7")).output.stdout).toBe("42\n");
  });
});

describe("idle sessions", () => {
  it("are closed after --session-idle-ms: the state is gone and the next call says so", async () => {
    const session = "idle";
    await nemo.executeCode("kept = 1", { sessionId: session });
    expect(await sessionsOf()).toContain(session);
    for (let i = 0; (await sessionsOf()).includes(session); i++) {
      if (i > 100) throw new Error("the idle session was never closed");
      await new Promise((r) => setTimeout(r, 200));
    }
    const { output } = await nemo.executeCode("kept", { sessionId: session });
    expect(output.new_session_created).toBe(true);
    expect(output.stdout).toContain("NameError");
    await nemo.deleteSession(session);
  });
});

describe("SIGTERM", () => {
  it("lets the in-flight request finish, refuses new ones, and exits 0", async () => {
    const session = "draining";
    const inFlight = nemo.executeCode("import time\ntime.sleep(3)\nprint('finished')", { sessionId: session, timeout: 30 });
    await waitUntilRunning(session);
    server.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));

    // A new request during the drain is not served (connection refused, or 503 on a kept-alive connection).
    const late = await fetch(server.url + "/health").then(
      (r) => r.status,
      () => "refused",
    );
    expect(late === "refused" || late === 503).toBe(true);

    const { output } = await inFlight;
    expect(output).toMatchObject({ process_status: "completed", stdout: "finished\n" });
    expect(nemo.lastHttpStatus).toBe(200);
    const exit = await server.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toContain("SIGTERM: draining in-flight requests");
  });
});
