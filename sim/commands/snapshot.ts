// pos-sim snapshot: boot the terminal (optionally play a scenario to reach a state) and write
// the display and the receipt paper as PNG files: what the UI's "x" key does, for scripts.
import * as fs from "fs";
import * as path from "path";
import { cliArgs, fileInTheWay, UsageError } from "../cli-args";
import { parseScenario, ScenarioError } from "../scenario/format";
import { runScenario } from "../scenario/runner";
import { SimTarget, scenarioOptions } from "../scenario/target-sim";
import { snapshot } from "../ui/bind";

export const summary = "write display.png and receipt.png after booting or after a scenario (--scenario F --out DIR)";

const HELP = `usage: pos-sim snapshot [--board B] [--bundle F] [--scenario FILE] [--seconds S] [--out DIR]
  Boots the terminal, runs the scenario (if any) or S virtual seconds (default 5), then writes
  DIR/display.png and DIR/receipt.png (DIR defaults to ./snapshots).`;

export function run(args: string[]): number {
  const p = cliArgs("pos-sim snapshot", args, {
    board: { type: "string" }, bundle: { type: "string" }, scenario: { type: "string" }, out: { type: "string" },
    seconds: { type: "number", min: 0 },
  }, HELP, { max: 0 }, ({ values }) => {
    const file = values.out === undefined ? null : fileInTheWay(values.out);
    if (file) throw new UsageError(`--out ${values.out}: ${file} exists and is not a directory`);
  });
  if (typeof p === "number") return p;
  const { board, bundle, scenario: scenarioFile } = p.values;
  const out = p.values.out ?? "snapshots", seconds = p.values.seconds ?? 5;
  let sc;
  if (scenarioFile) {
    try { sc = parseScenario(fs.readFileSync(scenarioFile, "utf8"), scenarioFile); } catch (e) {
      console.error(`pos-sim snapshot: ${e instanceof ScenarioError ? e.message : `cannot read ${scenarioFile}: ${(e as Error).message}`}`);
      return 2;
    }
  }
  let target: SimTarget;
  try {
    target = new SimTarget({ board: board ?? sc?.board ?? "pos-esp32-v1", bundle, ...(sc ? scenarioOptions(sc) : {}) });
  } catch (e) { console.error(`pos-sim snapshot: ${(e as Error).message}`); return 2; }
  if (sc) {
    const rep = runScenario(sc, target);
    if (!rep.ok) { console.error(`pos-sim snapshot: scenario failed, not writing snapshots: ${rep.failure}`); return 1; }
  } else target.run(seconds);
  let files: string[];
  try { files = snapshot(target, out); } catch (e) {
    console.error(`pos-sim snapshot: cannot write to ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return 1;
  }
  for (const f of files) console.log(f);
  return 0;
}
