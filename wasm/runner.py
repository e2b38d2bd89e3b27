# The Python side of the veritrace sandbox: runs tool-call cells the way NeMo-Skills' stateful IPython
# sandbox does (nemo_skills/code_execution/local_sandbox/local_sandbox_server.py with IPython 8 in
# "Plain" traceback mode) and hands back the same stdout/stderr strings:
#   - a session is a namespace; cells of a session share it;
#   - the last bare expression of a cell is echoed (IPython's displayhook, `Out[n]: ` removed),
#     formatted like IPython's pretty printer (width 79); NeMo-Skills runs cells without storing
#     history, where IPython's trailing-`;` check never fires, so `;` silences nothing;
#   - exceptions print a Plain traceback to stdout; frame lines of the cell (`File <ipython-input-..`)
#     are dropped, as NeMo-Skills' postprocess_output does;
#   - each stream is cut at max_chars with the literal `<output cut>`.
# It also installs the Python-level guards (guard()): the first of the sandbox's isolation layers.
# The JS worker (wasm/worker.mjs) calls setup(), guard() and run_cell(); nothing here touches JS.

import ast
import builtins
import hashlib
import io
import linecache
import os
import random
import re
import sys
import time

# ---------------------------------------------------------------------------------------------------
# Output capture


class _CappedText(io.TextIOBase):
    """A text stream that keeps at most `cap` characters and drops the rest (output floods)."""

    def __init__(self, cap):
        self._parts = []
        self._size = 0
        self._cap = cap

    def writable(self):
        return True

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        room = self._cap - self._size
        if room > 0:
            kept = s[:room]
            self._parts.append(kept)
            self._size += len(kept)
        return len(s)

    def getvalue(self):
        return "".join(self._parts)

    @property
    def encoding(self):
        return "utf-8"


_ANSI = re.compile(r"\x1B(?:[@-Z\-_]|\[[0-?]*[ -/]*[@-~])")
_OUT_PROMPT = re.compile(r"^Out\[\d+\]:\s*")


def _postprocess(text):
    """NeMo-Skills' postprocess_output for Plain tracebacks."""
    text = _ANSI.sub("", text)
    lines = []
    for line in text.split("\n"):
        if line.strip().startswith("File <ipython-"):
            continue
        lines.append(_OUT_PROMPT.sub("", line))
    while lines and lines[0] == "":
        lines.pop(0)
    text = "\n".join(lines).rstrip()
    return text + ("\n" if text else "")


def _cut(text, max_chars):
    if len(text) > max_chars:
        return text[:max_chars] + "<output cut>"
    return text


# ---------------------------------------------------------------------------------------------------
# IPython's pretty printer, for the types a math cell ends with (containers of numbers, strings,
# sympy objects). Everything else prints as repr(), as IPython does for objects without a printer.

_WIDTH = 79
_MAX_SEQ = 1000


def _pretty(obj, col=0, indent=0, suffix=0, seen=None):
    """Lay out `obj` starting at column `col`; line breaks inside it indent to `indent` plus one per
    nesting level (IPython's groups), and `suffix` characters follow it on its last line."""
    seen = seen or set()
    kind = type(obj)
    if kind in (list, tuple, set, frozenset, dict) and id(obj) in seen:
        return {list: "[...]", tuple: "(...)", dict: "{...}"}.get(kind, f"{kind.__name__}(...)")
    flat = _flat(obj, seen)
    if col + len(flat) + suffix <= _WIDTH or kind not in (list, tuple, set, frozenset, dict) or not obj:
        return flat
    seen = seen | {id(obj)}
    if kind is list:
        open_, close = "[", "]"
    elif kind is tuple:
        open_, close = "(", ")"
    elif kind in (set, dict):
        open_, close = "{", "}"
    else:
        open_, close = "frozenset({", "})"
    inner = indent + len(open_) if kind is frozenset else indent + 1
    items = list(obj.items())[:_MAX_SEQ] if kind is dict else _sorted_if_set(obj)[:_MAX_SEQ]
    truncated = len(obj) > _MAX_SEQ
    tail = "," if kind is tuple and len(obj) == 1 else ""
    cells = []
    for i, item in enumerate(items):
        at = col + len(open_) if i == 0 else inner
        last = i == len(items) - 1 and not truncated
        after = len(tail) + len(close) + suffix if last else 1
        if kind is dict:
            key = _pretty(item[0], at, inner, 2, seen)
            cells.append(key + ": " + _pretty(item[1], _last_col(key, at) + 2, inner, after, seen))
        else:
            cells.append(_pretty(item, at, inner, after, seen))
    if truncated:
        cells.append("...")
    return open_ + (",\n" + " " * inner).join(cells) + tail + close


