// Adversarial suite: attempts to leave the sandbox (reach JS, the host's files, processes or network,
// or end the pool). Each case asserts that the attempt failed, by its effect (no host content in the
// output, no file on the host, an error or timeout status), and that the pool answers the next call.
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The pool process and its workers run compiled code: use dist/ (built by the global setup).
import { Sandbox, type RunResult } from "../dist/sandbox/index.js";
import { repoRoot } from "./helpers/cli.js";
import { ensurePythonPackages } from "./helpers/sandbox-setup.js";

let sb: Sandbox;
const PASSWD = "root:x:0:0";
const hostMarker = join(repoRoot, "test-artifacts", `escape-${process.pid}.txt`);
const tmpMarker = `/tmp/veritrace-escape-${process.pid}.txt`;
const MARKER = hostMarker;

beforeAll(async () => {
  ensurePythonPackages();
  sb = await Sandbox.start({ workers: 1, timeoutMs: 2000, graceMs: 500, onWarning: () => {} });
}, 600_000);

afterAll(async () => {
  await sb?.close();
  rmSync(hostMarker, { force: true });
  rmSync(tmpMarker, { force: true });
});

interface Attempt {
  name: string;
  code: string;
  /** Asserts that the attempt failed. */
  failed: (r: RunResult) => void;
  /** A second step, run in another session of the same interpreter. */
  then?: { code: string; failed: (r: RunResult) => void };
}

const isError = (r: RunResult) => expect(r.status).toBe("error");
const noPasswd = (r: RunResult) => expect(r.output).not.toContain(PASSWD);
const importRefused = (r: RunResult) => {
  isError(r);
  expect(r.output).toMatch(/ImportError|ModuleNotFoundError/);
};

// Reaches for a JS object by any route it can find, then tries to read /etc/passwd and start a shell with it.
const useJs = (reach: string) => `
found = None
try:
${reach
  .split("\n")
  .map((l) => "    " + l)
  .join("\n")}
except BaseException as e:
    print('route failed:', type(e).__name__)
if found is not None:
    for attempt in (
        lambda: found.constructor.constructor("return process.binding('fs')")(),
        lambda: found.constructor.constructor("return process.mainModule.require('fs').readFileSync('/etc/passwd','utf8')")(),
        lambda: found.constructor.constructor("return require('child_process').execSync('id').toString()")(),
    ):
        try:
            print('result:', attempt())
        except BaseException as e:
            print('blocked:', type(e).__name__)
`;

