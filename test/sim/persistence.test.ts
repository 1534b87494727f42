import { strict as assert } from "assert";
import { boot } from "./helpers";
import { createWorld } from "../../sim/harness";

const J = 0x310000;

describe("sim runtime: Flash, Storage, power", () => {
  it("Flash: writes AND into existing bits, erasePage sets the 4 KB sector to 0xFF", () => {
    const w = boot(`var f = require("Flash");
      f.erasePage(${J + 100});
      f.write(new Uint8Array([0xF0, 0x0F, 0xAA, 0x55]), ${J});
      f.write([0x3C, 0xFF, 0xFF, 0x00], ${J});
      console.log(f.read(4, ${J}));
      f.write("A", ${J + 4097});
      f.erasePage(${J});
      console.log(f.read(4, ${J}), f.read(2, ${J + 4096}));
      console.log(JSON.stringify(f.getPage(${J + 5000})), JSON.stringify(f.getFree()));`);
    assert.deepEqual(w.console, [
      "new Uint8Array([48, 15, 170, 0])",
      "new Uint8Array([255, 255, 255, 255]) new Uint8Array([255, 65])",
      `{"addr":${J + 4096},"length":4096} [{"addr":3211264,"length":65536},{"addr":3538944,"length":655360}]`,
    ]);
  });

  it("a power cut in the middle of a write leaves only the earlier words, even if the firmware catches", () => {
    const w = boot(`var f = require("Flash");
      global.go = function () {
        var d = new Uint8Array(16); for (var i = 0; i < 16; i++) d[i] = i;
        try { f.write(d, ${J}); } catch (e) { console.log("caught", e.message); }
        try { f.write(new Uint8Array([0]), ${J + 100}); } catch (e) {}
        setTimeout(function(){ console.log("never"); }, 1);
      };`);
    w.flash.armCut(2); // the third word program
    w.mcu.invoke(w.mcu.realm.global.go, undefined, []); // as a callback would run
    w.run(1);
    const img = w.flash.read(20, J);
    assert.deepEqual([...img], [0, 1, 2, 3, 4, 5, 6, 7, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
    assert.equal(w.flash.read(1, J + 100)[0], 255);
    assert.equal(w.powered, false);
    assert.ok(!w.console.includes("never"));
  });

  it("powerCut at any instant stops timers, watches and output; powerOn boots the same bundle on the same flash", () => {
    const src = `var f = require("Flash"); var n = f.read(1, ${J + 200})[0];
      console.log("boot", n);
      f.write([n - 1], ${J + 200}); // counts boots downwards from 0xFF
      setInterval(function(){ Serial2.write("x"); }, 10);`;
    const w = createWorld({ board: "pos-esp32-v1", source: src, bundle: "/virtual/test.js" });
    w.mcu.realm.run(`Serial2.setup(19200, {tx: D17, rx: D16});`);
    w.run(0.1);
    const before = w.uarts.uart2!.stats.txBytes;
    assert.ok(before > 0);
    w.powerCut();
    w.run(1);
    assert.equal(w.uarts.uart2!.stats.txBytes, before);
    assert.equal(w.mcu.timers.size, 0);
    w.powerOn();
    w.run(0.1);
    assert.deepEqual(w.console, ["boot 255", "boot 254"]);
  });

  it("Storage: names truncated to 28 characters, offset writes only into 0xFF", () => {
    const w = boot(`var s = require("Storage");
      s.write("abcdefghijklmnopqrstuvwxyz0123456789", "long");
      console.log(JSON.stringify(s.list()), s.read("abcdefghijklmnopqrstuvwxyz01"));
      s.write("f", "AB", 0, 6); s.write("f", "CD", 2);
      console.log(JSON.stringify(s.read("f")));
      try { s.write("f", "XY", 0); } catch (e) { console.log(e.message); }
      s.write("f", "AB", 0); // the same bytes again are fine
      s.writeJSON("j", {a: [1, 2]}); console.log(s.readJSON("j").a[1], s.read("none"));
      s.erase("j"); console.log(s.list().length);
      try { s.write("z", ""); } catch (e) { console.log("empty:", e.message); }`);
    assert.deepEqual(w.console, [
      '["abcdefghijklmnopqrstuvwxyz01"] long',
      JSON.stringify("ABCD\xff\xff"),
      "File already written with different data",
      "2 undefined",
      "2",
      "empty: Can't create zero-length file",
    ]);
  });

  it("flash image carries over into a new world", () => {
    const w = boot(`require("Flash").write([1, 2, 3, 4], ${J});`);
    const img = w.flashImage();
    const w2 = createWorld({ board: "pos-esp32-v1", source: `console.log(require("Flash").read(4, ${J}));`, bundle: "/v/t.js", flashImage: img });
    assert.deepEqual(w2.console, ["new Uint8Array([1, 2, 3, 4])"]);
  });
});
