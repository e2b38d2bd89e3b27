// Load test of `veritrace serve` on loopback with autocannon: C concurrent clients for D seconds against
// /verify (pairs of the verdict corpus) and /execute (one stateful session per client).
// Prints requests/s, p50/p99 latency and error counts, and for /execute the sessions whose counter was lost
// (state gone; `announced` when the answer said new_session_created), crossed (another session's state
// answered) or moved (answered by another instance, behind a balancer). Exits 1 on any error, lost or
// crossed session.
//
//   npm run bench:serve                       # 64 clients, 30 s each, 2 sandbox workers
//   npm run bench:serve -- --duration 10 --connections 16 --workers 1 --only execute
import { readFileSync } from "node:fs";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "30" },
    connections: { type: "string", default: "64" },
    workers: { type: "string", default: "2" },
    only: { type: "string" },
    url: { type: "string" }, // an already running server (then --workers is not used)
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const repoRoot = fileURLToPath(new URL("..", import.meta.url));

async function startServer(): Promise<{ url: string; stop: () => Promise<number | null> }> {
  // The sandbox's offline Python packages (idempotent; fetched once on a fresh clone).
  const fetched = spawnSync("bash", ["scripts/fetch-python-packages.sh"], { cwd: repoRoot, stdio: "inherit" });
  if (fetched.status !== 0) throw new Error("scripts/fetch-python-packages.sh failed");
  const child = spawn(
    process.execPath,
    ["bin/veritrace.js", "serve", "--port", "0", "--json", "--workers", values.workers!, "--max-calls-per-session", "100000000"],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve(JSON.parse(line).url);
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening`)));
  });
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

interface Figures {
  endpoint: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  timeouts: number;
}

function figures(endpoint: string, r: autocannon.Result): Figures {
  return {
    endpoint,
    requests: r.requests.total,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
    timeouts: r.timeouts,
  };
}

async function benchVerify(url: string): Promise<Figures> {
  const pairs = readFileSync(new URL("../../shared/corpus/verdict_cases.jsonl", import.meta.url), "utf8") // beside the repository
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const { gold, pred } = JSON.parse(line);
      return JSON.stringify({ gold: String(gold), pred: String(pred) });
    });
  let next = 0;
  const result = await autocannon({
    url: url + "/verify",
    connections,
    duration,
    timeout: 30,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        setupRequest: (request) => ({ ...request, body: pairs[next++ % pairs.length] }),
      },
    ],
  });
  return figures("/verify", result);
}

/**
 * One session per client. autocannon resets a client's context after each pass over its request list, so the
 * session state the check needs travels in the request itself: a pool hands a free session to each request, the
 * code names the session it expects, and the answer names it back.
 */
async function benchExecute(
  url: string,
): Promise<Figures & { sessions: number; lost: number; announced: number; moved: number; crossed: number; calls: number }> {
  interface Session {
    tag: string;
    calls: number; // answered calls
    instance?: string; // X-Veritrace-Instance of its last answer
  }
  const all = new Map<string, Session>();
  const free: Session[] = [];
  let lost = 0;
  let announced = 0; // losses the server reported (new_session_created), which NeMo-Skills' client recovers from
  let moved = 0; // answers from another instance than the session's previous one (behind a balancer)
  let crossed = 0;
  let bad = 0;
  const take = (): Session => {
    const s = free.pop();
    if (s) return s;
    const fresh = { tag: `s${all.size}-${process.pid}`, calls: 0 };
    all.set(fresh.tag, fresh);
    return fresh;
  };
  const cell = (tag: string) =>
    `try:\n    _n += 1\nexcept NameError:\n    _tag, _n = '${tag}', 1\nprint('${tag}', _tag, _n)`;

  const result = await autocannon({
    url: url + "/execute",
    connections,
    duration,
    timeout: 30,
    requests: [
      {
        method: "POST",
        setupRequest: (request) => {
          const s = take();
          return {
            ...request,
            headers: { "content-type": "application/json", "x-session-id": s.tag },
            body: JSON.stringify({ generated_code: cell(s.tag), timeout: 10, language: "ipython", max_output_characters: 1000 }),
          };
        },
        onResponse: (status, body, _context, headers) => {
          let stdout = "";
          let fresh = false;
          try {
            const answer = JSON.parse(body);
            stdout = answer.stdout ?? "";
            fresh = answer.new_session_created === true;
          } catch {
            /* counted below */
          }
          const [expectedTag, tag, n] = stdout.trim().split(" ");
          const s = all.get(expectedTag ?? "");
          if (status !== 200 || !s) {
            bad += 1; // the session (if any) is not returned to the pool: a new one replaces it
            return;
          }
          s.calls += 1;
          const instance = String(headers?.["x-veritrace-instance"] ?? "");
          if (s.instance !== undefined && instance !== s.instance) moved += 1;
          s.instance = instance;
          if (tag !== s.tag) crossed += 1;
          else if (Number(n) !== s.calls) {
            lost += 1;
            if (fresh) announced += 1;
            s.calls = Number(n); // count each loss once
          }
          free.push(s);
        },
      },
    ],
  });
  const calls = [...all.values()].reduce((a, s) => a + s.calls, 0);
  const f = figures("/execute", result);
  return { ...f, errors: f.errors + bad, sessions: all.size, lost, announced, moved, crossed, calls };
}

const server = values.url ? { url: values.url, stop: async () => 0 } : await startServer();
const rows: Array<Record<string, unknown>> = [];
let failed = false;
try {
  if (!values.only || values.only === "verify") {
    const f = await benchVerify(server.url);
    rows.push(f);
    failed ||= f.errors + f.non2xx + f.timeouts > 0;
  }
  if (!values.only || values.only === "execute") {
    const f = await benchExecute(server.url);
    rows.push(f);
    failed ||= f.errors + f.non2xx + f.timeouts + f.lost + f.crossed > 0;
  }
} finally {
  const code = await server.stop();
  if (code !== 0) {
    console.error(`server exited with ${code}`);
    failed = true;
  }
}
console.log(
  `veritrace serve load: ${connections} clients x ${duration} s per endpoint, ${values.url ? "external server" : `${values.workers} sandbox workers`}, loopback`,
);
console.table(rows);
console.log(JSON.stringify({ connections, duration, workers: Number(values.workers), results: rows }));
process.exitCode = failed ? 1 : 0;
