import { strict as assert } from "assert";
import { boot, runJs } from "./helpers";

describe("sim runtime: the context has only Espruino's built-ins", () => {
  it("missing globals are really absent", () => {
    const names = ["Map", "Set", "WeakMap", "WeakSet", "Symbol", "Proxy", "Reflect", "BigInt", "RangeError",
      "TextEncoder", "TextDecoder", "queueMicrotask", "setImmediate", "Intl"];
    const out = runJs(`console.log(${JSON.stringify(names)}.map(function(n){ return n + ":" + typeof global[n]; }).join(","));`);
    assert.equal(out[0], names.map((n) => n + ":undefined").join(","));
  });

  it("missing methods are really absent", () => {
    const exprs = ["Object.freeze", "Object.seal", "Object.is", "Array.from", "Array.of", "[].at", "[].flat", "[].flatMap",
      "[].findLast", "[].lastIndexOf", "[].reduceRight", "[].copyWithin", "''.at", "''.codePointAt", "''.trimStart",
      "''.trimEnd", "''.matchAll", "''.normalize", "''.localeCompare", "''.search", "Number.isInteger", "Number.isFinite",
      "Number.isNaN", "Number.parseFloat", "Number.parseInt", "Math.trunc", "Math.imul", "Math.log2", "Math.log10",
      "Math.hypot", "Math.cbrt", "Math.clz32", "Math.fround", "Math.expm1", "Math.sinh", "Promise.race",
      "Promise.allSettled", "Promise.any", "Promise.resolve(1).finally", "Date.UTC", "Uint8Array.from"];
    const out = runJs(`console.log([${exprs.map((e) => `typeof ${e}`).join(",")}].join(","));`);
    assert.deepEqual(out[0]!.split(","), exprs.map(() => "undefined"));
  });

  it("what Espruino has is still there", () => {
    const out = runJs(`console.log([typeof isNaN, typeof parseInt, typeof JSON.stringify, typeof Promise.all,
      typeof [].indexOf, typeof new Uint8Array(2).set, typeof DataView, typeof E.CRC32].join(","));`);
    assert.equal(out[0], "function,function,function,function,function,function,function,function");
  });

  it("string indexOf matches a needle running past the end, as Espruino 2v29 does (twin figures)", () => {
    const out = runJs(`console.log(["ab".indexOf("abc"), "xab".indexOf("abc"), "xxab".indexOf("abc"), "abcab".indexOf("abc", 1),
      "ab".indexOf("b", 5), "aXb".indexOf("bY"), "abc".indexOf(""), "abc".indexOf("bcd"), "a,sale-swipe,".indexOf(",sale-tap,"),
      "hello".indexOf("ll")].join(","));`);
    assert.equal(out[0], "-1,1,2,3,-1,2,0,1,12,2");
  });

  it("Node APIs are unreachable, also through constructors of exposed functions", () => {
    const out = runJs(`
      var r = [typeof Buffer, typeof module, typeof __dirname, typeof exports];
      r.push(typeof require("Flash"));
      try { require("fs"); r.push("fs loaded"); } catch (e) { r.push(e.message); }
      var F = Serial1.write.constructor;
      r.push(F("return typeof Buffer + '/' + typeof process.binding + '/' + typeof process.exit")());
      try { digitalWrite(200, 1); } catch (e) { r.push(e instanceof Error && e.constructor.constructor === Function ? "ctx-error" : "host-error"); }
      r.push(Object.keys(process).sort().join("+"));
      console.log(r.join(","));`);
    assert.equal(out[0], "undefined,undefined,undefined,undefined,object,Module fs not found,undefined/undefined/undefined,ctx-error,env+version");
  });

  it("sort is Espruino's unstable quicksort; char codes are 8-bit; static methods are not inherited", () => {
    const out = runJs(`var a = [{k:1,i:0},{k:0,i:1},{k:1,i:2},{k:0,i:3}];
      a.sort(function(x, y){ return x.k - y.k; });
      console.log(a.map(function(x){ return x.k + ":" + x.i; }).join(" "));
      var n = []; for (var i = 0; i < 100; i++) n.push((i * 37) % 17); n.sort(function(x, y){ return x - y; });
      var sorted = true; for (var j = 1; j < n.length; j++) if (n[j - 1] > n[j]) sorted = false;
      console.log(sorted, [10, 9, 1, 2].sort().join(), String.fromCharCode(0x20AC).charCodeAt(0));
      function B() {} B.s = function () {}; function D() {} Object.setPrototypeOf(D, B); console.log(typeof D.s);`);
    assert.deepEqual(out, ["0:3 0:1 1:2 1:0", "true 1,10,2,9 172", "undefined"]);
  });

  it("E.getSizeOf is calibrated on the interpreter's measured block counts (espruino.md §10)", () => {
    const out = runJs(`var a = []; for (var i = 0; i < 500; i++) a.push(i & 127);
      var o = {}; for (var j = 0; j < 50; j++) o["k" + j] = j;
      var s = ""; for (var k = 0; k < 40; k++) s += "x";
      console.log(E.getSizeOf(a), E.getSizeOf(new Uint8Array(500)), E.getSizeOf(o), E.getSizeOf({amount: 1250, currency: "EUR"}), E.getSizeOf(s));`);
    assert.deepEqual(out, ["501 39 51 6 5"]);
  });

  it("Math.random and E.hwRand follow the world's seed", () => {
    const src = `console.log(Math.random(), E.hwRand());`;
    const a = boot(src, { seed: 7 }).console[0], b = boot(src, { seed: 7 }).console[0], c = boot(src, { seed: 8 }).console[0];
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it("errors have no .name but print their type", () => {
    const out = runJs(`var e = new TypeError("bad"); console.log(typeof e.name, String(e), String(new Error()), e instanceof Error);
      try { null.x; } catch (x) { console.log(typeof x.name, x instanceof TypeError); }`);
    assert.deepEqual(out, ["undefined TypeError: bad Error true", "undefined true"]);
  });

  it("Date.now and getTime follow the virtual clock", () => {
    const w = boot(`setTimeout(function(){ console.log(getTime(), Date.now(), new Date().getTime()); }, 1500);`);
    w.run(2);
    assert.deepEqual(w.console, ["1.5 1500 1500"]);
  });

  it("every object has on/emit", () => {
    const out = runJs(`var o = {}; o.on("x", function(a, b){ console.log("got", a, b); }); o.emit("x", 1, 2);
      console.log(Object.keys(o).length);`);
    assert.deepEqual(out, ["got 1 2", "0"]);
  });

  it("Promise reactions run as queued events, after timers already due", () => {
    const out = runJs(`
      setTimeout(function(){ Promise.resolve().then(function(){ console.log("then"); }); console.log("A"); }, 10);
      setTimeout(function(){ console.log("B"); }, 10);`);
    assert.deepEqual(out, ["A", "B", "then"]);
  });

  it("Promise: chains, thenables, throw -> catch, all", () => {
    const out = runJs(`
      new Promise(function (res) { setTimeout(res, 10, 2); })
        .then(function (v) { return { then: function (r) { r(v * 10); } }; })
        .then(function (v) { throw new Error("at " + v); })
        .catch(function (e) { console.log("caught", e.message); return 7; })
        .then(function (v) { console.log("after", v); });
      Promise.all([1, Promise.resolve(2), new Promise(function (r) { setTimeout(r, 5, 3); })])
        .then(function (a) { console.log("all", a.join()); });
      Promise.all([]).then(function (a) { console.log("empty", a.length); });`);
    assert.deepEqual(out, ["empty 0", "all 1,2,3", "caught at 20", "after 7"]);
  });

  it("an unhandled rejection is printed and the program continues", () => {
    const w = boot(`Promise.reject(new Error("nope")); setTimeout(function(){ console.log("still here"); }, 5);`);
    w.run(1);
    assert.ok(w.console.some((l) => l.startsWith("Uncaught Error: Unhandled promise rejection")), w.console.join("|"));
    assert.ok(w.console.includes("still here"));
  });

  it("a throwing callback prints Uncaught with its position and the loop keeps running", () => {
    const w = boot(`var n = 0;\nsetInterval(function(){ n++; if (n < 3) throw new Error("tick " + n); console.log("n", n); }, 100);`);
    w.run(0.35);
    assert.equal(w.errors.length, 2);
    assert.equal(w.console[0], "Uncaught Error: tick 1");
    assert.match(w.console[1]!, /^ at test\.js:2:\d+/);
    assert.ok(w.console.includes("n 3"));
  });

  it("an exception at load is the world's loadError", () => {
    const w = boot(`var a = 1;\nnotDefined();`);
    assert.match(w.loadError!, /ReferenceError: notDefined is not defined at test\.js:2:1/);
  });
});
