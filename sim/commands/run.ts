// pos-sim run <scenario.json>...: runs scripted sessions on the simulated terminal (the built
// bundle on the default board, acquirer in-process), prints a step-by-step report and exits 1
// on the first failed expectation of any file (2 on bad usage or a bad scenario file).
import * as fs from "fs";
import * as path from "path";
import { parseScenario, ScenarioError } from "../scenario/format";
import { runScenario } from "../scenario/runner";
import { SimTarget } from "../scenario/target-sim";

export const summary = "run scenario files (keys, cards, power, network, paper, expectations) headless";

const HELP = `usage: pos-sim run [--board NAME] [--bundle FILE] [--quiet] <scenario.json>...
  Runs each scenario on a fresh simulated terminal (fresh flash, acquirer in-process).
  Format: docs/scenarios.md. Exit code: 0 all passed, 1 an expectation failed, 2 bad usage/file.`;

export function run(args: string[]): number {
  let board: string | undefined, bundle: string | undefined, quiet = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--help" || a === "-h") { console.log(HELP); return 0; }
    else if (a === "--board") board = args[++i];
    else if (a === "--bundle") bundle = args[++i];
    else if (a === "--quiet" || a === "-q") quiet = true;
    else if (a.startsWith("-")) { console.error(`pos-sim run: unknown option ${a}\n${HELP}`); return 2; }
    else files.push(a);
  }
  if (!files.length) { console.error(HELP); return 2; }
  let failed = 0;
  for (const f of files) {
    let text: string;
    try { text = fs.readFileSync(f, "utf8"); } catch (e) { console.error(`pos-sim run: cannot read ${f}: ${(e as Error).message}`); return 2; }
    let sc;
    try { sc = parseScenario(text, path.basename(f)); } catch (e) {
      if (e instanceof ScenarioError) { console.error(`pos-sim run: ${e.message}`); return 2; }
      throw e;
    }
    let target: SimTarget;
    try {
      target = new SimTarget({ board: board ?? sc.board ?? "pos-esp32-v1", bundle, acquirer: sc.acquirer });
    } catch (e) { console.error(`pos-sim run: ${(e as Error).message}`); return 2; }
    console.log(`# ${sc.name} (${path.basename(f)})`);
    const rep = runScenario(sc, target, quiet ? () => {} : (l) => console.log(l));
    const errs = target.world.errors;
    if (errs.length) for (const e of errs) console.log(`  firmware exception at ${e.time.toFixed(2)} s: ${e.message}${e.position ? " (" + e.position + ")" : ""}`);
    if (rep.ok) console.log(`PASS ${sc.name}: ${rep.steps.length} steps, ${target.now().toFixed(1)} s virtual`);
    else { failed++; console.log(`FAIL ${sc.name}: ${rep.failure}`); }
  }
  if (files.length > 1) console.log(`${files.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
