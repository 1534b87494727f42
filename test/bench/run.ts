// make bench: runs every test/bench/*.bench.ts in turn. Each prints figures as
// `name: value unit` lines (anchors and goals may follow after a `#`).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { cliArgs, UsageError } from "../../sim/cli-args";

const dir = __dirname;
const HELP = "usage: tsx test/bench/run.ts [NAME-PREFIX] [--sales N]   (--sales: sales timed by sim.bench, default 300)";
const benches = fs.readdirSync(dir).filter((f) => f.endsWith(".bench.ts")).sort();
const parsed = cliArgs("bench", process.argv.slice(2), { sales: { type: "int", min: 1 } }, HELP, { max: 1, name: "name prefix" },
  ({ positionals }) => {
    const only = positionals[0];
    if (only && !benches.some((f) => f.startsWith(only))) throw new UsageError(`no bench named ${only}* (benches: ${benches.join(", ")})`);
  });
if (typeof parsed === "number") process.exit(parsed);
const only = parsed.positionals[0];
let failed = 0;
for (const f of benches) {
  if (only && !f.startsWith(only)) continue;
  console.log(`# ${f}`);
  const extra = f === "sim.bench.ts" && parsed.values.sales !== undefined ? [String(parsed.values.sales)] : [];
  const r = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(dir, f), ...extra], { stdio: "inherit" });
  if (r.status !== 0) { failed++; console.log(`# ${f} failed with exit code ${r.status}`); }
}
process.exitCode = failed ? 1 : 0;
