// make fuzz: runs every test/fuzz/*.fuzz.ts with --iterations N (default 10^6) and --seed S.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const args = process.argv.slice(2);
let failed = 0;
for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith(".fuzz.ts")).sort()) {
  console.log(`# ${f}`);
  const r = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(__dirname, f), ...args], { stdio: "inherit" });
  if (r.status !== 0) { failed++; console.log(`# ${f} failed with exit code ${r.status}`); }
}
process.exitCode = failed ? 1 : 0;
