// Boots the real firmware bundles (built by `make build`) in the simulator: the default board
// always, every other board whose bundle exists.
import { strict as assert } from "assert";
import * as fs from "fs";
import { boardNames, createWorld, defaultBundle } from "../../sim/harness";
import { PositionMapper } from "../../sim/runtime/sourcemap";

const DEFAULT_BOARD = process.env.BOARD || "pos-esp32-v1";
const boards = boardNames().filter((b) => b === DEFAULT_BOARD || fs.existsSync(defaultBundle(b)));

for (const board of boards) {
  describe(`system: firmware boots in the simulator (${board})`, () => {
    before(function () {
      if (!fs.existsSync(defaultBundle(board))) throw new Error(`${defaultBundle(board)} missing: run \`make build\` first`);
    });

    it("loads without an exception and prints its banner", () => {
      const w = createWorld({ board });
      assert.equal(w.loadError, null);
      const banner = () => w.console.some((l) => l.startsWith("POS firmware on " + board));
      w.runUntil(banner, 5);
      assert.ok(banner(), w.console.join("\n"));
      w.run(5);
      assert.deepEqual(w.errors, []);
      assert.deepEqual(w.warnings, []);
    });

    it("maps bundle positions back to TypeScript through firmware.js.map", () => {
      const file = defaultBundle(board);
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
      const w = createWorld({ board });
      w.run(2);
      w.powerCut();
      w.run(1);
      const lines = w.console.length;
      w.powerOn();
      w.run(2);
      assert.equal(w.loadError, null);
      assert.ok(w.console.slice(lines).some((l) => l.startsWith("POS firmware on " + board)));
      assert.deepEqual(w.errors, []);
    });
  });
}
