// pos-sim run <scenario.json>...: runs scripted sessions on the simulated terminal (the built
// bundle on the default board, acquirer in-process), prints a step-by-step report and exits 1
// on the first failed expectation of any file (2 on bad usage or a bad scenario file).
import * as fs from "fs";
import * as path from "path";
import { cliArgs } from "../cli-args";
import { parseScenario, Scenario, ScenarioError } from "../scenario/format";
import { runScenario } from "../scenario/runner";
import { SimTarget, scenarioOptions } from "../scenario/target-sim";

export const summary = "run scenario files (keys, cards, power, network, paper, expectations) headless";

const HELP = `usage: pos-sim run [--board NAME] [--bundle FILE] [--quiet] [--flash-out FILE] <scenario.json>...
  Runs each scenario on a fresh simulated terminal (fresh flash, acquirer in-process).
  --flash-out FILE (one scenario): afterwards, writes the board's raw flash partition (journal,
  audit trail, ...; 64 KiB at 0x310000 on pos-esp32-v1) to FILE, e.g. for \`pos-sim audit FILE\`.
  Format: docs/scenarios.md. Exit code: 0 all passed, 1 an expectation failed, 2 bad usage/file.`;

export function run(args: string[]): number {
  const p = cliArgs("pos-sim run", args, {
    board: { type: "string" }, bundle: { type: "string" }, quiet: { type: "boolean", short: "q" }, "flash-out": { type: "string" },
  }, HELP, { min: 1, name: "<scenario.json>" });
  if (typeof p === "number") return p;
  const flashOut = p.values["flash-out"];
  if (flashOut !== undefined && p.positionals.length !== 1) { console.error("pos-sim run: --flash-out takes exactly one scenario file"); return 2; }
  const { board, bundle } = p.values, quiet = !!p.values.quiet;
  const files = p.positionals;
  // every file is read and checked before anything runs
  const scenarios: { file: string; sc: Scenario }[] = [];
  for (const f of files) {
    let text: string;
    try { text = fs.readFileSync(f, "utf8"); } catch (e) {
      console.error(`pos-sim run: cannot read ${f}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
      return 2;
    }
    try { scenarios.push({ file: f, sc: parseScenario(text, f) }); } catch (e) {
      if (e instanceof ScenarioError) { console.error(`pos-sim run: ${e.message}`); return 2; }
      throw e;
    }
  }
  let failed = 0;
  for (const { file: f, sc } of scenarios) {
    let target: SimTarget;
    try {
      target = new SimTarget({ board: board ?? sc.board ?? "pos-esp32-v1", bundle, ...scenarioOptions(sc) });
    } catch (e) { console.error(`pos-sim run: ${(e as Error).message}`); return 2; }
    console.log(`# ${sc.name} (${path.basename(f)})`);
    const rep = runScenario(sc, target, quiet ? () => {} : (l) => console.log(l));
    const errs = target.world.errors;
    if (errs.length) for (const e of errs) console.log(`  firmware exception at ${e.time.toFixed(2)} s: ${e.message}${e.position ? " (" + e.position + ")" : ""}`);
    if (rep.ok) console.log(`PASS ${sc.name}: ${rep.steps.length} steps, ${target.now().toFixed(1)} s virtual`);
    else { failed++; console.log(`FAIL ${sc.name}: ${rep.failure}`); }
    if (flashOut !== undefined) {
      const part = target.world.board.partitions.flash;
      try { fs.writeFileSync(flashOut, target.world.flash.image(part.base)); } catch (e) {
        console.error(`pos-sim run: cannot write ${flashOut}: ${(e as Error).message}`);
        return 2;
      }
      console.log(`flash: ${flashOut}: ${part.size} bytes of the raw flash partition at 0x${part.base.toString(16)}`);
    }
  }
  if (files.length > 1) console.log(`${files.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
