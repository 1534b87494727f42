// display.* figures: I2C bytes on the wire (address byte + control byte + payload, every
// transaction) for screen changes, through Graphics -> Ssd1306 -> simulated I2C -> virtual panel.
import { displayRig } from "../support/ssd1306-rig";
import * as ui from "../../firmware/ui/screens";
import { parseDigits } from "../../firmware/util/money";

const r = displayRig();
const hint = "ENTER ok  CLEAR del";
function wireFor(draw: () => void): number {
  const before = r.wire();
  draw();
  r.drv.flip(r.g);
  return r.wire() - before;
}

// a full screen change: menu -> amount entry
wireFor(() => ui.screenMenu(r.g, "MENU", ["Sale", "Refund", "Void", "Settlement", "Reports"], 0));
const full = wireFor(() => ui.screenAmount(r.g, "SALE", "Amount", 0, "EUR", hint));

// typical: one digit typed during amount entry ("" -> "1" -> ... -> "1234567")
const typed = "1234567";
let sum = 0, max = 0;
for (let i = 1; i <= typed.length; i++) {
  const n = wireFor(() => ui.screenAmount(r.g, "SALE", "Amount", parseDigits(typed.substr(0, i)), "EUR", hint));
  sum += n;
  if (n > max) max = n;
}

// the same amount screen sent as a whole frame (what a flip without diffing costs)
r.drv.invalidate();
const naive = wireFor(() => ui.screenAmount(r.g, "SALE", "Amount", 1234567, "EUR", hint));

console.log(`display.bytes_per_screen_change: ${Math.round(sum / typed.length)} bytes  # amount entry, one digit typed (mean of ${typed.length}; max ${max})`);
console.log(`display.bytes_full_screen_change: ${full} bytes  # menu -> amount entry`);
console.log(`display.bytes_full_frame: ${naive} bytes  # whole 1024-byte frame in 64-byte chunks, no diff`);
