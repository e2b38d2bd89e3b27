// Scale-out with existing parts: two `veritrace serve` instances behind Debian's nginx with
// `hash $http_x_session_id consistent` (deploy/nginx/veritrace.conf, as NeMo-Skills deploys its sandbox).
// Sessions must stick to one instance: each call of a session answers from the same instance, and its
// counter survives every call through nginx.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
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
  const upstreams = instances.map((i) => `        server ${new URL(i.url).host} max_fails=1 fail_timeout=5s;`).join("\n");
  // The upstream block of deploy/nginx/veritrace.conf, with every path inside a temporary prefix.
  writeFileSync(
    join(prefix, "nginx.conf"),
    `${process.getuid?.() === 0 ? "user root;\n" : ""}worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path ${prefix}/client_body;
    proxy_temp_path ${prefix}/proxy;
    fastcgi_temp_path ${prefix}/fastcgi;
    uwsgi_temp_path ${prefix}/uwsgi;
    scgi_temp_path ${prefix}/scgi;
    upstream veritrace {
        hash $http_x_session_id consistent;
${upstreams}
        keepalive 16;
    }
    server {
        listen 127.0.0.1:${port};
        client_max_body_size 64m;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_read_timeout 300s;
        location / { proxy_pass http://veritrace; }
    }
}
`,
  );
  nginx = spawn(binary, ["-p", prefix, "-c", join(prefix, "nginx.conf"), "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
  nginx.stderr!.setEncoding("utf8").on("data", (c: string) => (nginxLog += c));
  nginxExited = new Promise((resolve) => nginx!.once("exit", (code) => resolve(code)));
  baseUrl = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(baseUrl + "/health")).ok) break;
    } catch {
      /* not listening yet */
    }
    if (attempt > 100 || nginx.exitCode !== null) throw new Error(`nginx did not come up:\n${nginxLog}`);
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
