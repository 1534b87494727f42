// The keypad role on a key matrix (descriptor: part.spec.ts): key names from the board file,
// single presses only (long presses and repeats are for the probe).
import { PartDeps } from "../parts";
import { Keypad } from "./keypad";
import type { KeypadEntry } from "./part.spec";

export function keypadMatrix(e: KeypadEntry, d: PartDeps): { onKey(fn: (key: string) => void): void } {
  var kp = new Keypad({ io: d.io, rows: e.rows, cols: e.cols, keys: e.keys });
  return {
    onKey: function (fn) {
      kp.start(function (ev) { if (!ev.long && !ev.repeat) fn(ev.key); }, function () { d.log("keypad: ambiguous keys ignored"); });
    },
  };
}
