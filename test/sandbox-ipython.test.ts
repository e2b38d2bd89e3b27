// Differential check of the sandbox's output against NeMo-Skills' stateful sandbox path re-created on a
// real IPython (test/helpers/nemo-ipython-reference.py), cell by cell in one session. Runs where python3
// has IPython (8.x); skipped elsewhere. Left out on purpose (docs/sandbox.md): messages that differ by
// Python version (a SyntaxError's wording and caret) and the IPython install path in sys.exit's warning.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// The pool process and its workers run compiled code: use dist/ (built by the global setup).
import { Sandbox } from "../dist/sandbox/index.js";
import { repoRoot } from "./helpers/cli.js";
import { ensurePythonPackages } from "./helpers/sandbox-setup.js";

const hasIPython = spawnSync("python3", ["-c", "import IPython, sympy"], { stdio: "ignore" }).status === 0;

const CELLS: string[] = [
  "x = 5\nx * 2",
  "print(roots)",
  "def f(a):\n    return 1 / a\nf(0)",
  "  x = 1",
  "list(range(40))",
  "{3, 1, 2}",
  "{'b': 1, 'a': [1, 2, {3, 4}], 'c': (5,)}",
  "[[i, i*i] for i in range(15)]",
  "{i: str(i)*3 for i in range(12)}",
  "(1,)",
  "tuple(range(30))",
  "'a'*100",
  "print('1'*1500)",
  "import sys\nprint('err', file=sys.stderr)",
  "x = 3;",
  "x;",
  "None",
  "1/0",
  "import math\nmath.factorial(30)",
  "[0.1*i for i in range(12)]",
  "set()",
  "frozenset({1,2})",
  "def g():\n    raise ValueError('bad')\ntry:\n    g()\nexcept ValueError as e:\n    raise RuntimeError('wrapped') from e",
  "try:\n    1/0\nexcept ZeroDivisionError:\n    undefined_name",
  "raise KeyError('k')",
  "assert 1 == 2, 'nope'",
  "for i in range(3):\nprint(i)",
  "[list(range(10)) for _ in range(5)]",
  "{'key_' + str(i): list(range(i)) for i in range(8)}",
  "'multi\\nline'",
  "b'bytes'",
  "3 + 4j",
  "[True, None, 1.5, 'x']",
  "x = [1, 2]\nx.append(x)\nx",
  "int('abc')",
  "class A:\n    def __repr__(self):\n        return 'A()'\nA()",
  "[A() for _ in range(30)]",
  "range(10)",
  "print(end='')",
  "from fractions import Fraction\nFraction(1, 3)",
  "divmod(17, 5), 17 % 5",
  "sorted({'b': 2, 'a': 1}.items())",
  "[(i, j) for i in range(4) for j in range(4)]",
  "len([1,2,3])\n",
  "x = 10\nx\n# comment",
  "'a' 'b'",
  "import itertools\nlist(itertools.permutations([1,2,3]))",
  "5",
  "_",
  "import warnings\nwarnings.warn('careful')",
  "import sympy as sp\nx = sp.symbols('x')\nsp.expand((x+1)**5)",
  "import sympy as sp\nsp.Matrix([[1,2],[3,4]])",
  "[1e20, 1e-5, 2**70]",
  "[str(i) * 7 for i in range(20)]",
  "{'alpha': list(range(30)), 'beta': 2}",
  "x = 5\nx\n",
  "input('n? ')",
  "import sympy as sp\nsp.solve(sp.Symbol('y')**2 - 2)",
  "[[1,2,3]]*12",
  "print('a' * 1200, end='')\n1/0"
];

let sb: Sandbox;

beforeAll(async () => {
  if (!hasIPython) return;
  ensurePythonPackages();
  sb = await Sandbox.start({ workers: 1, onWarning: () => {} });
}, 600_000);

afterAll(async () => {
  await sb?.close();
});

describe.skipIf(!hasIPython)("output identical to NeMo-Skills' sandbox on IPython", () => {
  it("gives the same status, stdout and stderr for every cell of a session", async () => {
    const dir = join(repoRoot, "test-artifacts", "sandbox-ipython");
    mkdirSync(dir, { recursive: true });
    const cellsFile = join(dir, "cells.json");
    writeFileSync(cellsFile, JSON.stringify(CELLS));
    const ref = spawnSync("python3", [join(repoRoot, "test/helpers/nemo-ipython-reference.py"), cellsFile], { encoding: "utf8", timeout: 120_000 });
    expect(ref.status).toBe(0);
    const expected = JSON.parse(ref.stdout) as Array<{ status: string; stdout: string; stderr: string }>;
    const got = [];
    for (const code of CELLS) {
      const r = await sb.run(code, { session: "ipython-diff" });
      got.push({ status: r.status, stdout: r.stdout, stderr: r.stderr });
    }
    expect(got).toEqual(expected);
  }, 300_000);
});