def _last_col(text, indent):
    nl = text.rfind("\n")
    return indent + len(text) if nl < 0 else len(text) - nl - 1


def _sorted_if_set(obj):
    if type(obj) in (set, frozenset):
        try:
            return sorted(obj)
        except Exception:
            return list(obj)
    return list(obj)


def _flat(obj, seen):
    kind = type(obj)
    if kind in (list, tuple):
        if id(obj) in seen:
            return "[...]" if kind is list else "(...)"
        inner = seen | {id(obj)}
        cells = [_flat(v, inner) for v in list(obj)[:_MAX_SEQ]]
        if len(obj) > _MAX_SEQ:
            cells.append("...")
        if kind is tuple:
            return "(" + ", ".join(cells) + ("," if len(obj) == 1 else "") + ")"
        return "[" + ", ".join(cells) + "]"
    if kind in (set, frozenset):
        if not obj:
            return "set()" if kind is set else "frozenset()"
        inner = seen | {id(obj)}
        cells = [_flat(v, inner) for v in _sorted_if_set(obj)[:_MAX_SEQ]]
        if len(obj) > _MAX_SEQ:
            cells.append("...")
        body = "{" + ", ".join(cells) + "}"
        return body if kind is set else "frozenset(" + body + ")"
    if kind is dict:
        if id(obj) in seen:
            return "{...}"
        inner = seen | {id(obj)}
        cells = [_flat(k, inner) + ": " + _flat(v, inner) for k, v in list(obj.items())[:_MAX_SEQ]]
        if len(obj) > _MAX_SEQ:
            cells.append("...")
        return "{" + ", ".join(cells) + "}"
    return repr(obj)


# ---------------------------------------------------------------------------------------------------
# Plain tracebacks (IPython 8 ListTB), with the cell's frames named <ipython-input-N-hash>


def _frame_lines(tb):
    out = []
    for frame, lineno in _walk_tb(tb):
        code = frame.f_code
        name = code.co_name
        line = linecache.getline(code.co_filename, lineno, frame.f_globals).strip()
        item = f"  File {code.co_filename}:{lineno}" + (f" in {name}" if name != "<module>" else "") + "\n"
        if line:
            item += f"    {line}\n"
        out.append(item)
    return out


_HIDDEN_PREFIXES = ("/lib/python314.zip/pyodide/", "/lib/python314.zip/_pyodide/")


def _walk_tb(tb):
    frames = []
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        # The runner's frames (as IPython's tb_offset drops its own) and those of its guards, which
        # stand in for C functions (os.system, time.sleep) and must look like them.
        if filename != __file__ and not filename.startswith(_HIDDEN_PREFIXES):
            frames.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    return frames


def _exception_only(etype, value):
    out = []
    name = etype.__name__
    if value is None:
        return [name + "\n"]
    if issubclass(etype, SyntaxError):
        filename = value.filename or "<string>"
        if value.lineno:
            out.append(f"  File {filename}:{value.lineno}\n")
            textline = linecache.getline(filename, value.lineno)
        else:
            out.append(f"  File {filename}\n")
            textline = ""
        if textline == "":
            textline = value.text
        if textline is not None:
            i = 0
            while i < len(textline) and textline[i].isspace():
                i += 1
            out.append(f"    {textline.strip()}\n")
            if value.offset is not None:
                s = "    "
                for c in textline[i : value.offset - 1]:
                    s += c if c.isspace() else " "
                out.append(s + "^\n")
    try:
        s = value.msg if isinstance(value, SyntaxError) else str(value)
    except Exception:
        s = f"<unprintable {name} object>"
    out.append(f"{name}: {s}\n" if s else f"{name}\n")
    out.extend(f"{note}\n" for note in getattr(value, "__notes__", None) or [])
    return out


def _traceback_text(value, seen=None):
    seen = seen if seen is not None else set()
    seen.add(id(value))
    parts = []
    tb = value.__traceback__
    frames = _frame_lines(tb) if tb is not None else []
    if frames:
        parts.append("Traceback (most recent call last):\n")
        parts.extend(frames)
    parts.extend(_exception_only(type(value), value))
    cause, context = value.__cause__, value.__context__
    chained = cause if cause is not None else (None if value.__suppress_context__ else context)
    if chained is not None and id(chained) not in seen:
        message = (
            "\nThe above exception was the direct cause of the following exception:\n"
            if cause is not None
            else "\nDuring handling of the above exception, another exception occurred:\n"
        )
        return _traceback_text(chained, seen) + message + "".join(parts)
    return "".join(parts)


# ---------------------------------------------------------------------------------------------------
# Sessions and cells

_sessions = {}


class _Session:
    __slots__ = ("namespace", "count", "cells")

    def __init__(self):
        self.namespace = {"__name__": "__main__", "__builtins__": dict(builtins.__dict__)}
        self.count = 0
        # The cells' file names, whose sources stay in linecache (tracebacks through functions defined
        # in earlier cells show their lines) until the session closes.
        self.cells = set()


