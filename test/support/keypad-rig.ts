// A keypad test rig: Testbed pins and clock (test/support/testbed.ts), the virtual matrix from
// the board file, and the driver with an Io that counts timer callbacks (keypad.idle_cpu).
import { Testbed } from "./testbed";
import { KeypadMatrixPart } from "../../sim/parts/keypad-matrix";
import { Keypad, type KeyEvent, type KeypadOptions } from "../../drivers/keypad/keypad";
import type { Io } from "../../drivers/hal";
import type { KeypadEntry as KeypadSpec } from "../../drivers/keypad/part.spec";
import board from "../../boards/pos-esp32-v1.json";

export const SPEC = board.parts.keypad as KeypadSpec;

export function countingIo(io: Io, counter: { timerCallbacks: number }): Io {
  return {
    ...io,
    setTimeout: (fn, ms) => io.setTimeout(() => { counter.timerCallbacks++; fn(); }, ms),
    setInterval: (fn, ms) => io.setInterval(() => { counter.timerCallbacks++; fn(); }, ms),
  };
}

export function keypadRig(opts: Partial<KeypadOptions> = {}, seed = 11, startNow = true) {
  const tb = new Testbed({ seed });
  const part = new KeypadMatrixPart("keypad", SPEC, tb.partContext());
  const counter = { timerCallbacks: 0 };
  const drv = new Keypad({ io: countingIo(tb.io(), counter), rows: SPEC.rows, cols: SPEC.cols, keys: SPEC.keys, ...opts });
  const events: (KeyEvent & { t: number })[] = [];
  const ghosts: number[] = [];
  const start = () => drv.start((e) => events.push({ ...e, t: tb.clock.now() }), (m) => ghosts.push(m));
  if (startNow) start();
  const keys = () => events.map((e) => e.key + (e.long ? ":long" : "") + (e.repeat ? ":repeat" : ""));
  return { tb, part, drv, events, ghosts, counter, keys, start };
}
