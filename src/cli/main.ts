// The CLI face: dispatches `veritrace <command>` to src/cli/commands/<command>.ts.
// Each command module exports `run(argv): Promise<number>` (the exit code) and `usage` (its --help text).
// Exit codes (DESIGN.md): 0 run completed, 1 run failed, 2 usage error or unreadable input;
// `verify` alone exits 1 for an incorrect answer, as cmp does.
import { readFileSync } from "node:fs";

export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

// Command modules are loaded lazily so that `veritrace verify` never pays for the sandbox or the server.
const COMMANDS = ["verify", "grade", "merge", "filter", "bucket", "exec", "report", "serve", "bench"] as const;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return pkg.version;
}

async function loadable(name: string): Promise<Command | null> {
  try {
    return (await import(`./commands/${name}.js`)) as Command;
  } catch (err: any) {
    if (err?.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes(`commands/${name}.js`)) return null;
    throw err;
  }
}

async function help(): Promise<string> {
  const lines = ["usage: veritrace <command> [options]", "", "commands:"];
  for (const name of COMMANDS) {
    const cmd = await loadable(name);
    if (cmd) lines.push(`  ${name.padEnd(8)} ${cmd.summary}`);
  }
  lines.push("", "Run `veritrace <command> --help` for a command's options and examples.", "`veritrace --version` prints the version.");
  return lines.join("\n") + "\n";
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === "--version" || name === "-V") {
    process.stdout.write(version() + "\n");
    return 0;
  }
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(await help());
    return name ? 0 : 2;
  }
  const cmd = (COMMANDS as readonly string[]).includes(name) ? await loadable(name) : null;
  if (!cmd) {
    process.stderr.write(`veritrace: unknown command '${name}'\n\n` + (await help()));
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(cmd.usage.endsWith("\n") ? cmd.usage : cmd.usage + "\n");
    return 0;
  }
  return cmd.run(rest);
}
