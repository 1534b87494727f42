import { strict as assert } from "assert";
import * as sinon from "sinon";
import { boot } from "./helpers";
import { NackError } from "../../sim/bus/types";

describe("sim runtime: pins, watches, I2C, UART", () => {
  it("pin arrays: the last element is the LSB, for writes and reads", () => {
    const w = boot(`digitalWrite([D18, D23, D15], 6);`);
    assert.deepEqual([w.pins.level(18), w.pins.level(23), w.pins.level(15)], [1, 1, 0]);
    w.mcu.realm.run(`digitalWrite([D18, D23, D15], true);`);
    assert.deepEqual([w.pins.level(18), w.pins.level(23), w.pins.level(15)], [1, 1, 1]);
    // an automatic read turns the pins into inputs; a part drives them
    w.pins.drive(18, "t", 1); w.pins.drive(23, "t", 0); w.pins.drive(15, "t", 1);
    w.mcu.realm.run(`console.log(digitalRead([D18, D23, D15]), getPinMode(D18));`);
    assert.deepEqual(w.console, ["5 input"]);
  });

  it("watched pins are forced to a pull-up (ESP32), and an automatic read floats them again", () => {
    const w = boot(`pinMode(D18, "input_pulldown"); setWatch(function(){}, D18, {repeat:true});
      setWatch(function(){}, D23, {repeat:true}); console.log(getPinMode(D18), getPinMode(D23));`);
    assert.deepEqual(w.console, ["input_pulldown input"]);
    assert.equal(w.pins.mode(18), "input_pullup");
    assert.equal(w.pins.level(18), 1);
    assert.equal(w.pins.level(23), 1);
    // jshPinInput on an automatic pin: plain input, no pull (reads low here: floating)
    w.mcu.realm.run(`console.log(digitalRead(D23), digitalRead(D18));`);
    assert.deepEqual(w.console.slice(1), ["0 1"]);
  });

  it("watch events carry state, time, lastTime and the data pin sampled at the edge", () => {
    const w = boot(`setWatch(function(e){ console.log(e.state, e.time.toFixed(3), e.lastTime.toFixed(3), e.data); },
      D37, {repeat:true, edge:"falling", data: D38});`);
    const { clock, pins } = w;
    // GPIO 37/38: input-only, no pulls, no board part on them
    clock.at(0.1, () => pins.drive(37, "t", 1));
    clock.at(0.2, () => { pins.drive(38, "t", 1); pins.drive(37, "t", 0); }); // data high at this edge
    clock.at(0.21, () => pins.drive(38, "t", 0)); // data changes before the callback runs
    clock.at(0.3, () => pins.drive(37, "t", 1));
    clock.at(0.4, () => pins.drive(37, "t", 0));
    w.run(1);
    assert.deepEqual(w.console, ["false 0.200 0.100 true", "false 0.400 0.300 false"]);
  });

  it("every edge is queued; a full 4 KB queue drops events and sets FIFO_FULL", () => {
    const w = boot(`var n = 0; setWatch(function(){ n++; }, D37, {repeat:true, edge:"both"});
      setTimeout(function(){ console.log(n, E.getErrorFlags().join(","), E.getErrorFlags().length); }, 3000);`,
      { callbackCost: 0.001 });
    // 2,000 edges 50 us apart: far faster than 1 ms callbacks drain them
    for (let i = 0; i < 2000; i++) w.clock.at(0.5 + i * 50e-6, () => w.pins.drive(37, "t", (i % 2 ? 0 : 1) as 0 | 1));
    w.run(4);
    const [n, flags, after] = w.console[0]!.split(" ");
    assert.equal(flags, "FIFO_FULL");
    assert.equal(after, "0");
    // the queue held 4096/6 = 682 edges plus the ~100 drained while they arrived
    assert.ok(Number(n) > 682 && Number(n) < 2000, "callbacks: " + n);
    assert.equal(w.mcu.stats.dropped, 2000 - Number(n));
  });

  it("E.on('errorFlag') fires on a new flag", () => {
    const w = boot(`E.on("errorFlag", function(f){ console.log("flag", f.join()); }); setWatch(function(){}, D37, {repeat:true});`);
    for (let i = 0; i < 800; i++) w.clock.at(0.1 + i * 1e-6, () => w.pins.drive(37, "t", (i % 2 ? 0 : 1) as 0 | 1));
    w.run(2);
    assert.deepEqual(w.console, ["flag FIFO_FULL"]);
  });

  it("debounce fires once the level has held", () => {
    const w = boot(`setWatch(function(e){ console.log(e.state, e.time.toFixed(3)); }, D18, {repeat:true, edge:"falling", debounce:20});`);
    w.clock.at(0.1, () => w.pins.drive(18, "t", 0));
    w.clock.at(0.102, () => w.pins.drive(18, "t", null));
    w.clock.at(0.104, () => w.pins.drive(18, "t", 0)); // bounce, then stays low
    w.run(1);
    assert.deepEqual(w.console, ["false 0.104"]);
  });

  it("I2C NACK throws like Espruino; transactions reach the target", () => {
    const w = boot(`I2C1.setup({scl: D22, sda: D21, bitrate: 400000});
      try { I2C1.writeTo(0x50, [1, 2]); } catch (e) { console.log("threw", e.message); }
      I2C1.writeTo({address: 0x51, stop: false}, 9, [8, 7]);
      console.log(I2C1.readFrom(0x51, 3));`);
    // the board's parts are on this bus too; add a test target at a free address
    assert.match(w.console[0]!, /^threw I2C Error: no ACK/);
    const bus = w.i2c.i2c1!;
    const seen: number[][] = [];
    bus.attach({ address: 0x52, write: (d) => seen.push([...d]), read: (n) => new Uint8Array(n).fill(5) });
    bus.attach({ address: 0x53, write: () => { throw new NackError("busy"); }, read: (n) => new Uint8Array(n) });
    w.mcu.realm.run(`I2C1.writeTo(0x52, 1, "AB", [3]); try { I2C1.writeTo(0x53, 1); } catch (e) { console.log("nack"); }
      console.log(I2C1.readFrom(0x52, 2));`);
    assert.deepEqual(seen, [[1, 65, 66, 3]]);
    assert.deepEqual(w.console.slice(-2), ["nack", "new Uint8Array([5, 5])"]);
  });

  it("UART: bytes reach the wire paced; write blocks when the TX queue is full; RX arrives as data chunks", () => {
    const w = boot(`Serial2.setup(9600, {tx: D17, rx: D16});
      Serial2.on("data", function(d){ console.log("rx", JSON.stringify(d)); });
      var t0 = getTime(); var s = ""; for (var i = 0; i < 356; i++) s += "x";
      Serial2.write(s); console.log("blocked", (getTime() - t0).toFixed(4));`);
    const wire = w.uarts.uart2!;
    const tx: number[] = [];
    wire.onTx((b) => tx.push(b));
    wire.send("hello");
    w.run(1);
    // 356 bytes: the call returns once byte 99 (355 - 256) has started: 99 byte times of 10 bits
    assert.equal(w.console[0], "blocked " + (99 * 10 / 9600).toFixed(4));
    assert.equal(wire.stats.txBytes, 356);
    assert.equal(tx.length, 356 - 99); // the first 99 left while the write blocked, before onTx was attached
    // an idle interpreter takes each byte as it lands (9600 baud: 1 ms apart): chunks of any size
    assert.equal(w.console.slice(1).map((l) => JSON.parse(l.slice(3))).join(""), "hello");
  });

  it("UART bytes that land while the interpreter is busy reach on('data') as one chunk", () => {
    const w = boot(`Serial2.setup(115200, {tx: D17, rx: D16}); Serial2.on("data", function(d){ console.log(JSON.stringify(d)); });`,
      { callbackCost: 0.01 });
    w.uarts.uart2!.send("ab");
    w.clock.at(0.0005, () => w.uarts.uart2!.send("cdefgh")); // lands during the 10 ms the first callback costs
    w.run(1);
    assert.deepEqual(w.console, ['"a"', '"bcdefgh"']);
  });

  it("console output goes out at 115,200 baud and blocks once 256 bytes are queued", () => {
    const w = boot(`var s = ""; for (var i = 0; i < 999; i++) s += "x"; var t0 = getTime(); console.log(s); console.log((getTime() - t0).toFixed(5));`);
    // 999 + CR LF = 1,001 bytes: the call returns once byte 744 has started
    assert.equal(w.console[1], (744 * 10 / 115200).toFixed(5));
  });

  it("UART data chunks are at most 256 bytes", () => {
    const w = boot(`Serial2.setup(115200, {tx: D17, rx: D16}); var sizes = [];
      Serial2.on("data", function(d){ sizes.push(d.length); });
      setTimeout(function(){ console.log(sizes.join()); }, 500);`, { callbackCost: 0.2 });
    w.uarts.uart2!.send("a"); // the first callback keeps the interpreter busy for 200 ms
    w.clock.at(0.001, () => w.uarts.uart2!.send("x".repeat(600)));
    w.run(1);
    assert.deepEqual(w.console, ["1,256,256,88"]);
  });

  it("UART without a data listener buffers for available()/read()", () => {
    const w = boot(`Serial2.setup(19200, {tx: D17, rx: D16}); setTimeout(function(){ console.log(Serial2.available(), Serial2.read(2), Serial2.read()); }, 500);`);
    w.uarts.uart2!.send("abc");
    w.run(1);
    assert.deepEqual(w.console, ["3 ab c"]);
  });
});

