// `make sim` / `npx pos-sim sim`: the terminal on a laptop screen.
import { SimTarget } from "../scenario/target-sim";
import { WorldSetupError } from "../harness";
import { TerminalUi } from "./app";
import { bindWorld } from "./bind";
import { createCampaign } from "./campaign";
import { attachDemoUpdate } from "../update/demo";

export interface InteractiveOptions { board: string; bundle?: string; speed?: number; snapshotDir?: string; seed?: number; }

export async function runInteractive(o: InteractiveOptions): Promise<number> {
  let target: SimTarget;
  try {
    target = new SimTarget({ board: o.board, bundle: o.bundle, seed: o.seed });
  } catch (e) {
    if (e instanceof WorldSetupError) { console.error("pos-sim sim: " + e.message); return 2; }
    throw e;
  }
  if (target.world.loadError) {
    // keep going: the user can still see the log, cut power and inspect state
    target.world.console.push("firmware failed to load: " + target.world.loadError);
  }
  for (const w of target.world.warnings) target.world.console.push("warning: " + w);
  attachDemoUpdate(target.world);
  const world = bindWorld(target);
  world.campaign = createCampaign({ board: o.board, bundle: o.bundle });
  const ui = new TerminalUi(world, { input: process.stdin, output: process.stdout, speed: o.speed, snapshotDir: o.snapshotDir });
  await ui.run();
  return 0;
}
