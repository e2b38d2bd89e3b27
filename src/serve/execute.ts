// NeMo-Skills' sandbox endpoints: POST /execute, GET /sessions, DELETE /sessions/{id}.
// Request and answer shapes follow nemo_skills/code_execution/local_sandbox/local_sandbox_server.py:
// the session comes in the X-Session-ID header (older clients: `session_id` in the body), the answer is
// {process_status: "completed" | "error" | "timeout", stdout, stderr}, each stream cut at
// max_output_characters with the literal "<output cut>".
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { executeRequestSchema, sessionIdSchema, validate, type ExecuteRequest } from "./schemas.js";
import type { SessionRegistry } from "./sessions.js";

/** One call's result as the sandbox gives it (src/sandbox RunResult). */
export interface SandboxRunResult {
  status: "completed" | "error" | "timeout";
  stdout: string;
  stderr: string;
  /** The call ran in a fresh namespace although its session had run before (its worker was replaced). */
  sessionReset?: boolean;
  /** The worker died under this call (an explicit flag for sandboxes that have one; src/sandbox says it in stderr). */
  workerFailed?: boolean;
}

/** What the server needs of the sandbox (src/serve/sandbox-engine.ts adapts src/sandbox's Sandbox). */
export interface ExecutionSandbox {
  /** Without a session, the call runs in a fresh namespace that the sandbox drops afterwards. */
  run(code: string, options: { session?: string; timeoutMs?: number }): Promise<SandboxRunResult>;
  closeSession(id: string): unknown;
  close(): Promise<void>;
}

/**
 * Whether a result reports a failure of the sandbox itself rather than an outcome of the Python code. The
 * sandbox answers a worker or interpreter that died, and a pool process that exited, with status "error"
 * and one of these messages (src/sandbox/pool.ts, src/sandbox/sandbox.ts).
 */
const WORKER_FAILURE = /^sandbox (worker failed|interpreter failed|pool )/;
const POOL_LOST = /^sandbox pool /; // the whole pool process: every session's namespace is gone
export function isWorkerFailure(result: SandboxRunResult): boolean {
  return result.workerFailed === true || (result.status === "error" && WORKER_FAILURE.test(result.stderr));
}

export interface ExecuteLimits {
  /** Timeout of a call whose request names none, in ms. */
  defaultTimeoutMs: number;
  /** Upper bound of any call's timeout, in ms: a request asking more is cut to it. */
  maxTimeoutMs: number;
  /** Cut of a stream when the request names none (NeMo-Skills' default is 1000). */
  defaultOutputChars: number;
  /** Upper bound of max_output_characters. */
  maxOutputChars: number;
}

/** NeMo-Skills' answer to /execute. */
export interface ExecuteResponse {
  process_status: "completed" | "error" | "timeout";
  stdout: string;
  stderr: string;
  /**
   * Stateful calls only: the session had no state on this instance before this call (its first call, or
   * the instance that held it is gone). NeMo-Skills' newer clients replay their history of the session
   * when they see it, which rebuilds the state after a restart or a re-route.
   */
  new_session_created?: boolean;
}

/** Python's str() of the float NeMo-Skills sends as `timeout` (10 -> "10.0", 2.5 -> "2.5"). */
function pythonSeconds(ms: number): string {
  const seconds = ms / 1000;
  return Number.isInteger(seconds) ? seconds.toFixed(1) : String(seconds);
}

/** NeMo-Skills' timeout answers always name the limit: "Execution timed out after {t} seconds". */
function withTimeoutMessage(result: SandboxRunResult, timeoutMs: number): SandboxRunResult {
  if (result.status !== "timeout" || /Execution timed out after /.test(result.stdout + result.stderr)) return result;
  return { ...result, stderr: `${result.stderr}Execution timed out after ${pythonSeconds(timeoutMs)} seconds\n` };
}

/** Keeps the first `max` characters (Python's len: code points) and marks the cut as NeMo-Skills does. */
export function cutOutput(text: string, max: number): string {
  if (text.length <= max) return text; // UTF-16 length >= code points: nothing to cut
  let kept = 0;
  let end = 0;
  for (const ch of text) {
    if (kept === max) return text.slice(0, end) + "<output cut>";
    kept += 1;
    end += ch.length;
  }
  return text;
}

/**
 * `python` is NeMo-Skills' `python -c`: a script, whose last expression is not echoed as IPython's display
 * hook echoes it. A closing `pass` makes the last statement one that prints nothing.
 */
function codeFor(language: ExecuteRequest["language"], code: string): string {
  return language === "ipython" ? code : `${code}\npass`;
}

