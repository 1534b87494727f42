// make bench: runs every test/bench/*.bench.ts in turn. Each prints figures as
// `name: value unit` lines (anchors and goals may follow after a `#`).
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const dir = __dirname;
const only = process.argv[2];
let failed = 0;
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".bench.ts")).sort()) {
  if (only && !f.startsWith(only)) continue;
  console.log(`# ${f}`);
  const r = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(dir, f)], { stdio: "inherit" });
  if (r.status !== 0) { failed++; console.log(`# ${f} failed with exit code ${r.status}`); }
}
process.exitCode = failed ? 1 : 0;
