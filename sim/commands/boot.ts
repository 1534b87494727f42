// pos-sim boot: boot a bundle headless in virtual time and print its console.
import { createWorld, displayText, WorldSetupError } from "../harness";

export const summary = "boot a bundle headless and print its console (--board B --bundle F --seconds S)";

export interface BootArgs { board: string; bundle?: string; seconds: number; speed?: number; help?: boolean; }

export function parseArgs(args: string[], defaults: { seconds: number }): BootArgs {
  const out: BootArgs = { board: process.env.BOARD || "pos-esp32-v1", seconds: defaults.seconds };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const val = () => {
      const v = args[++i];
      if (v === undefined) throw new WorldSetupError(`${a} needs a value`);
      return v;
    };
    if (a === "--board") out.board = val();
    else if (a === "--bundle") out.bundle = val();
    else if (a === "--seconds") {
      out.seconds = Number(val());
      if (!(out.seconds >= 0)) throw new WorldSetupError("--seconds needs a number >= 0");
    } else if (a === "--speed") {
      out.speed = Number(val());
      if (!(out.speed > 0)) throw new WorldSetupError("--speed needs a number > 0");
    } else if (a === "--help" || a === "-h") out.help = true;
    else throw new WorldSetupError(`unknown option '${a}'`);
  }
  return out;
}

export function run(args: string[]): number {
  let a: BootArgs;
  try { a = parseArgs(args, { seconds: 5 }); } catch (e) { console.error("pos-sim boot: " + (e as Error).message); return 2; }
  if (a.help) {
    console.log("usage: pos-sim boot [--board B] [--bundle dist/B/firmware.js] [--seconds 5]\n" +
      "Boots the bundle in virtual time, prints the console, exits 1 if the bundle throws while loading.");
    return 0;
  }
  let world;
  try {
    world = createWorld({ board: a.board, bundle: a.bundle, boot: false });
  } catch (e) {
    if (e instanceof WorldSetupError) { console.error("pos-sim boot: " + e.message); return 2; }
    throw e;
  }
  for (const w of world.warnings) console.error("warning: " + w);
  world.onConsole((line) => console.log(displayText(line)));
  world.powerOn();
  if (world.loadError) {
    console.error(`pos-sim boot: the firmware threw while loading: ${world.loadError}`);
    return 1;
  }
  world.run(a.seconds);
  return 0;
}
