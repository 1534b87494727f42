// make fuzz: runs every test/fuzz/*.fuzz.ts with --iterations N (default 10^6) and --seed S.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { cliArgs } from "../../sim/cli-args";

const HELP = "usage: tsx test/fuzz/run.ts [--iterations N] [--seed S]   (passed to every *.fuzz.ts)";
const parsed = cliArgs("fuzz", process.argv.slice(2), { iterations: { type: "int", min: 1 }, seed: { type: "int", min: 0 } }, HELP);
if (typeof parsed === "number") process.exit(parsed);
const args: string[] = [];
if (parsed.values.iterations !== undefined) args.push("--iterations", String(parsed.values.iterations));
if (parsed.values.seed !== undefined) args.push("--seed", String(parsed.values.seed));
let failed = 0;
for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith(".fuzz.ts")).sort()) {
  console.log(`# ${f}`);
  const r = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(__dirname, f), ...args], { stdio: "inherit" });
  if (r.status !== 0) { failed++; console.log(`# ${f} failed with exit code ${r.status}`); }
}
process.exitCode = failed ? 1 : 0;
