// `make sim`: an update server on the virtual network offering the running bundle as the next
// version (its tag's version + 1), signed with the firmware's TEST-ONLY default update key, so
// MENU 0 SERVICE, 4 UPDATE can be tried at once (docs/update.md). A scenario's "updateServer"
// does the same (sim/scenario/target-sim.ts offerUpdate).
import type { World } from "../harness";
import type { UpdateServer } from "./server";
import { offerUpdate } from "../scenario/target-sim";

/** the server, or null when the bundle has no firmware tag (a probe, the selftest) */
export function attachDemoUpdate(world: World): UpdateServer | null {
  try { return offerUpdate(world); } catch { return null; }
}
