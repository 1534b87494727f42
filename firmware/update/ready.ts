// READY: the app reached its idle screen. A version booted on trial is confirmed (one boot-
// control snapshot), so the loader stops counting its boots; a rollback the loader made is
// reported. Normal boots only read 64 bytes twice.
import { FlashDevice } from "../../drivers/hal";
import { BootRegion, BootState } from "./bootctl";
import { updateKit } from "./kit";
import { AuditPort } from "../app/ports";
import { AuditEvent, AuditRole } from "../audit/format";

/** audit: the trail gets the rollback (a: the version that failed, b: the one running) and
 *  the confirmed update (a: its version) */
export function markReady(flash: FlashDevice, region: BootRegion, log: (l: string) => void, audit?: AuditPort): void {
  if (global.__trialTimer) { clearTimeout(global.__trialTimer); delete global.__trialTimer; }
  // the usual boot (confirmed, nothing to report) is decided from the newest header's bytes,
  // without updateKit(): its closures would be cyclic garbage (about 140 JsVars until the
  // next collection, measured on the twin)
  var newest = -1, newestSeq = -1, h: Uint8Array | null = null;
  for (var i = 0; i < 2; i++) {
    var b = flash.read(16, region.base + i * region.sectorSize);
    var seq = (b[4]! | (b[5]! << 8) | (b[6]! << 16) | (b[7]! << 24)) >>> 0;
    if (b[0] === 0x42 && b[1] === 0x4F && b[2] === 0x4F && b[3] === 0x54 && seq > newestSeq) { newest = i; newestSeq = seq; h = b; }
  }
  if (newest < 0 || (h![9] === 0 && (h![12]! | h![13]! | h![14]! | h![15]!) === 0)) return;
  var kit = updateKit(flash, region, "");
  var ctl = kit.ctl;
  var s = ctl.state;
  if (s && s.failed) {
    log("update: v" + s.failed + " did not reach READY: rolled back to v" + s.slots[s.active]!.version);
    if (audit) audit.append(AuditEvent.UpdateRolledBack, AuditRole.System, s.failed, s.slots[s.active]!.version);
  }
  // written once per update or rollback (the rollback note is cleared once reported)
  if (s && (s.trial || s.failed)) {
    var next: BootState = { seq: 0, active: s.active, trial: false, failed: 0, slots: s.slots };
    var err = ctl.save(next);
    log(err ? "update: confirm failed: " + err : s.trial ? "update: v" + kit.version + " confirmed (READY)" : "update: rollback noted");
    if (!err && s.trial && audit) audit.append(AuditEvent.UpdateApplied, AuditRole.System, kit.version, 0);
  }
}
