// Runs dist/<board>/selftest.js (built by `make selftest`) in the simulator.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { createWorld } from "../../sim/harness";

const BOARD = process.env.BOARD || "pos-esp32-v1";
const BUNDLE = path.resolve(__dirname, "..", "..", "dist", BOARD, "selftest.js");

describe("system: on-device selftest in the simulator", () => {
  it("prints `N passed, 0 failed` with N > 0", () => {
    if (!fs.existsSync(BUNDLE)) throw new Error(`${BUNDLE} missing: run \`make selftest\` first`);
    const w = createWorld({ board: BOARD, bundle: BUNDLE });
    const closing = () => w.console.find((l) => /^\d+ passed, \d+ failed$/.test(l));
    w.runUntil(() => closing() !== undefined, 60);
    assert.equal(w.loadError, null);
    const line = closing();
    assert.ok(line, "no closing line in:\n" + w.console.join("\n"));
    const m = /^(\d+) passed, (\d+) failed$/.exec(line!)!;
    assert.ok(Number(m[1]) > 0, line);
    let why = w.console.filter((l) => l.startsWith("FAIL")).join("\n");
    // the simulator reads bundles as 8-bit strings like the ESP32 build (no Unicode)
    if (/[^\x00-\x7f]/.test(fs.readFileSync(BUNDLE, "latin1"))) {
      why += "\nnote: the bundle holds raw non-ASCII characters, which the ESP32 reads as their UTF-8 bytes;" +
        " terser's format.ascii_only keeps them as \\xNN escapes";
    }
    assert.equal(Number(m[2]), 0, why);
  });
});