# Sessions holding each cell file name in linecache (identical cells of two sessions share a name).
_cell_users = {}


def _register_cell(session, filename, code):
    if filename not in session.cells:
        session.cells.add(filename)
        _cell_users[filename] = _cell_users.get(filename, 0) + 1
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)


def _leading_indent(code):
    """IPython's leading_indent transformer: a cell whose first line is indented is dedented by that much."""
    lines = code.splitlines(True)
    m = re.match(r"^[ \t]+", lines[0]) if lines else None
    if not m:
        return code
    space = m.group(0)
    return "".join(line[len(space):] if line.startswith(space) else line for line in lines)


def _execute(session, code, out):
    """Runs one cell; returns True when it raised (IPython's error_before_exec / error_in_exec)."""
    session.count += 1
    # IPython's transform_cell: leading indent removed, a final newline ensured; the cell's file name
    # hashes the transformed text, and its number stays 1 (NeMo-Skills runs cells without storing history).
    code = _leading_indent(code)
    if not code.endswith("\n"):
        code += "\n"
    filename = f"<ipython-input-1-{hashlib.sha1(code.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}>"
    _register_cell(session, filename, code)
    try:
        tree = ast.parse(code, filename, "exec")
    except (SyntaxError, ValueError, OverflowError, MemoryError, RecursionError) as e:
        print("".join(_exception_only(type(e), e)), file=out)
        return True
    body, last = tree.body, None
    if body and isinstance(body[-1], ast.Expr):
        body, last = body[:-1], body[-1]
    ns = session.namespace
    try:
        if body:
            exec(compile(ast.Module(body=body, type_ignores=[]), filename, "exec"), ns)
        if last is not None:
            value = eval(compile(ast.Expression(body=last.value), filename, "eval"), ns)
            if value is not None:
                ns["_"] = value
                text = _pretty(value)
                out.write(("\n" if "\n" in text else "") + text + "\n")
    except SystemExit as e:
        print("An exception has occurred, use %tb to see the full traceback.\n" + "".join(_exception_only(SystemExit, e)), file=out)
        return True
    except BaseException as e:  # KeyboardInterrupt included: IPython prints it like any error
        _print_traceback(e, out)
        return True
    return False


def _print_traceback(error, out):
    # A pending interrupt may land while the traceback is formatted: retry, then fall back to its name.
    for _ in range(3):
        try:
            out.write(_traceback_text(error) + "\n")
            return
        except KeyboardInterrupt:
            continue
    out.write(f"{type(error).__name__}\n")


def run_cell(session_id, code, max_chars):
    """Runs `code` in session `session_id` and returns (status, stdout, stderr) as NeMo-Skills would."""
    _reassert_guards()
    session = _sessions.get(session_id)
    if session is None:
        session = _sessions[session_id] = _Session()
    cap = max(4 * max_chars, 1 << 20)
    out, err = _CappedText(cap), _CappedText(cap)
    saved = sys.stdin, sys.stdout, sys.stderr
    # stdin reads as /dev/null, as in NeMo-Skills' shell process: input() raises EOFError.
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(""), out, err
    interrupted = False
    try:
        failed = _execute(session, code, out)
    except KeyboardInterrupt:  # an interrupt that landed outside the cell itself
        failed, interrupted = True, True
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    stdout = _cut(_postprocess(out.getvalue()), max_chars)
    stderr = _cut(_postprocess(err.getvalue()), max_chars)
    status = "interrupted" if interrupted else ("error" if failed else "completed")
    return status, stdout, stderr


def close_session(session_id):
    session = _sessions.pop(session_id, None)
    if session is None:
        return
    for filename in session.cells:
        left = _cell_users.get(filename, 1) - 1
        if left > 0:
            _cell_users[filename] = left
        else:
            _cell_users.pop(filename, None)
            linecache.cache.pop(filename, None)


def session_count():
    return len(_sessions)


# ---------------------------------------------------------------------------------------------------
# Set-up and guards

_BLOCKED_MODULES = (
    "veritrace_runner",  # this module: its session table
    "js",
    "pyodide_js",
    "pyodide",
    "_pyodide",
    "_pyodide_core",
    "pyodide_http",
    "micropip",
    "ctypes",
    "_ctypes",
    "subprocess",
    "_posixsubprocess",
    "multiprocessing",
    "socket",
    "_socket",
    "ssl",
    "_ssl",
    "select",
    "webbrowser",
    "urllib.request",
    "http.client",
    "ftplib",
    "smtplib",
    "asyncio",
)


def _is_blocked(name):
    return any(name == b or name.startswith(b + ".") for b in _BLOCKED_MODULES)


