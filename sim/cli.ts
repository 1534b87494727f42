// pos-sim: the simulator's command-line front end. Each command lives in
// sim/commands/<name>.ts and exports `summary` (one line) and `run(args)` (exit code).
import * as fs from "fs";
import * as path from "path";

const commandsDir = path.join(__dirname, "commands");

function listCommands(): { name: string; summary: string }[] {
  return fs.readdirSync(commandsDir)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => {
      const name = f.slice(0, -3);
      const mod = require(path.join(commandsDir, f));
      return { name, summary: String(mod.summary || "") };
    });
}

function usage(): string {
  const lines = ["usage: pos-sim <command> [options]", "", "commands:"];
  for (const c of listCommands()) lines.push("  " + c.name.padEnd(10) + " " + c.summary);
  lines.push("", "pos-sim <command> --help shows a command's options.");
  return lines.join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === "--help" || cmd === "-h" || cmd === "help") {
    console.log(usage());
    return cmd ? 0 : 2;
  }
  if (!/^[a-z0-9-]+$/.test(cmd) || !fs.existsSync(path.join(commandsDir, cmd + ".ts"))) {
    console.error(`pos-sim: unknown command '${cmd}'\n\n${usage()}`);
    return 2;
  }
  const mod = require(path.join(commandsDir, cmd + ".ts"));
  return await mod.run(rest);
}

/** a failure no command foresaw: one line naming the command, the stack only on request */
export function reportCrash(argv: string[], err: any): void {
  const name = /^[a-z0-9-]+$/.test(argv[0] ?? "") ? "pos-sim " + argv[0] : "pos-sim";
  console.error(`${name}: ${err && err.message ? err.message : err}` +
    (process.env.POS_SIM_DEBUG ? "\n" + (err && err.stack) : " (internal error; POS_SIM_DEBUG=1 shows the stack)"));
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  main(argv).then(
    (code) => { process.exitCode = code; },
    (err) => { reportCrash(argv, err); process.exitCode = 1; },
  );
}
