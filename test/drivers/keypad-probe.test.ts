// The keypad probe against the virtual matrix: raw hits, stuck keys, ghosts, all keys seen.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { createWorld } from "../../sim/harness";
import { Testbed } from "../support/testbed";
import { KeypadMatrixPart } from "../../sim/parts/keypad-matrix";
import { runKeypadProbe } from "../../firmware/ui/keypad-probe";
import { SPEC } from "../support/keypad-rig";

function rig(before?: (p: KeypadMatrixPart) => void) {
  const tb = new Testbed({ seed: 4 });
  const part = new KeypadMatrixPart("keypad", SPEC, tb.partContext());
  if (before) before(part);
  const lines: string[] = [];
  runKeypadProbe({ io: tb.io(), spec: SPEC, log: (l) => lines.push(l), stuckMs: 2000 });
  return { tb, part, lines };
}

describe("keypad probe", () => {
  it("prints each key with its raw hits and says when all 16 were seen", () => {
    const r = rig();
    assert.deepEqual(r.lines, ["keypad: probe ready, press every key"]);
    for (const k of SPEC.keys.flat()) r.tb.run(r.part.tap(k, 0.06) + 0.05);
    assert.ok(r.lines.includes("keypad: key 5 r1c1 raw r1c1 seen 6/16"));
    assert.equal(r.lines[r.lines.length - 1], "keypad: all 16 keys OK");
  });

  it("reports keys down at start as stuck, and long holds", () => {
    const r = rig((p) => p.press("ENTER", { settle: 0 }));
    assert.ok(r.lines.includes("keypad: stuck at start: ENTER r2c3"));
    r.part.release("ENTER"); r.tb.run(0.1);
    r.tb.run(r.part.tap("7", 2.5) + 0.1);
    assert.ok(r.lines.includes("keypad: 7 held 2 s: stuck?"));
  });

  it("reports ghost masks", () => {
    const r = rig();
    r.part.press("1"); r.tb.run(0.05);
    r.part.press("2"); r.tb.run(0.05);
    r.part.press("4"); r.tb.run(0.05);
    assert.ok(r.lines.includes("keypad: ghost r0c0 r0c1 r1c0 r1c1 (3 keys at rectangle corners: rejected)"), r.lines.join("\n"));
  });
});

describe("probe-keypad.js bundle in the simulated world", () => {
  const bundle = path.join(__dirname, "..", "..", "dist", "pos-esp32-v1", "probe-keypad.js");
  it("scans the board's virtual matrix through the runtime's pins and watches (needs make build)", function () {
    if (!fs.existsSync(bundle)) this.skip();
    const w = createWorld({ board: "pos-esp32-v1", bundle });
    w.run(0.5);
    const kp = w.parts.keypad as unknown as KeypadMatrixPart;
    for (const k of SPEC.keys.flat()) w.run(kp.tap(k, 0.06) + 0.06);
    assert.deepEqual(w.errors, []);
    assert.equal(w.console[w.console.length - 1], "keypad: all 16 keys OK");
    const before = w.mcu.stats.callbacks;
    w.run(30);
    assert.equal(w.mcu.stats.callbacks - before, 0, "idle: no callbacks at all");
  });
});
