// Boots the real firmware bundle (built by `make build`) in the simulator.
import { strict as assert } from "assert";
import * as fs from "fs";
import { createWorld, defaultBundle } from "../../sim/harness";

const BOARD = process.env.BOARD || "pos-esp32-v1";

describe("system: firmware boots in the simulator", () => {
  before(function () {
    if (!fs.existsSync(defaultBundle(BOARD))) throw new Error(`${defaultBundle(BOARD)} missing: run \`make build\` first`);
  });

  it("loads without an exception and prints its banner", () => {
    const w = createWorld({ board: BOARD });
    assert.equal(w.loadError, null);
    w.runUntil(() => w.console.some((l) => l.startsWith("POS firmware on " + BOARD)), 5);
    assert.ok(w.console.some((l) => l.startsWith("POS firmware on " + BOARD)), w.console.join("\n"));
    w.run(5);
    assert.deepEqual(w.errors, []);
  });

  it("maps bundle positions back to TypeScript through firmware.js.map", () => {
    const { PositionMapper } = require("../../sim/runtime/sourcemap");
    const file = defaultBundle(BOARD);
    if (!fs.existsSync(file + ".map")) return;
    const m = new PositionMapper(file);
    const src = fs.readFileSync(file, "latin1");
    const at = src.indexOf("POS firmware on"); // a string literal from firmware/
    assert.ok(at >= 0);
    const before = src.slice(0, at).split("\n");
    const line = before.length, col = before[before.length - 1]!.length + 1;
    assert.match(m.describe(line, col), /^firmware\.js:\d+:\d+ \(firmware\/.*\.ts:\d+:\d+\)$/);
  });

  it("boots again after a power cut, on the same flash", () => {
    const w = createWorld({ board: BOARD });
    w.run(2);
    w.powerCut();
    w.run(1);
    const lines = w.console.length;
    w.powerOn();
    w.run(2);
    assert.equal(w.loadError, null);
    assert.ok(w.console.slice(lines).some((l) => l.startsWith("POS firmware on " + BOARD)));
    assert.deepEqual(w.errors, []);
  });
});
