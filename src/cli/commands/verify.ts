// veritrace verify <gold> <pred>: one verdict, exit 0 when correct and 1 otherwise (as cmp does).
import { readFileSync } from "node:fs";
import type { Verdict } from "../../types.js";
import { extractSide } from "../../verify/answers.js";
import { verify, type VerifyOptions } from "../../verify/index.js";
import { parseCommandArgs, parseInteger, runCommand, UsageError, writeJson } from "../util.js";

export const summary = "decide whether one predicted answer equals the reference (exit 0 correct, 1 not)";

export const usage = `usage: veritrace verify <gold> <pred> [options]

Decides whether <pred> equals the reference answer <gold>. Either side may be a bare answer
(LaTeX or plain text) or a whole response, whose final answer is extracted first (last \\boxed{},
"the final answer is ...", ...). A side given as - is read from standard input.

options:
  --json                      print the verdict as JSON
  --explain                   also print each side's extracted answer and the rule that found it,
                              the canonical forms, and the method that decided
  --float-rounding <n>        decimals a decimal must write to match an exact value such as \\pi
                              or \\frac13 (default 6, Math-Verify's float_rounding)
  --no-strict                 compare symbols loosely, as Math-Verify's strict=False
  --allow-set-relation-comp   let a relation match a set (x \\ge 5 against [5, \\infty))
  --no-fallback               do not hand undecided pairs to the symbolic fallback
  -h, --help                  this help

Options start with --; any other argument is an answer, so negative numbers need no quoting
beyond the shell's (veritrace verify -5 -5). Use -- before answers that start with --.

exit codes: 0 correct, 1 any other verdict (incorrect, no_answer, unparsable, too_complex)
or a failure of the run, 2 usage error or unreadable input.

examples:
  veritrace verify '\\frac{1}{2}' 0.5
  veritrace verify 016 16 && echo same
  veritrace verify '\\pi' 3.141593 --explain
  veritrace verify '[1,3)' '[1,3]' --json
  veritrace verify 42 - < response.txt          # the prediction is a whole response on stdin
`;

const OPTIONS = {
  json: { type: "boolean" },
  explain: { type: "boolean" },
  "float-rounding": { type: "string" },
  "no-strict": { type: "boolean" },
  "allow-set-relation-comp": { type: "boolean" },
  "no-fallback": { type: "boolean" },
} as const;
const VALUED = new Set(["--float-rounding"]);

/**
 * Splits argv so that answers such as "-5" or "-\frac12" are positionals: only "--name" tokens (and the
 * value after a valued option) are options, and "--" ends the options.
 */
function splitArgs(argv: string[]): { options: string[]; answers: string[] } {
  const options: string[] = [];
  const answers: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      answers.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      options.push(a);
      if (VALUED.has(a) && i + 1 < argv.length) options.push(argv[++i]!);
    } else {
      answers.push(a);
    }
  }
  return { options, answers };
}

function readStdin(): string {
  try {
    return readFileSync(0, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read standard input (${(err as NodeJS.ErrnoException)?.code ?? String(err)})`);
  }
}

function quote(s: string | null): string {
  return s === null ? "(none)" : JSON.stringify(s);
}

export async function run(argv: string[]): Promise<number> {
  return runCommand("verify", async () => {
    const { options, answers } = splitArgs(argv);
    const { values } = parseCommandArgs(options, OPTIONS, false);
    if (answers.length !== 2) {
      throw new UsageError(`expected two answers, <gold> and <pred>; got ${answers.length}`);
    }
    if (answers[0] === "-" && answers[1] === "-") throw new UsageError("only one side can be read from standard input");
    const [gold, pred] = answers.map((a) => (a === "-" ? readStdin() : a)) as [string, string];

    const verifyOptions: VerifyOptions = {
      strict: !values["no-strict"],
      allowSetRelationComp: Boolean(values["allow-set-relation-comp"]),
      fallback: !values["no-fallback"],
    };
    if (values["float-rounding"] !== undefined) {
      verifyOptions.floatRounding = parseInteger("float-rounding", values["float-rounding"], 0);
      if (verifyOptions.floatRounding > 100) throw new UsageError("--float-rounding: at most 100");
    }

    const verdict: Verdict = verify(gold, pred, verifyOptions);
    const code = verdict.status === "correct" ? 0 : 1;

    if (values.explain) {
      // The same extraction verify() ran, to show what each side's answer was before canonicalization.
      const g = extractSide(gold, "loose");
      const p = extractSide(pred, "loose");
      const explanation = {
        gold: { answer: g.answer, rule: verdict.extraction.gold, canonical: verdict.gold },
        pred: { answer: p.answer, rule: verdict.extraction.pred, canonical: verdict.pred },
        method: verdict.method,
        options: {
          floatRounding: verifyOptions.floatRounding ?? 6,
          strict: verifyOptions.strict,
          allowSetRelationComp: verifyOptions.allowSetRelationComp,
          fallback: verifyOptions.fallback,
        },
      };
      if (values.json) {
        writeJson({ ...verdict, explain: explanation });
      } else {
        const o = explanation.options;
        process.stdout.write(
          [
            `verdict: ${verdict.status}`,
            `method:  ${verdict.method}`,
            `gold:    answer ${quote(g.answer)} (rule: ${verdict.extraction.gold}), canonical ${quote(verdict.gold)}`,
            `pred:    answer ${quote(p.answer)} (rule: ${verdict.extraction.pred}), canonical ${quote(verdict.pred)}`,
            `options: float rounding ${o.floatRounding}, ${o.strict ? "strict" : "not strict"}, ` +
              `set/relation comparison ${o.allowSetRelationComp ? "on" : "off"}, fallback ${o.fallback ? "on" : "off"}`,
          ].join("\n") + "\n",
        );
      }
      return code;
    }

    if (values.json) writeJson(verdict);
    else process.stdout.write(`${verdict.status} (${verdict.method})\n`);
    return code;
  });
}
