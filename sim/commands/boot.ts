// pos-sim boot: boot a bundle headless in virtual time and print its console.
import { cliArgs } from "../cli-args";
import { createWorld, displayText, WorldSetupError } from "../harness";

export const summary = "boot a bundle headless and print its console (--board B --bundle F --seconds S)";

const HELP = `usage: pos-sim boot [--board B] [--bundle dist/B/firmware.js] [--seconds 5]
Boots the bundle in virtual time, prints the console, exits 1 if the bundle throws while loading.`;

export function run(args: string[]): number {
  const p = cliArgs("pos-sim boot", args, {
    board: { type: "string" }, bundle: { type: "string" }, seconds: { type: "number", min: 0 },
  }, HELP);
  if (typeof p === "number") return p;
  const a = { board: p.values.board ?? (process.env.BOARD || "pos-esp32-v1"), bundle: p.values.bundle, seconds: p.values.seconds ?? 5 };
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
