// pos-sim sim: boot the board's bundle and show the firmware console against virtual time,
// paced to the wall clock. The full terminal UI builds on the same world (sim/harness.ts).
import { createWorld, WorldSetupError } from "../harness";
import { parseArgs, type BootArgs } from "./boot";

export const summary = "run the firmware paced to the wall clock, showing its console (--board B --speed X)";

export function run(args: string[]): Promise<number> | number {
  let a: BootArgs;
  try { a = parseArgs(args, { seconds: Infinity }); } catch (e) { console.error("pos-sim sim: " + (e as Error).message); return 2; }
  if (a.help) {
    console.log("usage: pos-sim sim [--board B] [--bundle F] [--speed 1] [--seconds S]\nCtrl-C stops.");
    return 0;
  }
  let world;
  try { world = createWorld({ board: a.board, bundle: a.bundle, boot: false }); } catch (e) {
    if (e instanceof WorldSetupError) { console.error("pos-sim sim: " + e.message); return 2; }
    throw e;
  }
  const w = world;
  for (const msg of w.warnings) console.error("warning: " + msg);
  const stamp = () => w.clock.now().toFixed(3).padStart(9);
  w.onConsole((line) => console.log(`[${stamp()}] ${line}`));
  console.log(`pos-sim: ${w.board.name} booting ${w.bundlePath} (virtual time, x${a.speed ?? 1}; Ctrl-C stops)`);
  w.powerOn();
  if (w.loadError) { console.error("pos-sim sim: the firmware threw while loading: " + w.loadError); return 1; }
  return new Promise<number>((resolve) => {
    const stop = w.startRealtime({
      speed: a.speed ?? 1,
      onTick: () => { if (w.clock.now() >= a.seconds) finish(0); },
    });
    const finish = (code: number) => { stop(); process.off("SIGINT", onInt); resolve(code); };
    const onInt = () => { console.log(`\n[${stamp()}] stopped`); finish(0); };
    process.on("SIGINT", onInt);
  });
}
