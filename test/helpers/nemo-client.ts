// A client that calls a sandbox server the way NeMo-Skills' LocalSandbox does
// (nemo_skills/code_execution/sandbox.py): a JSON body with generated_code, std_input, timeout, language,
// max_output_characters and traceback_verbosity (capitalized); the session in the X-Session-ID header, a fresh
// uuid per ipython call that names none; the HTTP timeout equal to the execution timeout, a client-side
// timeout or a 502 turned into {process_status: "timeout", stderr: "Timed out\n"}; an unparsable answer turned
// into {process_status: "error", stderr: "Unknown error"}; sessions ended with DELETE /sessions/{id}.
import { randomUUID } from "node:crypto";

export interface NemoOutput {
  process_status: string;
  stdout: string;
  stderr: string;
  new_session_created?: boolean;
  [key: string]: unknown;
}

export interface NemoExecuteOptions {
  sessionId?: string | null;
  language?: "ipython" | "python";
  /** Seconds; NeMo-Skills' default code_execution_timeout is 10. */
  timeout?: number;
  maxOutputCharacters?: number;
  tracebackVerbosity?: string;
  stdInput?: string;
  /** Older NeMo-Skills clients sent the session in the body instead of the header. */
  sessionInBody?: boolean;
}

export class NemoSandboxClient {
  /** HTTP status of the last /execute answer (NeMo-Skills does not look at it; tests do). */
  lastHttpStatus = 0;
  lastInstance: string | null = null;

  /**
   * @param baseUrl e.g. http://127.0.0.1:6000
   * @param httpTimeoutSlack seconds added to the HTTP timeout. NeMo-Skills adds none, so a call that the
   *   server interrupts right at its timeout can race the client's own timeout; tests that want the server's
   *   answer add a few seconds.
   */
  constructor(
    readonly baseUrl: string,
    readonly httpTimeoutSlack = 0,
  ) {}

  async executeCode(generatedCode: string, options: NemoExecuteOptions = {}): Promise<{ output: NemoOutput; sessionId: string | null }> {
    const language = options.language ?? "ipython";
    const timeout = options.timeout ?? 10;
    const verbosity = options.tracebackVerbosity ?? "plain";
    let sessionId = options.sessionId ?? null;
    if (sessionId === null && language === "ipython") sessionId = randomUUID(); // a new session with empty state
    if (language !== "ipython" && sessionId !== null) {
      throw new Error(`Stateful execution for ${language} is not supported. session_id is ${sessionId} but should be None`);
    }
    const request: Record<string, unknown> = {
      generated_code: generatedCode,
      std_input: options.stdInput ?? "",
      timeout,
      language,
      max_output_characters: options.maxOutputCharacters ?? 1000,
      traceback_verbosity: verbosity.charAt(0).toUpperCase() + verbosity.slice(1).toLowerCase(),
    };
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (sessionId !== null) {
      if (options.sessionInBody) request.session_id = sessionId;
      else headers["X-Session-ID"] = sessionId;
    }
    let output: NemoOutput;
    try {
      const response = await fetch(`${this.baseUrl}/execute`, {
        method: "POST",
        headers,
        body: JSON.stringify(request),
        signal: AbortSignal.timeout((timeout + this.httpTimeoutSlack) * 1000),
      });
      this.lastHttpStatus = response.status;
      this.lastInstance = response.headers.get("x-veritrace-instance");
      if (response.status === 502) throw new ClientTimeout(); // NeMo-Skills retries 502s as timeouts
      const text = await response.text();
      try {
        output = JSON.parse(text) as NemoOutput;
      } catch {
        output = { process_status: "error", stdout: "", stderr: "Unknown error" };
      }
    } catch (err) {
      if (!(err instanceof ClientTimeout) && (err as Error)?.name !== "TimeoutError") throw err;
      this.lastHttpStatus = 0;
      output = { process_status: "timeout", stdout: "", stderr: "Timed out\n" };
    }
    return { output, sessionId };
  }

  /** Ends a session; 404 (unknown session) is fine, as in NeMo-Skills. */
  async deleteSession(sessionId: string): Promise<number> {
    const response = await fetch(`${this.baseUrl}/sessions/${encodeURIComponent(sessionId)}`, {
      method: "DELETE",
      headers: { "X-Session-ID": sessionId },
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    if (![200, 204, 404].includes(response.status)) throw new Error(`DELETE /sessions/${sessionId}: HTTP ${response.status}`);
    return response.status;
  }
}

class ClientTimeout extends Error {}
