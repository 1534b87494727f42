// Bring-up probe for the keypad matrix: checks the idle column levels (a column reading low
// with every row released is shorted to ground), reports keys down at start as stuck, then
// prints every key with the raw row/column hits behind it, ghost masks, long holds, and
// how many of the keys have been seen. Lines start with "keypad:".
import type { Io } from "../../drivers/hal";
import { Keypad } from "../../drivers/keypad/keypad";
import { describeHits, keyName, bitCount } from "../../drivers/keypad/keymap";

export interface KeypadProbeOptions {
  io: Io;
  spec: { rows: number[]; cols: number[]; keys: string[][] } | undefined;
  log: (line: string) => void;
  /** a hold this long is reported as a possibly stuck key */
  stuckMs?: number;
}

export function runKeypadProbe(o: KeypadProbeOptions): Keypad | null {
  var log = o.log, spec = o.spec;
  if (!spec) { log("keypad: no keypad on this board"); return null; }
  var nr = spec.rows.length, nc = spec.cols.length, i: number;
  for (i = 0; i < nr; i++) o.io.pinMode(spec.rows[i]!, "input");
  for (i = 0; i < nc; i++) {
    o.io.pinMode(spec.cols[i]!, "input_pullup");
    if (!o.io.digitalRead(spec.cols[i]!)) log("keypad: column " + i + " (D" + spec.cols[i] + ") reads low with all rows released: short to GND?");
  }
  var kp: Keypad;
  try {
    kp = new Keypad({ io: o.io, rows: spec.rows, cols: spec.cols, keys: spec.keys, longMs: o.stuckMs || 3000, repeatKeys: [] });
  } catch (e) {
    log("keypad: " + (e as any).message);
    return null;
  }
  var seen = 0, all = nr * nc;
  kp.start(function (e) {
    var bit = e.row * nc + e.col;
    if (e.long) { log("keypad: " + e.key + " held " + ((o.stuckMs || 3000) / 1000) + " s: stuck?"); return; }
    seen |= 1 << bit;
    log("keypad: key " + e.key + " r" + e.row + "c" + e.col + " raw " + describeHits(kp.scan(), nr, nc) + " seen " + bitCount(seen) + "/" + all);
    if (bitCount(seen) === all) log("keypad: all " + all + " keys OK");
  }, function (mask) {
    log("keypad: ghost " + describeHits(mask, nr, nc) + " (3 keys at rectangle corners: rejected)");
  });
  if (kp.stuck) {
    for (i = 0; i < all; i++) if (kp.stuck & (1 << i)) log("keypad: stuck at start: " + keyName(spec.keys, i, nc) + " r" + Math.floor(i / nc) + "c" + (i % nc));
  }
  log("keypad: probe ready, press every key");
  return kp;
}
