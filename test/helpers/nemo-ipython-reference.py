# The reference for test/sandbox-ipython.test.ts: NeMo-Skills' stateful sandbox path re-created on a host
# IPython (local_sandbox_server.py: a TerminalInteractiveShell, Plain tracebacks, run_cell under
# redirect_stdout/redirect_stderr, postprocess_output, each stream cut at 1000 characters with
# "<output cut>"). Reads a JSON list of cells (one session), prints a JSON list of results.
import io, json, re, sys
from contextlib import redirect_stdout, redirect_stderr
from IPython.terminal.interactiveshell import TerminalInteractiveShell

def postprocess_output(output):
    ansi_escape = re.compile(r"\x1B(?:[@-Z\-_]|\[[0-?]*[ -/]*[@-~])")
    output = ansi_escape.sub("", output)
    lines = []
    for line in output.split("\n"):
        if line.strip().startswith("File <ipython-"):
            continue
        line = re.sub(r"^Out\[\d+\]:\s*", "", line)
        lines.append(line)
    while lines and lines[0] == "":
        lines.pop(0)
    output = "\n".join(lines).rstrip()
    return output + ("\n" if output else "")

cells = json.load(open(sys.argv[1]))
shell = TerminalInteractiveShell()
res_all = []
for code in cells:
    shell.InteractiveTB.set_mode(mode="Plain")
    o, e = io.StringIO(), io.StringIO()
    with redirect_stdout(o), redirect_stderr(e):
        res = shell.run_cell(code)
    so, se = postprocess_output(o.getvalue()), postprocess_output(e.getvalue())
    if len(so) > 1000: so = so[:1000] + "<output cut>"
    if len(se) > 1000: se = se[:1000] + "<output cut>"
    res_all.append({"status": "error" if (res.error_before_exec or res.error_in_exec) else "completed", "stdout": so, "stderr": se})
print(json.dumps(res_all))
