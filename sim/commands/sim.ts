// pos-sim sim (make sim): the simulated terminal. On a terminal it opens the interactive UI
// (sim/ui); with --console, or when output is not a terminal, it prints the firmware console
// paced to the wall clock; with --scenario it runs a scenario file headless (pos-sim run).
import * as fs from "fs";
import { createWorld, defaultBundle, readBoard, WorldSetupError } from "../harness";
import { gate } from "../toolchain/gate";

export const summary = "the simulated terminal: interactive UI (--board B --speed X; --console, --scenario F)";

interface SimArgs { board: string; bundle?: string; speed: number; seconds: number; console: boolean; scenario?: string; snapshots?: string; seed?: number; help?: boolean; }

const USAGE = `usage: pos-sim sim [--board B] [--bundle F] [--speed X] [--snapshots DIR] [--seed N]
       pos-sim sim --console [--seconds S]     firmware console only, paced to the wall clock
       pos-sim sim --scenario FILE             run a scenario headless (same as pos-sim run FILE)
In the interactive UI press ? for the key list; q quits.`;

function parse(args: string[]): SimArgs {
  const out: SimArgs = { board: process.env.BOARD || "pos-esp32-v1", speed: 1, seconds: Infinity, console: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const val = () => {
      const v = args[++i];
      if (v === undefined) throw new WorldSetupError(`${a} needs a value`);
      return v;
    };
    const num = (min: number) => {
      const n = Number(val());
      if (!(n >= min)) throw new WorldSetupError(`${a} needs a number >= ${min}`);
      return n;
    };
    if (a === "--board") out.board = val();
    else if (a === "--bundle") out.bundle = val();
    else if (a === "--speed") out.speed = num(0.01);
    else if (a === "--seconds") out.seconds = num(0);
    else if (a === "--seed") out.seed = num(0);
    else if (a === "--console") out.console = true;
    else if (a === "--scenario") out.scenario = val();
    else if (a === "--snapshots") out.snapshots = val();
    else if (a === "--help" || a === "-h") out.help = true;
    else throw new WorldSetupError(`unknown option '${a}'`);
  }
  return out;
}

export async function run(args: string[]): Promise<number> {
  let a: SimArgs;
  try { a = parse(args); } catch (e) { console.error("pos-sim sim: " + (e as Error).message + "\n" + USAGE); return 2; }
  if (a.help) { console.log(USAGE); return 0; }
  if (a.scenario) return await require("./run").run([a.scenario, ...(a.board ? ["--board", a.board] : [])]);
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
  const map = fs.existsSync(file + ".map") ? JSON.parse(fs.readFileSync(file + ".map", "utf8")) : undefined;
  const r = gate(fs.readFileSync(file, "latin1"), { map });
  if (!r.errors.length) return null;
  return `${file} fails the Espruino dialect gate, so it would not run on the board:\n  ` +
    r.errors.slice(0, 10).join("\n  ") + (r.errors.length > 10 ? `\n  ... and ${r.errors.length - 10} more` : "") +
    "\nRebuild with `make build`, which reports these against the TypeScript sources.";
}
