// The loader's decision (docs/update.md): which slot to boot, counting a trial boot BEFORE the
// candidate is loaded and rolling back a trial that started MAX_TRIALS times without READY.
// Pure over a BootControl and a slot check, so it is unit-tested without a device.
import { BootControl, BootState, Boot, SlotInfo } from "./bootctl";

export interface Choice { slot: number; trial: boolean; note: string; }

/** fileOk(slot): the slot's Storage file exists with the length and CRC the snapshot holds;
 *  fileInfo(slot): its length and CRC-32 (version 0: unknown), null when it does not exist */
export function chooseSlot(ctl: BootControl, fileOk: (slot: number) => boolean, fileInfo?: (slot: number) => SlotInfo | null): Choice {
  var s = ctl.state;
  if (!s) {
    // no boot control yet (slots written by hand or an older flash tool, or both copies bad):
    // the first slot that exists, recorded as confirmed so that updates can start from it
    var first = fileOk(0) ? 0 : fileOk(1) ? 1 : -1;
    var info = first >= 0 && fileInfo ? fileInfo(first) : null;
    if (!info) return { slot: first, trial: false, note: "no boot control" };
    var init: BootState = { seq: 0, active: first, trial: false, failed: 0, slots: [{ version: 0, length: 0, crc: 0, fmt: 0 }, { version: 0, length: 0, crc: 0, fmt: 0 }] };
    init.slots[first] = info;
    var e = ctl.save(init);
    return { slot: first, trial: false, note: "no boot control: " + (e ? e : "recorded slot " + first) };
  }
  var other = 1 - s.active;
  var rollback = function (why: string): Choice {
    if (!fileOk(other)) return { slot: fileOk(s!.active) ? s!.active : -1, trial: s!.trial, note: why + "; no previous version to roll back to" };
    var next: BootState = { seq: 0, active: other, trial: false, failed: s!.slots[s!.active]!.version, slots: [{ version: 0, length: 0, crc: 0, fmt: 0 }, { version: 0, length: 0, crc: 0, fmt: 0 }] };
    next.slots[other] = s!.slots[other]!;
    var err = ctl.save(next);
    return { slot: other, trial: false, note: why + "; rolled back to v" + s!.slots[other]!.version + (err ? " (" + err + ")" : "") };
  };
  if (!s.trial) {
    if (fileOk(s.active)) return { slot: s.active, trial: false, note: "" };
    return rollback("slot " + s.active + " damaged");
  }
  var n = ctl.attempts();
  if (n >= Boot.Trials) return rollback("v" + s.slots[s.active]!.version + " did not reach READY in " + n + " boots");
  if (!fileOk(s.active)) return rollback("trial slot " + s.active + " damaged");
  // counted before the candidate runs: a crash anywhere after this line is one attempt
  ctl.countAttempt();
  return { slot: s.active, trial: true, note: "trial boot " + (n + 1) + " of " + Boot.Trials };
}
