// The boot loader (dist/<board>/loader.js, written to Storage as .bootcde): reads the boot
// control, picks the slot (firmware/update/choose.ts), checks the slot file's length and
// CRC-32, then evaluates it from Storage. Storage.read returns a memory-mapped string, so the
// firmware's function bodies stay in flash as when it is .bootcde itself; the interpreter then
// calls the firmware's onInit as after any boot code.
// A trial boot that has not reached READY after TRIAL_SECONDS resets the chip (a firmware that
// hangs or throws in onInit then uses up its attempts and is rolled back); the firmware clears
// that timer at READY through global.__trialTimer.
// The build wraps this bundle in a function (tools/build.ts LOADER_WRAP), so none of the
// loader's names stays a global, and then evaluates global.__bootCode at the top level, as
// the interpreter evaluates .bootcde (the firmware's top-level names become globals).
import readBoard from "@board";
import { bootControl, Slot } from "./bootctl";
import { chooseSlot } from "./choose";

var TRIAL_SECONDS = 180;

function loaderPick(): string | undefined {
  var storage = require("Storage");
  var flash = require("Flash");
  var region = readBoard().flashRegions.boot;
  var ctl = bootControl(flash, region, E.CRC32);
  var fileOk = function (slot: number): boolean {
    var f = storage.read(slot ? Slot.B : Slot.A);
    if (!f) return false;
    var s = ctl.state;
    if (!s) return true;
    var info = s.slots[slot]!;
    return info.length > 0 && f.length === info.length && E.CRC32(f) === info.crc;
  };
  var c = chooseSlot(ctl, fileOk, function (slot: number) {
    var f = storage.read(slot ? Slot.B : Slot.A);
    if (!f) return null;
    // the bundle's own "POSFW v<version> jf<format>" tag (update/version.ts); 0: no tag
    var at = f.indexOf("POSFW v"), tag = at < 0 ? "" : f.substr(at + 7, 24);
    var jf = tag.indexOf(" jf");
    return { version: parseInt(tag, 10) || 0, length: f.length, crc: E.CRC32(f), fmt: jf < 0 ? 0 : parseInt(tag.substr(jf + 3), 10) || 0 };
  });
  if (c.note) console.log("loader: " + c.note);
  if (c.slot < 0) { console.log("loader: no bootable firmware slot (make flash)"); return undefined; }
  if (c.trial) {
    global.__trialTimer = setTimeout(function () {
      console.log("loader: no READY after 180 s: reset");
      E.reboot();
    }, TRIAL_SECONDS * 1000);
  }
  return storage.read(c.slot ? Slot.B : Slot.A);
}

global.__bootCode = loaderPick();
