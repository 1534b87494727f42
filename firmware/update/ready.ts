// READY: the app reached its idle screen. A version booted on trial is confirmed (one boot-
// control snapshot), so the loader stops counting its boots; a rollback the loader made is
// reported. Normal boots only read 64 bytes twice.
import { FlashDevice } from "../../drivers/hal";
import { bootControl, BootRegion, BootState } from "./bootctl";
import { firmwareVersion } from "./version";

export function markReady(flash: FlashDevice, region: BootRegion, crc32: (d: Uint8Array) => number, log: (l: string) => void): void {
  var ctl = bootControl(flash, region, crc32);
  var s = ctl.state;
  if (s && s.failed) log("update: v" + s.failed + " did not reach READY: rolled back to v" + s.slots[s.active]!.version);
  // written once per update or rollback (the rollback note is cleared once reported)
  if (s && (s.trial || s.failed)) {
    var next: BootState = { seq: 0, active: s.active, trial: false, failed: 0, slots: s.slots };
    var err = ctl.save(next);
    log(err ? "update: confirm failed: " + err : s.trial ? "update: v" + firmwareVersion() + " confirmed (READY)" : "update: rollback noted");
  }
  if (global.__trialTimer) { clearTimeout(global.__trialTimer); delete global.__trialTimer; }
}
