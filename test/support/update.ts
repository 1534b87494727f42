// Shared steps of the firmware-update tests (docs/update.md): an update server on the virtual
// network, the technician's path MENU 0 SERVICE -> 4 UPDATE, and the boot control as stored.
import { strict as assert } from "assert";
import * as fs from "fs";
import { SimTarget, ACQUIRER_HOST, ACQUIRER_PORT } from "../../sim/scenario/target-sim";
import { UpdateServer, UpdateServerOptions } from "../../sim/update/server";
import { crc32, TEST_UPDATE_KEY } from "../../sim/update/image";
import type { BootState } from "../../firmware/update/bootctl";
import { readBootControl } from "../../sim/update/install";
import { SettingsStore, Settings } from "../../firmware/app/settings";
import { defaultBundle } from "../../sim/harness";
import { waitFor } from "./flows";

/** the key the firmware's defaults carry (TEST ONLY) */
export const TEST_KEY = TEST_UPDATE_KEY;
export const UPDATE_PORT = ACQUIRER_PORT + 1;

export function firmwareSource(): string { return fs.readFileSync(defaultBundle("pos-esp32-v1"), "latin1"); }

export function text(t: SimTarget): string { return t.screen().join(" | "); }
export function press(t: SimTarget, keys: string[]): void { for (const k of keys) { t.press(k); t.run(0.15); } }
export function ready(t: SimTarget, within = 30): void {
  assert.ok(waitFor(t, within, () => text(t).includes("READY")), "READY: " + text(t) + "\n" + t.world.console.slice(-8).join("\n"));
}

export function serve(t: SimTarget, o: Partial<UpdateServerOptions> & { image: string }): UpdateServer {
  const s = new UpdateServer({ keyHex: TEST_KEY, ...o });
  s.attach(t.world.net, ACQUIRER_HOST, UPDATE_PORT);
  return s;
}

/** from READY: MENU 0 4, the technician's PIN (a technician duty: docs/roles.md), and on to
 *  the offer; returns the screen then shown */
export function openUpdate(t: SimTarget): string {
  press(t, ["MENU", "0", "4"]);
  assert.ok(text(t).includes("TECHNICIAN PIN"), "PIN gate: " + text(t));
  press(t, ["5", "6", "7", "8", "ENTER"]);
  waitFor(t, 20, () => /Install v|UPDATE FAILED/.test(text(t)));
  return text(t);
}

/** accepts the offer and waits for the download, the check and the switch to finish (the
 *  terminal then restarts) */
export function install(t: SimTarget): void {
  assert.ok(text(t).includes("Install v"), "offer: " + text(t));
  press(t, ["ENTER"]);
  assert.ok(waitFor(t, 120, () => /Restarting|UPDATE FAILED/.test(text(t))), "install: " + text(t));
  assert.ok(text(t).includes("Restarting"), "install: " + text(t) + "\n" + t.world.console.slice(-6).join("\n"));
}

export function bootState(t: SimTarget): BootState | null {
  return readBootControl(t.world.flash, t.world.board).state;
}

/** the settings as stored (the newest valid copy) */
export function storedSettings(t: SimTarget): Settings {
  const f = t.world.flash;
  const store = new SettingsStore({
    flash: { read: (n, a) => f.read(n, a), write: () => { /* load settles tally words: not needed on a copy */ }, erasePage: () => { throw new Error("read only"); } },
    region: t.world.board.flashRegions.settings, crc32: (d) => crc32(d),
  });
  assert.ok(store.load(), "settings readable");
  return store.values;
}

/** the console lines since index `from` that match */
export function consoleSince(t: SimTarget, from: number, re: RegExp): string[] {
  return t.world.console.slice(from).filter((l) => re.test(l));
}
