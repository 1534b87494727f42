// Runaway code: the simulator never hangs on a callback that never returns. Without a
// watchdog the callback is interrupted with Espruino's message (as Ctrl-C does on the board);
// with E.enableWatchdog the chip resets when the watchdog expires and boots the same flash.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as sinon from "sinon";
import { createWorld } from "../../sim/harness";
import { run as bootCommand } from "../../sim/commands/boot";
import { hookChars, instrumentLoops } from "../../sim/runtime/runaway";
import { boot } from "./helpers";

const bootLines = (console: string[]) => console.filter((l) => l.startsWith("boot "));

describe("sim runtime: runaway code and the watchdog", () => {
  it("top-level boot code that never ends is interrupted ('Execution Interrupted') and the loop runs on", () => {
    const w = boot(`console.log("start"); setTimeout(function(){ console.log("timer ran"); }, 100); while(true){}`);
    assert.equal(w.loadError, null);
    w.run(1);
    assert.deepEqual(w.console.slice(0, 3), ["start", "Execution Interrupted", " at test.js:1:93"]);
    assert.ok(w.console.includes("timer ran"));
    assert.match(w.log.join("\n"), /runaway code interrupted at test\.js:1:93 \(100\d{5} loop iterations\)/);
  });

  it("a callback that never returns is interrupted with Espruino's message; other callbacks keep running", () => {
    const w = boot(`setTimeout(function(){ for(;;); }, 100);\nvar n = 0; setInterval(function(){ n++; }, 200);`);
    w.run(2);
    assert.deepEqual(w.console, ["Execution Interrupted during event processing.", " at test.js:1:31"]);
    assert.equal(w.mcu.realm.global.n, 10);
    assert.equal(w.errors.length, 0, "no Uncaught for an interrupt");
  });

  it("the interrupt is sticky: firmware that catches it inside a loop still stops", () => {
    const w = boot(`setTimeout(function(){ while(true){ try { while(true){} } catch (e) { console.log("caught " + e.message); } } }, 10);`);
    w.run(1);
    assert.deepEqual(w.console.slice(0, 2), ["caught Execution Interrupted", "Execution Interrupted during event processing."]);
  });

  it("string callbacks and the wall-time limit are covered too", () => {
    const w = boot(`setTimeout("while(1){}", 10); setTimeout(function(){ var t = Date.now; while(true){ t(); } }, 20);`,
      {});
    w.run(1);
    assert.equal(w.console.filter((l) => l === "Execution Interrupted during event processing.").length, 2);
    const slow = createWorld({ board: "pos-esp32-v1", source: `setTimeout(function(){ while(true){ JSON.stringify([1,2,3]); } }, 10);`,
      bundle: "/virtual/slow.js", runaway: { iterations: 1e12, wallMs: 200 } });
    const t0 = Date.now();
    slow.run(1);
    assert.ok(Date.now() - t0 < 5000);
    assert.match(slow.log.join("\n"), /runaway code interrupted at slow\.js:1:\d+ \(\d+ ms of wall time\)/);
  });

  it("auto watchdog: a runaway callback resets the chip when the watchdog expires (same flash)", () => {
    const w = boot(`E.enableWatchdog(3, true); console.log("boot " + getTime().toFixed(2));
      setTimeout(function(){ while(true){} }, 500);`);
    w.run(4);
    assert.deepEqual(bootLines(w.console), ["boot 0.00", "boot 3.50"]);
    assert.ok(w.console.some((l) => /^\[sim\] watchdog reset \(auto, 3 s: runaway code at test\.js:2:\d+\)$/.test(l)));
    assert.ok(!w.console.includes("Execution Interrupted during event processing."), "the chip resets, nothing is printed");
  });

  it("auto watchdog in virtual time: a callback stuck in blocking natives resets at start + timeout", () => {
    const w = boot(`E.enableWatchdog(2, true); console.log("boot " + getTime().toFixed(3)); I2C1.setup({scl: D22, sda: D21});
      setTimeout(function(){ while(true){ try { I2C1.writeTo(0x50, 1, 2, 3); } catch (e) {} } }, 1000);`);
    w.run(3.5);
    assert.deepEqual(bootLines(w.console), ["boot 0.000", "boot 3.000"]);
    assert.ok(w.console.some((l) => l.includes("a callback never returned to the idle loop")));
  });

  it("manual watchdog: kicked in time it stays quiet; not kicked it resets", () => {
    const w = boot(`E.enableWatchdog(2, false); console.log("boot " + getTime().toFixed(2));
      var n = 0; setInterval(function(){ if (++n <= 3) E.kickWatchdog(); }, 1000);`);
    w.run(6.5);
    // kicked at 1, 2, 3 s; the last kick at 3 s expires at 5 s
    assert.deepEqual(bootLines(w.console), ["boot 0.00", "boot 5.00"]);
  });

  it("the built firmware enables the auto watchdog: a runaway callback reboots it to READY", function () {
    const w = createWorld({ board: "pos-esp32-v1" });
    assert.ok(w.runUntil(() => w.console.some((l) => l.includes("READY")), 20), "boots to READY");
    assert.equal(w.mcu.watchdog?.auto, true);
    assert.equal(w.mcu.watchdog?.timeout, 15);
    const readyLines = () => w.console.filter((l) => l.includes("READY")).length;
    const before = readyLines();
    const t0 = w.clock.now();
    w.mcu.realm.global.setTimeout("for(;;){}", 10);
    w.run(30);
    assert.ok(w.console.some((l) => l.startsWith("[sim] watchdog reset (auto, 15 s")), w.console.slice(-5).join("\n"));
    assert.ok(readyLines() > before, "READY again after the reset");
    // 15 s after the last kick of the idle loop, which may come a little after READY (timers
    // the boot left, such as the health sample after a host exchange)
    const at = w.log.map((l) => /watchdog reset at ([\d.]+)/.exec(l)).find((m) => m);
    assert.ok(at && Number(at[1]) >= t0 + 15 && Number(at[1]) < t0 + 16, w.log.join("\n"));
  });

  it("pos-sim boot on `while(true){}` returns and prints the interrupt", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pos-sim-runaway-"));
    const file = path.join(dir, "x.js");
    fs.writeFileSync(file, "while(true){}\n");
    const log = sinon.stub(console, "log"), error = sinon.stub(console, "error");
    let code: number;
    try { code = bootCommand(["--bundle", file, "--seconds", "1"]); } finally { sinon.restore(); }
    assert.equal(code, 0);
    assert.deepEqual(log.args.map((a) => a.join(" ")), ["Execution Interrupted", " at x.js:1:13"]);
    assert.equal(error.callCount, 0);
  });

  it("loop hooks move no reported position, and sizes can tell them from the source", () => {
    const src = `var f = function(){ for (var i = 0; i < 3; i++) {} while (false); }; var g = function(){ throw new Error("here"); };\ng();`;
    const w = boot(src);
    // the column of `new Error` in the source as written, although two loops before it got hooks
    assert.match(w.loadError!, new RegExp(`at test\\.js:1:${src.indexOf("new Error") + 1}$`));
    const inst = instrumentLoops("for(;;)a();b()");
    assert.equal(inst.code, "for(;;){__$L(0);a();}b()");
    assert.equal(inst.columnFix(1, inst.code.indexOf("b()") + 1), "for(;;)a();b()".indexOf("b()") + 1);
    // E.getSizeOf sizes functions by source length: hookChars is what the hooks added
    const fn = "(function(){ for (var i = 0; i < 3; i++) {} while (false); })";
    const code = instrumentLoops(fn).code;
    assert.ok(code.length > fn.length);
    assert.equal(hookChars(code), code.length - fn.length);
  });
});