const attempts: Attempt[] = [
  { name: "import js", code: "import js\njs.process", failed: importRefused },
  { name: "import pyodide_js", code: "import pyodide_js\npyodide_js.version", failed: importRefused },
  { name: "pyodide.ffi", code: "from pyodide.ffi import to_js\nto_js([1])", failed: importRefused },
  { name: "run_js", code: "from pyodide.code import run_js\nrun_js('process.exit(1)')", failed: importRefused },
  { name: "pyfetch", code: "from pyodide.http import pyfetch\npyfetch('http://example.com')", failed: importRefused },
  { name: "__import__('js')", code: "__import__('js').process", failed: importRefused },
  { name: "importlib pyodide_js", code: "import importlib\nimportlib.import_module('pyodide_js')", failed: importRefused },
  { name: "sys.modules lookup", code: "import sys\n[m for m in sys.modules if 'pyodide' in m or m == 'js']", failed: (r) => expect(r.output).toBe("[]\n") },
  {
    name: "__subclasses__ walk to a JsProxy via gc",
    code: useJs("import gc\ncls = [c for c in object.__subclasses__() if 'JsProxy' in c.__name__]\nfound = next(o for o in gc.get_objects() if type(o) in cls)"),
    failed: (r) => {
      noPasswd(r);
      expect(r.output).not.toContain("result:");
    },
  },
  {
    name: "__globals__ walk to js / pyodide_js",
    code: useJs(
      "def subclasses(c, seen):\n    for s in type.__subclasses__(c) if c is type else c.__subclasses__():\n        if s not in seen:\n            seen.add(s); yield s; yield from subclasses(s, seen)\nfor c in subclasses(object, set()):\n    for v in list(vars(c).values()):\n        g = getattr(v, '__globals__', None)\n        if g and any(k in g for k in ('js', 'pyodide_js')):\n            found = g.get('js') or g.get('pyodide_js')\n            break\n    if found is not None:\n        break",
    ),
    failed: (r) => {
      noPasswd(r);
      expect(r.output).not.toMatch(/result:.*(uid=|root)/);
    },
  },
  {
    name: "re-enable the builtin importer and import _pyodide_core",
    code: useJs("import sys, importlib.machinery\nsys.meta_path.clear()\nsys.meta_path.append(importlib.machinery.BuiltinImporter)\nimport _pyodide_core\nfound = next(v for v in vars(_pyodide_core).values() if type(v).__name__.startswith('Js'))"),
    failed: (r) => {
      noPasswd(r);
      expect(r.output).not.toMatch(/result:.*(uid=|root)/);
    },
  },
  {
    name: "end the interpreter through _pyodide_core",
    code: "import sys, importlib.machinery\nsys.meta_path.append(importlib.machinery.BuiltinImporter)\nimport _pyodide_core\n_pyodide_core.trigger_fatal_error()",
    failed: isError,
  },
  {
    name: "switch the guards off for the next session",
    code: "import sys\nsys.meta_path.clear()\nsys.modules.pop('os')\nsys.modules.pop('posix')",
    failed: () => {},
    then: { code: "import os\nos.system('id')", failed: (r) => { isError(r); expect(r.output).not.toContain("uid="); } },
  },
  {
    name: "reach JS through _pyodide_core.to_js and read /etc/passwd, run a shell, write a file",
    code: [
      "import sys, importlib.machinery",
      "sys.meta_path.clear(); sys.meta_path.append(importlib.machinery.BuiltinImporter)",
      "import _pyodide_core",
      "F = _pyodide_core.to_js([]).constructor.constructor",
      "for js in (\"return process.getBuiltinModule('fs').readFileSync('/etc/passwd', 'utf8')\",",
      "           \"return process.getBuiltinModule('child_process').execSync('id').toString()\",",
      `           "return process.getBuiltinModule('fs').writeFileSync('${MARKER}', 'pwned')",`,
      "           \"return process.binding('fs')\", \"return process.kill(process.pid, 'SIGKILL')\"):",
      "    try:",
      "        print('result:', F(js)())",
      "    except BaseException as e:",
      "        print('blocked:', type(e).__name__)",
    ].join("\n"),
    failed: (r) => {
      noPasswd(r);
      expect(r.output).not.toContain("uid=");
      expect(r.output).not.toContain("result:");
      expect(existsSync(hostMarker)).toBe(false);
    },
  },
  {
    name: "reach JS and end the worker with process.exit",
    code: "import sys, importlib.machinery\nsys.meta_path.clear(); sys.meta_path.append(importlib.machinery.BuiltinImporter)\nimport _pyodide_core\n_pyodide_core.to_js([]).constructor.constructor('process.exit(1)')()",
    failed: isError,
  },
  {
    name: "import the runner to read another session's namespace",
    code: "import veritrace_runner\nveritrace_runner._sessions",
    failed: importRefused,
  },
  { name: "posix.system", code: "import posix\nposix.system('id')", failed: (r) => { isError(r); expect(r.output).not.toContain("uid="); } },
  { name: "os.system", code: "import os\nos.system('id > /tmp/pwned')", failed: (r) => { isError(r); expect(r.output).not.toContain("uid="); } },
  { name: "os.popen", code: "import os\nos.popen('id').read()", failed: (r) => { isError(r); expect(r.output).not.toContain("uid="); } },
  { name: "subprocess", code: "import subprocess\nsubprocess.run(['id'], capture_output=True).stdout", failed: importRefused },
  { name: "_posixsubprocess", code: "import _posixsubprocess", failed: importRefused },
  { name: "multiprocessing", code: "import multiprocessing\nmultiprocessing.Process(target=print).start()", failed: importRefused },
  { name: "ctypes", code: "import ctypes\nctypes.CDLL(None).emscripten_run_script(b'process.exit(1)')", failed: importRefused },
  { name: "socket", code: "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=1)", failed: importRefused },
  { name: "_socket", code: "import _socket\n_socket.socket()", failed: importRefused },
  { name: "urllib", code: "import urllib.request\nurllib.request.urlopen('http://example.com').read()", failed: importRefused },
  { name: "NODEFS mount", code: "import pyodide_js\npyodide_js.mountNodeFS('/host', '/')\nopen('/host/etc/passwd').read()", failed: (r) => { importRefused(r); noPasswd(r); } },
  { name: "read /etc/passwd", code: "open('/etc/passwd').read()", failed: (r) => { isError(r); noPasswd(r); } },
  {
    name: "read the project's own files",
    code: `import os\n[os.path.exists(${JSON.stringify(join(repoRoot, "package.json"))}), os.path.exists(${JSON.stringify(join(repoRoot, ".git"))})]`,
    failed: (r) => expect(r.output).toBe("[False, False]\n"),
  },
  {
    name: "write into the project",
    code: `import os\nos.makedirs(${JSON.stringify(join(repoRoot, "test-artifacts"))}, exist_ok=True)\nopen(${JSON.stringify(hostMarker)}, 'w').write('pwned')`,
    failed: () => expect(existsSync(hostMarker)).toBe(false),
  },
  {
    name: "write to the host's /tmp",
    code: `open(${JSON.stringify(tmpMarker)}, 'w').write('pwned')`,
    failed: () => expect(existsSync(tmpMarker)).toBe(false),
  },
  { name: "os._exit", code: "import os\nos._exit(1)", failed: isError },
  { name: "os.kill own process", code: "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", failed: isError },
  { name: "sys.exit", code: "import sys\nsys.exit(3)", failed: (r) => { isError(r); expect(r.output).toContain("SystemExit: 3"); } },
  { name: "exit() builtin", code: "exit()", failed: isError },
  { name: "raise SystemExit in a finally", code: "try:\n    raise SystemExit(1)\nfinally:\n    pass", failed: isError },
  {
    name: "ignore SIGINT with a signal handler, then spin",
    code: "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
    failed: (r) => expect(r.status).toBe("timeout"),
  },
  { name: "fork bomb", code: "import os\nwhile True:\n    os.fork()", failed: (r) => { isError(r); expect(r.output).toMatch(/PermissionError/); } },
  { name: "threads", code: "import threading\nt = threading.Thread(target=lambda: None)\nt.start()", failed: isError },
  // The traceback lists every frame, as IPython's Plain mode does, so the output is cut before the error line.
  { name: "recursion bomb", code: "def f():\n    return f()\nf()", failed: (r) => { isError(r); expect(r.stdout).toMatch(/^Traceback[^]*<output cut>$/); } },
  {
    name: "recursion bomb with a raised limit",
    code: "import sys\nsys.setrecursionlimit(10**7)\ndef f(n):\n    return f(n + 1)\ntry:\n    f(0)\nexcept RecursionError:\n    print('RecursionError', sys.getrecursionlimit())",
    failed: (r) => expect(r.output).toBe("RecursionError 3000\n"),
  },
  { name: "output flood", code: "print('y' * 10**8)", failed: (r) => expect(r.stdout).toBe("y".repeat(1000) + "<output cut>") },
  {
    name: "endless output flood",
    code: "while True:\n    print('x' * 10000)",
    failed: (r) => {
      expect(r.status).toBe("timeout");
      expect(r.output.length).toBeLessThanOrEqual(2 * (1000 + "<output cut>".length) + 100);
    },
  },
  { name: "huge big-int power", code: "10 ** (10 ** 10)", failed: (r) => expect(r.status).toBe("timeout") },
  { name: "huge string", code: "s = 'a' * (3 * 10**9)", failed: (r) => { isError(r); expect(r.output).toMatch(/MemoryError|OverflowError/); } },
];

describe("escape attempts", () => {
  it("has at least 30 attempts", () => {
    expect(attempts.length).toBeGreaterThanOrEqual(30);
  });

  for (const attempt of attempts) {
    it(`fails: ${attempt.name}`, async () => {
      const r = await sb.run(attempt.code, { session: `escape-${attempt.name}` });
      attempt.failed(r);
      if (attempt.then) attempt.then.failed(await sb.run(attempt.then.code, { session: `escape-next-${attempt.name}` }));
      const next = await sb.run("6 * 7");
      expect(next.output).toBe("42\n");
    });
  }

  it("runs the pool under the permission model and, here, in its own network namespace", () => {
    const info = sb.info();
    expect(info.isolation.permissionModel).toBe(true);
    if (info.isolation.networkNamespace === "none") expect(info.isolation.notes.join(" ")).toMatch(/network/);
  });
});
