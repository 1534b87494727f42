// Runs dist/<board>/selftest.js (built by `make selftest`) in the simulator: the default board
// always, every other board whose selftest bundle exists.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { boardNames, createWorld } from "../../sim/harness";

const DEFAULT_BOARD = process.env.BOARD || "pos-esp32-v1";
const bundleOf = (b: string) => path.resolve(__dirname, "..", "..", "dist", b, "selftest.js");
const boards = boardNames().filter((b) => b === DEFAULT_BOARD || fs.existsSync(bundleOf(b)));

for (const board of boards) {
  describe(`system: on-device selftest in the simulator (${board})`, () => {
    it("prints `N passed, 0 failed` with N > 0", () => {
      const bundle = bundleOf(board);
      if (!fs.existsSync(bundle)) throw new Error(`${bundle} missing: run \`make selftest\` first`);
      const w = createWorld({ board, bundle });
      const closing = () => w.console.find((l) => /^\d+ passed, \d+ failed$/.test(l));
      w.runUntil(() => closing() !== undefined, 60);
      assert.equal(w.loadError, null);
      const line = closing();
      assert.ok(line, "no closing line in:\n" + w.console.join("\n"));
      const m = /^(\d+) passed, (\d+) failed$/.exec(line!)!;
      assert.ok(Number(m[1]) > 0, line);
      let why = w.console.filter((l) => l.startsWith("FAIL")).join("\n");
      // the simulator reads bundles as 8-bit strings like the ESP32 build (no Unicode)
      if (/[^\x00-\x7f]/.test(fs.readFileSync(bundle, "latin1"))) {
        why += "\nnote: the bundle holds raw non-ASCII characters, which the ESP32 reads as their UTF-8 bytes;" +
          " terser's format.ascii_only keeps them as \\xNN escapes";
      }
      assert.equal(Number(m[2]), 0, why);
    });
  });
}