// Sandbox session names of clients' sessions (prefixed: room for other kinds of sessions later).
const clientSession = (id: string) => `client:${id}`;

function headerSession(request: FastifyRequest): string | undefined {
  const value = request.headers["x-session-id"];
  return Array.isArray(value) ? value[0] : value;
}

/** A 4xx/5xx answer to /execute that a NeMo-Skills client can still read (it indexes process_status). */
function executeFailure(reply: FastifyReply, code: number, message: string, extra: object = {}) {
  return reply.code(code).send({ process_status: "error", stdout: "", stderr: `${message}\n`, error: message, ...extra });
}

export function registerExecuteRoutes(
  app: FastifyInstance,
  deps: { sandbox: ExecutionSandbox; sessions: SessionRegistry; limits: ExecuteLimits; bodyLimit: number },
): void {
  const { sandbox, sessions, limits } = deps;

  app.post("/execute", { bodyLimit: deps.bodyLimit }, async (request, reply) => {
    const parsed = validate(executeRequestSchema, request.body);
    if (!parsed.ok) return executeFailure(reply, 400, parsed.failure.error, { issues: parsed.failure.issues });
    const body = parsed.value;

    const rawSession = headerSession(request) ?? body.session_id ?? undefined;
    if (rawSession !== undefined) {
      const checked = sessionIdSchema.safeParse(rawSession);
      if (!checked.success) return executeFailure(reply, 400, `invalid X-Session-ID: ${checked.error.issues[0]?.message}`);
    }
    // `python` runs in a fresh state, as NeMo-Skills' `python -c`; `ipython` without a session does too
    // (what its older server did) rather than failing.
    const clientId = body.language === "ipython" ? rawSession : undefined; // set: a stateful call
    const session = clientId !== undefined ? clientSession(clientId) : undefined;
    // The request's own limit (NeMo-Skills sends its code_execution_timeout in seconds), bounded by the server's.
    const timeoutMs = Math.min(body.timeout !== undefined ? body.timeout * 1000 : limits.defaultTimeoutMs, limits.maxTimeoutMs);
    const outputChars = Math.min(body.max_output_characters ?? limits.defaultOutputChars, limits.maxOutputChars);

    const newSession = clientId !== undefined ? sessions.begin(clientId) : undefined;
    try {
      const result = withTimeoutMessage(await sandbox.run(codeFor(body.language, body.generated_code), { session, timeoutMs }), timeoutMs);
      if (isWorkerFailure(result)) {
        // The worker died under this call: this request fails (500), the pool replaces the worker and the
        // server goes on. The body keeps NeMo-Skills' shape so that its client reads an error status.
        request.log.error({ stderr: result.stderr }, "sandbox worker failed");
        if (POOL_LOST.test(result.stderr)) sessions.markAllReset();
        return executeFailure(reply, 500, `veritrace: ${result.stderr.trim()}; the session state is lost`);
      }
      const answer: ExecuteResponse = {
        process_status: result.status,
        stdout: cutOutput(result.stdout, outputChars),
        stderr: cutOutput(result.stderr, outputChars),
      };
      if (newSession !== undefined) answer.new_session_created = newSession || result.sessionReset === true;
      return answer;
    } catch (err) {
      // The sandbox answers every Python outcome with a status; a rejection means it failed itself.
      request.log.error({ err }, "sandbox call failed");
      const message = `veritrace: the sandbox failed during this call (${(err as Error)?.message ?? String(err)}); the session state may be lost`;
      return executeFailure(reply, 500, message);
    } finally {
      if (clientId !== undefined) sessions.end(clientId);
    }
  });

  app.get("/sessions", async () => ({ sessions: sessions.list(), backend: "ipython" }));

  app.delete<{ Params: { id: string } }>("/sessions/:id", async (request, reply) => {
    const id = request.params.id;
    if (!sessions.delete(id)) return reply.code(404).send({ error: `IPython session ${id} not found` });
    await Promise.resolve(sandbox.closeSession(clientSession(id)));
    return { message: `IPython session ${id} deleted successfully` };
  });
}

/** Closes sessions unused for longer than idleMs (NeMo-Skills' NEMO_SKILLS_SANDBOX_SESSION_TIMEOUT). */
export async function closeIdleSessions(sandbox: ExecutionSandbox, sessions: SessionRegistry, idleMs: number): Promise<number> {
  const idle = sessions.idle(idleMs);
  for (const id of idle) {
    sessions.delete(id);
    await Promise.resolve(sandbox.closeSession(clientSession(id))).catch(() => undefined);
  }
  return idle.length;
}