class _BlockedImports:
    """A meta-path finder that refuses modules that reach JavaScript, processes or the network."""

    def find_spec(self, name, path=None, target=None):
        if _is_blocked(name):
            raise ImportError(f"module '{name}' is not available in the veritrace sandbox")
        return None


# Every guard is recorded so that it can be put back before each cell: the interpreter is shared by the
# sessions of a worker, and one session must not be able to switch the guards off for the next.
_GUARDS = []
_BLOCKER = None
_META_PATH = []
_PINNED_MODULES = {}
_BLOCKED_LOADED = ()
_MODULE_COUNT = [0]


def _protect(obj, name, value):
    setattr(obj, name, value)
    _GUARDS.append((obj, name, value))


def _reassert_guards():
    if _BLOCKER is None:
        return
    for obj, name, value in _GUARDS:
        if getattr(obj, name, None) is not value:
            setattr(obj, name, value)
    if sys.meta_path != _META_PATH:
        sys.meta_path[:] = _META_PATH
    for name, module in _PINNED_MODULES.items():
        if sys.modules.get(name) is not module:
            sys.modules[name] = module
    # Blocked modules can only come back by assignment into sys.modules (imports are refused).
    for name in _BLOCKED_LOADED:
        if name in sys.modules:
            del sys.modules[name]
    if len(sys.modules) != _MODULE_COUNT[0]:
        for name in [m for m in sys.modules if _is_blocked(m)]:
            del sys.modules[name]
        _MODULE_COUNT[0] = len(sys.modules)


def _disabled(what):
    def refuse(*args, **kwargs):
        raise PermissionError(f"{what} is not available in the veritrace sandbox")

    refuse.__name__ = what.rsplit(".", 1)[-1]
    return refuse


def setup(bundle_paths):
    """Makes the package bundles importable (before a snapshot is taken)."""
    for path in reversed(bundle_paths):
        if path not in sys.path:
            sys.path.insert(0, path)


def preload(modules):
    for name in modules:
        __import__(name)


def reseed(seed_bytes):
    """A restored snapshot shares the random state of every other restore: reseed it."""
    random.seed(bytes(seed_bytes))


def guard():
    """Removes the routes from Python to JavaScript, the host and the pool's life (first isolation layer)."""
    global _BLOCKER, _META_PATH
    import gc
    import posix
    import signal

    global _BLOCKED_LOADED
    _BLOCKED_LOADED = tuple(name for name in sys.modules if _is_blocked(name)) + _BLOCKED_MODULES
    for name in list(sys.modules):
        if _is_blocked(name):
            del sys.modules[name]
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__module__.split(".")[0] not in ("_pyodide", "pyodide")]
    _BLOCKER = _BlockedImports()
    sys.meta_path.insert(0, _BLOCKER)
    _META_PATH = list(sys.meta_path)
    _PINNED_MODULES.update(os=os, posix=posix, gc=gc, signal=signal, time=time, sys=sys, builtins=builtins)
    sys.path_importer_cache.clear()
    _protect(sys, "excepthook", sys.__excepthook__)
    _protect(sys, "displayhook", sys.__displayhook__)

    for name in (
        "system", "popen", "fork", "forkpty", "vfork", "execv", "execve", "execl", "execle", "execlp",
        "execlpe", "execvp", "execvpe", "spawnv", "spawnve", "spawnl", "spawnle", "spawnlp", "spawnlpe",
        "spawnvp", "spawnvpe", "posix_spawn", "posix_spawnp", "kill", "killpg", "_exit", "abort",
        "chroot", "setuid", "setgid", "plock",
    ):
        refuse = _disabled(f"os.{name}")
        for module in (os, posix):
            if hasattr(module, name):
                _protect(module, name, refuse)
    for name in ("alarm", "setitimer", "pthread_kill", "raise_signal", "siginterrupt"):
        if hasattr(signal, name):
            _protect(signal, name, _disabled(f"signal.{name}"))
    # Object-graph walks from Python to live JS proxies go through the collector's lists.
    for name in ("get_objects", "get_referrers", "get_referents"):
        _protect(gc, name, _disabled(f"gc.{name}"))

    # A recursion limit far above the default overflows the wasm stack, which kills the interpreter.
    real_setrecursionlimit = sys.setrecursionlimit

    def setrecursionlimit(limit):
        real_setrecursionlimit(min(int(limit), 3000))

    _protect(sys, "setrecursionlimit", setrecursionlimit)

    # time.sleep in slices, so that the interrupt buffer is checked while a cell sleeps.
    real_sleep = time.sleep

    def sleep(seconds):
        end = time.monotonic() + float(seconds)
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            real_sleep(min(left, 0.02))

    _protect(time, "sleep", sleep)
    gc.collect()
