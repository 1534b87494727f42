// pos-sim snapshot: boot the terminal (optionally play a scenario to reach a state) and write
// the display and the receipt paper as PNG files: what the UI's "x" key does, for scripts.
import * as fs from "fs";
import * as path from "path";
import { parseScenario, ScenarioError } from "../scenario/format";
import { runScenario } from "../scenario/runner";
import { SimTarget } from "../scenario/target-sim";
import { snapshot } from "../ui/bind";

export const summary = "write display.png and receipt.png after booting or after a scenario (--scenario F --out DIR)";

const HELP = `usage: pos-sim snapshot [--board B] [--bundle F] [--scenario FILE] [--seconds S] [--out DIR]
  Boots the terminal, runs the scenario (if any) or S virtual seconds (default 5), then writes
  DIR/display.png and DIR/receipt.png (DIR defaults to ./snapshots).`;

export function run(args: string[]): number {
  let board: string | undefined, bundle: string | undefined, scenarioFile: string | undefined;
  let out = "snapshots", seconds = 5;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const val = (): string => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === "--help" || a === "-h") { console.log(HELP); return 0; }
      else if (a === "--board") board = val();
      else if (a === "--bundle") bundle = val();
      else if (a === "--scenario") scenarioFile = val();
      else if (a === "--out") out = val();
      else if (a === "--seconds") {
        seconds = Number(val());
        if (!(seconds >= 0)) throw new Error("--seconds needs a number >= 0");
      } else throw new Error(`unknown option '${a}'`);
    } catch (e) { console.error(`pos-sim snapshot: ${(e as Error).message}\n${HELP}`); return 2; }
  }
  let sc;
  if (scenarioFile) {
    try { sc = parseScenario(fs.readFileSync(scenarioFile, "utf8"), path.basename(scenarioFile)); } catch (e) {
      console.error(`pos-sim snapshot: ${e instanceof ScenarioError ? e.message : `cannot read ${scenarioFile}: ${(e as Error).message}`}`);
      return 2;
    }
  }
  let target: SimTarget;
  try {
    target = new SimTarget({ board: board ?? sc?.board ?? "pos-esp32-v1", bundle, acquirer: sc?.acquirer });
  } catch (e) { console.error(`pos-sim snapshot: ${(e as Error).message}`); return 2; }
  if (sc) {
    const rep = runScenario(sc, target);
    if (!rep.ok) { console.error(`pos-sim snapshot: scenario failed, not writing snapshots: ${rep.failure}`); return 1; }
  } else target.run(seconds);
  for (const f of snapshot(target, out)) console.log(f);
  return 0;
}
