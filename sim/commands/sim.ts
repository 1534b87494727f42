// pos-sim sim (make sim): the simulated terminal. On a terminal it opens the interactive UI
// (sim/ui); with --console, or when output is not a terminal, it prints the firmware console
// paced to the wall clock; with --scenario it runs a scenario file headless (pos-sim run).
import * as fs from "fs";
import { createWorld, defaultBundle, readBoard, WorldSetupError } from "../harness";
import { gate } from "../../tools/gate";
import { cliArgs, fileInTheWay, UsageError } from "../cli-args";

export const summary = "the simulated terminal: interactive UI (--board B --speed X; --console, --scenario F)";

interface SimArgs { board: string; bundle?: string; speed: number; seconds: number; console: boolean; scenario?: string; snapshots?: string; seed?: number; }

const USAGE = `usage: pos-sim sim [--board B] [--bundle F] [--speed X] [--snapshots DIR] [--seed N]
       pos-sim sim --console [--seconds S]     firmware console only, paced to the wall clock
       pos-sim sim --scenario FILE             run a scenario headless (same as pos-sim run FILE)
In the interactive UI press ? for the key list; q quits.`;

export async function run(args: string[]): Promise<number> {
  const p = cliArgs("pos-sim sim", args, {
    board: { type: "string" }, bundle: { type: "string" }, speed: { type: "number", min: 0.01 }, seconds: { type: "number", min: 0 },
    seed: { type: "int", min: 0 }, console: { type: "boolean" }, scenario: { type: "string" }, snapshots: { type: "string" },
  }, USAGE, { max: 0 }, ({ values }) => {
    const file = values.snapshots === undefined ? null : fileInTheWay(values.snapshots);
    if (file) throw new UsageError(`--snapshots ${values.snapshots}: ${file} exists and is not a directory`);
  });
  if (typeof p === "number") return p;
  const v = p.values;
  const a: SimArgs = { board: v.board ?? (process.env.BOARD || "pos-esp32-v1"), bundle: v.bundle, speed: v.speed ?? 1,
    seconds: v.seconds ?? Infinity, console: !!v.console, scenario: v.scenario, snapshots: v.snapshots, seed: v.seed };
  if (a.scenario) return await require("./run").run([a.scenario, "--board", a.board, ...(a.bundle ? ["--bundle", a.bundle] : [])]);
  const problem = checkBundle(a);
  if (problem) { console.error("pos-sim sim: " + problem); return 2; }
  if (!a.console && process.stdout.isTTY && process.stdin.isTTY) {
    const { runInteractive } = require("../ui/main");
    return await runInteractive({ board: a.board, bundle: a.bundle, speed: a.speed, snapshotDir: a.snapshots, seed: a.seed });
  }
  return consoleView(a);
}

function consoleView(a: SimArgs): Promise<number> | number {
  let world;
  try { world = createWorld({ board: a.board, bundle: a.bundle, boot: false }); } catch (e) {
    if (e instanceof WorldSetupError) { console.error("pos-sim sim: " + e.message); return 2; }
    throw e;
  }
  const w = world;
  for (const msg of w.warnings) console.error("warning: " + msg);
  const stamp = () => w.clock.now().toFixed(3).padStart(9);
  w.onConsole((line) => console.log(`[${stamp()}] ${line}`));
  console.log(`pos-sim: ${w.board.name} booting ${w.bundlePath} (virtual time, x${a.speed}; Ctrl-C stops)`);
  w.powerOn();
  if (w.loadError) { console.error("pos-sim sim: the firmware threw while loading: " + w.loadError); return 1; }
  return new Promise<number>((resolve) => {
    const stop = w.startRealtime({
      speed: a.speed,
      onTick: () => { if (w.clock.now() >= a.seconds) finish(0); },
    });
    const finish = (code: number) => { stop(); process.off("SIGINT", onInt); resolve(code); };
    const onInt = () => { console.log(`\n[${stamp()}] stopped`); finish(0); };
    process.on("SIGINT", onInt);
  });
}

/** the board exists, the bundle is built and passes the dialect gate (a bundle built by hand
 *  or by an older toolchain could run here and still fail on the device) */
function checkBundle(a: SimArgs): string | null {
  try { readBoard(a.board); } catch (e) { return (e as Error).message; }
  const file = a.bundle ?? defaultBundle(a.board);
  if (!fs.existsSync(file)) return `bundle not built: ${file} is missing (run \`make build\`)`;
  if (fs.statSync(file).isDirectory()) return `${file} is a directory, not a bundle file`;
  const map = fs.existsSync(file + ".map") ? JSON.parse(fs.readFileSync(file + ".map", "utf8")) : undefined;
  const r = gate(fs.readFileSync(file, "latin1"), { map });
  if (!r.errors.length) return null;
  return `${file} fails the Espruino dialect gate, so it would not run on the board:\n  ` +
    r.errors.slice(0, 10).join("\n  ") + (r.errors.length > 10 ? `\n  ... and ${r.errors.length - 10} more` : "") +
    "\nRebuild with `make build`, which reports these against the TypeScript sources.";
}