describe("sim runtime: loopback, reboot, realtime", () => {
  it("LoopbackA writes arrive at LoopbackB through the event queue", () => {
    const w = boot(`LoopbackB.on("data", function(d){ console.log("B got", d); }); LoopbackA.write("hi"); console.log("sent");`);
    w.run(0.1);
    assert.deepEqual(w.console, ["sent", "B got hi"]);
  });

  it("E.reboot starts a fresh context on the same flash; parts stay powered", () => {
    const w = boot(`var f = require("Flash"); var n = f.read(1, 0x310300)[0]; console.log("boot", n);
      if (n === 255) { f.write([7], 0x310300); setTimeout(function(){ E.reboot(); console.log("not reached"); }, 10); }`);
    w.run(1);
    assert.deepEqual(w.console, ["boot 255", "boot 7"]);
    assert.equal(w.powered, true);
  });

  it("realtime pacing advances virtual time with the wall clock", () => {
    const w = boot(``);
    const wall = sinon.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    try {
      const ticks: number[] = [];
      const stop = w.startRealtime({ speed: 100, tickMs: 5, onTick: () => ticks.push(w.clock.now()) });
      wall.tick(60); // 60 ms of wall time at x100: 6 virtual seconds, in 12 ticks of 0.5 s
      stop();
      wall.tick(100); // stopped: no more ticks
      assert.equal(ticks.length, 12);
      assert.ok(Math.abs(ticks[0]! - 0.5) < 1e-9, "first tick at " + ticks[0]);
      assert.ok(Math.abs(w.clock.now() - 6) < 1e-9, "virtual time " + w.clock.now());
    } finally { wall.restore(); }
  });
});
