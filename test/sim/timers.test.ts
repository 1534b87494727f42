import { strict as assert } from "assert";
import { boot, runJs } from "./helpers";

describe("sim runtime: timers", () => {
  it("run in due order, ties in creation order, with extra arguments", () => {
    const out = runJs(`
      setTimeout(function(x){ console.log("c", x); }, 30, "third");
      setTimeout(function(x){ console.log("a", x); }, 10, "first");
      setTimeout(function(x, y){ console.log("b", x, y); }, 10, "second", 2);`);
    assert.deepEqual(out, ["a first", "b second 2", "c third"]);
  });

  it("ids are small integers, reused once free", () => {
    const out = runJs(`var a = setTimeout(function(){}, 10), b = setTimeout(function(){}, 10);
      clearTimeout(a); var c = setTimeout(function(){}, 10); console.log(a, b, c);`);
    assert.deepEqual(out, ["1 2 1"]);
  });

  it("intervals do not drift although each callback costs interpreter time", () => {
    const w = boot(`var t = []; var id = setInterval(function(){ t.push(getTime()); if (t.length === 50) { clearInterval(id); console.log(t[49]); } }, 20);`,
      { callbackCost: 0.005 });
    w.run(2);
    assert.deepEqual(w.console, ["1"]);
  });

  it("clearTimeout() clears all; clearTimeout(undefined) throws; unknown ids are ignored", () => {
    const out = runJs(`
      setTimeout(function(){ console.log("never"); }, 10); setInterval(function(){ console.log("never"); }, 10);
      clearTimeout();
      try { clearTimeout(undefined); } catch (e) { console.log("threw:", e.message); }
      clearTimeout(42); console.log("ignored");`);
    assert.deepEqual(out, ["threw: clearTimeout(undefined) not allowed. Use clearTimeout() instead.", "ignored"]);
  });

  it("a reaction queued at load runs before a 0 ms timer (interpreter probe 'Promise ordering')", () => {
    const out = runJs(`var log = []; setTimeout(function(){ log.push("t"); }, 0);
      Promise.resolve().then(function(){ log.push("p"); }); log.push("s");
      setTimeout(function(){ console.log(log.join()); }, 20);`);
    assert.deepEqual(out, ["s,p,t"]);
  });

  it("string callbacks are evaluated in the global scope", () => {
    assert.deepEqual(runJs(`var v = 7; setTimeout("console.log('v', v)", 5);`), ["v 7"]);
  });

  it("a busy interpreter delays timers (cost model)", () => {
    const w = boot(`setTimeout(function(){ console.log("a", getTime()); }, 0); setTimeout(function(){ console.log("b", getTime()); }, 0);`,
      { callbackCost: 0.01 });
    w.run(1);
    assert.deepEqual(w.console, ["a 0", "b 0.01"]);
  });
});
