// The JsVar model (sim/runtime/memory.ts) against the ESP32 twin: process.memory() in the
// simulator estimates what the heap costs on Espruino, and the interpreter's memory conditions
// (LOW_MEMORY, out of memory) follow from it.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { createWorld } from "../../sim/harness";
import { cases, readFigures, simUsage, twinPresent, twinUsage, sha256, ROOT, BOARD, type Case } from "./memory-twin";

const TOLERANCE = 0.25;

function boot(source: string) {
  const w = createWorld({ board: BOARD, source });
  assert.equal(w.loadError, null);
  return w;
}

describe("sim runtime: memory model (JsVars as on the ESP32)", function () {
  this.timeout(300000);

  describe("agrees with the twin within 25%", () => {
    let list: Case[] = [];
    const twin = new Map<string, number>();
    let source = "";
    before(async function () {
      if (twinPresent()) {
        // the twin is here: measure now (the firmware changes under the fixture)
        list = cases();
        list = list.filter((c) => fs.existsSync(c.bundle) && (!c.image || fs.existsSync(c.image.file)));
        const got = await Promise.all(list.map((c) => twinUsage(c.bundle, undefined, c.image)));
        list.forEach((c, i) => twin.set(c.name, got[i]!));
        source = "measured now on the twin";
      } else {
        const f = readFigures();
        if (!f) this.skip();
        list = cases(path.join(ROOT, f!.cases.firmware!.file)).filter((c) => f!.cases[c.name]);
        for (const c of list) {
          const fig = f!.cases[c.name]!;
          // a workload changed since the figures were pinned: its figure says nothing
          if (!c.name.startsWith("firmware") && sha256(c.bundle) !== fig.sha256) continue;
          twin.set(c.name, fig.usage);
        }
        list = list.filter((c) => twin.has(c.name));
        source = `pinned ${f!.measured} (test/fixtures/memory/twin-figures.json; no twin here)`;
      }
      console.log(`      twin figures: ${source}`);
    });

    for (const name of ["firmware", "firmware-journal", "functions", "records", "closures"]) {
      it(name, function () {
        const c = list.find((x) => x.name === name);
        if (!c) this.skip();
        const t = twin.get(name)!;
        const s = simUsage(c!.bundle, undefined, c!.image);
        const err = (s.usage - t) / t;
        console.log(`      memory.${name}: sim ${s.usage} twin ${t} JsVars (${err >= 0 ? "+" : ""}${(err * 100).toFixed(1)}%)  # ${c!.what}`);
        assert.ok(Math.abs(err) <= TOLERANCE, `${name}: sim ${s.usage} vs twin ${t} (${(err * 100).toFixed(1)}%) ${JSON.stringify(s.parts)}`);
      });
    }
  });

  it("E.getSizeOf gives the block counts measured on the twin", () => {
    // each figure: process.memory(false).usage delta on the twin for the value held by one
    // name, less that name (docs/simulator.md "Memory")
    const table: [string, number][] = [
      ["5", 1], ["'123456789'", 1], ["'1234567890'", 2], ["new Array(41).join('x')", 5], ["new Array(101).join('x')", 11],
      ["{}", 1], ["{a:1}", 2], ["{abcd:1}", 2], ["{abcde:1}", 3], ["{abcdefghijklmnop:1}", 4], ["{abcdefghijklmnopqrstuvwxyzabcd:1}", 5],
      ["{a:true}", 3], ["{a:null}", 3], ["{a:undefined}", 2], ["{a:1.5}", 3], ["{a:8191}", 2], ["{a:8192}", 3], ["{a:-8192}", 2], ["{a:-8193}", 3],
      ["{a:'x'}", 3], ["{a:{}}", 3], ["{amount:1999, currency:'EUR'}", 6],
      ["[]", 1], ["[1]", 2], ["[1,2,3]", 4], ["[true,false]", 3], ["[null]", 3], ["[1.5]", 3], ["['abc']", 3], ["[{}]", 3],
      ["new Uint8Array(9)", 3], ["new Uint8Array(10)", 4], ["new Uint8Array(28)", 5], ["new Uint8Array(29)", 6],
      ["new Uint8Array(100)", 11], ["new Uint8Array(500)", 39], ["new Uint8Array(1000)", 75],
    ];
    const w = boot(table.map(([e]) => `console.log(E.getSizeOf(${e}));`).join("\n"));
    assert.deepEqual(w.console.map(Number), table.map(([, n]) => n), table.map(([e]) => e).join(" | "));
  });

  it("counts functions by depth and scopes once, not by source length", () => {
    // 100 functions of 0 params in an iife: 5 each on the twin (499/500), 2 params: 7 each,
    // global ones 4 each; a class iife's methods 8 each
    const gen = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join("");
    const usage = (src: string) => { const w = boot(src); w.run(1); return w.mcu.memory!.report().usage; };
    const base = usage("(function(){ global.k=function(){return 0}; })();");
    assert.equal(usage("(function(){" + gen(100, (i) => `function f${i}(){return ${i}}`) + " global.k=function(){return 0}; })();") - base, 500);
    assert.equal(usage("(function(){" + gen(100, (i) => `function f${i}(a,b){return ${i}}`) + " global.k=function(){return 0}; })();") - base, 700);
    assert.equal(usage(gen(100, (i) => `function f${i}(){return ${i}}\n`)) - usage("var z=1;") + 1, 400);
    const cls = (body: string) => `(function(){var C=function(){function C(){} ${body} return C}(); global.C=C; global.k=function(){return 0};})();`;
    const methods = usage(cls(gen(100, (i) => `C.prototype.m${i}=function(){return ${i}};`))) - usage(cls(""));
    assert.equal(methods, 805); // 8 each + the prototype (3) + the class iife's scope (2)
    // a long body costs what a short one does (the code stays in flash)
    assert.equal(usage("function f(){return 1}"), usage("function f(){var a=1,b=2,c=a+b;return c*c+a*b+1+2+3+4+5+6+7+8+9}"));
  });

  it("process.memory(): usage, free = total - usage, total 16383, blocksize 14; estimated again once stale", () => {
    const w = boot(`var keep = [], u1 = 0; for (var i = 0; i < 1000; i++) keep.push(i);
      var m = process.memory(), m2 = process.memory(false);
      console.log(JSON.stringify([m.usage, m.free, m.total, m.blocksize, m2.usage === m.usage]));
      setTimeout(function () { u1 = process.memory(false).usage; }, 2000);
      setTimeout(function () {
        for (var i = 0; i < 500; i++) keep.push("s" + i);
        console.log(process.memory(false).usage - u1);
      }, 3000);
      setTimeout(function () { console.log(process.memory(false).usage - u1); }, 33000);`);
    w.run(34);
    const [usage, free, total, blocksize, same] = JSON.parse(w.console[0]!);
    assert.equal(total, 16383);
    assert.equal(blocksize, 14);
    assert.equal(free, total - usage);
    assert.equal(same, true);
    assert.ok(usage > 1000 && usage < 1200, String(usage));
    // below half full an estimate serves for 30 virtual s (the firmware asks before each sale)
    assert.equal(Number(w.console[1]), 0);
    // then: 500 entries of a name and a short string; the two timers pending at u1 (5 + a
    // 3-block function each) are gone
    assert.equal(Number(w.console[2]), 1000 - 16);
  });

  it("right after boot process.memory() sees what onInit built; E.getSizeOf(global) follows the usage", () => {
    const w = boot(`var keep = [];
      function onInit() { for (var i = 0; i < 2000; i++) keep.push(i); }
      setTimeout(function () { console.log(process.memory(false).usage + " " + E.getSizeOf(global)); }, 1500);`);
    w.run(2);
    const [usage, size] = w.console[0]!.split(" ").map(Number);
    assert.ok(usage! > 2000, String(usage));
    assert.equal(size, usage! - 20);
  });

  it("LOW_MEMORY once little is free (E.getErrorFlags, E.on('errorFlag'))", () => {
    const w = boot(`var keep = []; E.on('errorFlag', function (f) { console.log("flag " + f.join()); });
      for (var i = 0; i < 7700; i++) keep.push(i * 100000);
      setInterval(function () {}, 1000);`);
    w.run(25);
    const usage = w.mcu.memory!.report().usage;
    assert.ok(16383 - usage < 1000 && usage <= 16383, String(usage));
    assert.ok(w.console.includes("flag LOW_MEMORY"), w.console.join("\n"));
    assert.ok(!w.console.some((l) => l.includes("OUT OF MEMORY")));
  });

  it("out of memory: the callback is interrupted as on the device, and nothing runs until memory is free", () => {
    const w = boot(`var a = [], n = 0;
      setInterval(function () { for (var i = 0; i < 300 && a.length < 40000; i++) a.push("x" + i + "yyyyyyyyyyyyyyyy"); }, 100);
      setInterval(function () { n++; }, 1000);
      global.count = function () { return n; };`);
    w.run(60);
    const con = w.console.join("\n");
    assert.match(con, /^OUT OF MEMORY$/m);
    assert.match(con, /^ERROR: Ctrl-C while processing interval - removing it\.$/m);
    assert.match(con, /^Execution Interrupted during event processing\.$/m);
    assert.match(con, /^New interpreter error: LOW_MEMORY,MEMORY$/m);
    assert.ok(w.errors.some((e) => e.message.startsWith("OUT OF MEMORY")));
    // both intervals were removed while memory stayed full, as on the twin
    assert.equal(w.mcu.timers.size, 0);
    const n = w.mcu.realm.global.count();
    w.run(5);
    assert.equal(w.mcu.realm.global.count(), n);
  });

  it("out of memory inside a loop stops the callback there (checked by the loop hooks)", () => {
    const w = boot(`var a = [], i = 0, after = false;
      setTimeout(function () { for (i = 0; i < 1000000; i++) a.push([i, i + 1]); after = true; }, 10);
      global.state = function () { return [i, after]; };`);
    w.run(1);
    const con = w.console.join("\n");
    assert.match(con, /^OUT OF MEMORY\n at firmware\.js:2:\d+\nExecution Interrupted during event processing\.$/m);
    const [i, after] = w.mcu.realm.global.state();
    // 3 blocks per entry: out of memory near 5,400 entries, found at the next power-of-two check
    assert.ok(i > 5000 && i <= 16384, String(i));
    assert.equal(after, false);
  });
});
