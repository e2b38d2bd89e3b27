// Scale-out with existing parts: two `veritrace serve` instances behind Debian's nginx running the shipped
// example deploy/nginx/veritrace.conf (`hash $http_x_session_id consistent`, as NeMo-Skills deploys its sandbox).
// Sessions must stick to one instance: each call of a session answers from the same instance, and its
// counter survives every call through nginx.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/cli.js";
import { NemoSandboxClient } from "./helpers/nemo-client.js";
import { startServe, type ServeProcess } from "./helpers/serve-process.js";

function nginxBinary(): string | null {
  for (const candidate of ["/usr/sbin/nginx", "nginx"]) {
    if (spawnSync(candidate, ["-v"]).status === 0) return candidate;
  }
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

let instances: ServeProcess[] = [];
let nginx: ChildProcess | undefined;
let nginxExited: Promise<number | null> | undefined;
let nginxLog = "";
let prefix = "";
let baseUrl = "";

beforeAll(async () => {
  let binary = nginxBinary();
  if (!binary) {
    const install = spawnSync("bash", [join(repoRoot, "scripts/install-nginx.sh")], { encoding: "utf8" });
    binary = nginxBinary();
    if (!binary) throw new Error(`nginx is missing and scripts/install-nginx.sh could not install it:\n${install.stderr}`);
  }

  instances = await Promise.all([
    startServe(["--workers", "1", "--instance-id", "instance-a"]),
    startServe(["--workers", "1", "--instance-id", "instance-b"]),
  ]);

  prefix = mkdtempSync(join(tmpdir(), "veritrace-nginx-"));
  mkdirSync(join(prefix, "logs"));
  const port = await freePort();
  // The shipped example, deploy/nginx/veritrace.conf, with its two upstream addresses and its listen port
  // replaced by the test's, and every path nginx writes moved into a temporary prefix.
  const [a, b] = instances.map((i) => new URL(i.url).host);
  const edits: Array<[string, string]> = [
    ["127.0.0.1:6001", a!],
    ["127.0.0.1:6002", b!],
    ["listen 127.0.0.1:6000;", `listen 127.0.0.1:${port};`],
    [
      "worker_processes auto;",
      `${process.getuid?.() === 0 ? "user root;\n" : ""}worker_processes 1;\npid ${prefix}/nginx.pid;\nerror_log ${prefix}/logs/error.log warn;`,
    ],
    [
      "http {",
      `http {\n    access_log off;\n` +
        ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `    ${t}_temp_path ${prefix}/${t};`).join("\n"),
    ],
  ];
  let conf = readFileSync(join(repoRoot, "deploy/nginx/veritrace.conf"), "utf8");
  for (const [from, to] of edits) {
    expect(conf, `deploy/nginx/veritrace.conf no longer has '${from}'`).toContain(from);
    conf = conf.split(from).join(to);
  }
  writeFileSync(join(prefix, "nginx.conf"), conf);
  nginx = spawn(binary, ["-p", prefix, "-c", join(prefix, "nginx.conf"), "-e", join(prefix, "logs/error.log"), "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
  nginx.stderr!.setEncoding("utf8").on("data", (c: string) => (nginxLog += c));
  nginxExited = new Promise((resolve) => nginx!.once("exit", (code) => resolve(code)));
  baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(baseUrl + "/health")).ok) break;
    } catch {
      /* not listening yet */
    }
    if (attempt > 300 || nginx.exitCode !== null) throw new Error(`nginx did not come up:\n${nginxLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  if (nginx && nginx.exitCode === null) {
    nginx.kill("SIGQUIT"); // graceful stop
    const timer = setTimeout(() => nginx!.kill("SIGKILL"), 10_000);
    await nginxExited;
    clearTimeout(timer);
  }
  const exits = await Promise.all(instances.map((i) => i.stop()));
  if (prefix) rmSync(prefix, { recursive: true, force: true });
  for (const exit of exits) expect(exit.code).toBe(0);
});

describe("two instances behind nginx with session affinity", () => {
  it("each session sticks to one instance and keeps its state; sessions spread over both", async () => {
    const sessions = Array.from({ length: 16 }, (_, k) => `sticky-${k}-${process.pid}`);
    const instanceOf = new Map<string, Set<string>>();
    await Promise.all(
      sessions.map(async (session) => {
        const client = new NemoSandboxClient(baseUrl, 15);
        const seen = new Set<string>();
        for (let i = 1; i <= 5; i++) {
          const { output } = await client.executeCode(
            `try:\n    _n += 1\nexcept NameError:\n    _n = 1\nprint(${JSON.stringify(session)}, _n)`,
            { sessionId: session },
          );
          expect(output).toMatchObject({ process_status: "completed", stdout: `${session} ${i}\n` });
          seen.add(client.lastInstance ?? "none");
        }
        instanceOf.set(session, seen);
        expect(await client.deleteSession(session)).toBe(200); // the DELETE reached the instance holding it
      }),
    );
    for (const [session, seen] of instanceOf) expect([...seen], session).toHaveLength(1);
    const used = new Set([...instanceOf.values()].map((s) => [...s][0]));
    // 16 sessions on a consistent-hash ring of two: all on one side has probability 2^-15.
    expect([...used].sort()).toEqual(["instance-a", "instance-b"]);
  });

  it("/verify and /grade pass through the example's stateless upstream", async () => {
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        fetch(baseUrl + "/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ gold: "1/2", pred: "0.5" }) }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect((await answer.json()).status).toBe("correct");
    }
  });

  it("the instance a session lands on is the one that knows it", async () => {
    const session = `known-${process.pid}`;
    const client = new NemoSandboxClient(baseUrl, 15);
    await client.executeCode("k = 1", { sessionId: session });
    const owner = instances.find((i) => i.instance === client.lastInstance)!;
    const other = instances.find((i) => i !== owner)!;
    expect(Object.keys((await (await fetch(owner.url + "/sessions")).json()).sessions)).toContain(session);
    expect(Object.keys((await (await fetch(other.url + "/sessions")).json()).sessions)).not.toContain(session);
    expect(await client.deleteSession(session)).toBe(200);
  });
});
