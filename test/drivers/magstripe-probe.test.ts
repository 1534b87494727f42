// The magstripe probe against the virtual readers: capture structure, timing, masked bits, stats.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { createWorld } from "../../sim/harness";
import { Testbed } from "../support/testbed";
import { MagstripeTtlPart } from "../../sim/parts/magstripe-ttl";
import { MagstripeUartPart } from "../../sim/parts/magstripe-uart";
import { runMsrProbe } from "../../firmware/cards/msr-probe";
import board from "../../boards/pos-esp32-v1.json";
import fixtures from "../fixtures/cards/tracks.json";

describe("magstripe probe", () => {
  it("TTL: dumps bits with the PAN masked, timing and speed, and counts errors by reason", () => {
    const tb = new Testbed({ seed: 2 });
    const part = new MagstripeTtlPart("msr", board.parts.msr as any, tb.partContext());
    const log: string[] = [];
    const probe = runMsrProbe({ io: tb.io(), spec: board.parts.msr, errorFlags: tb.getErrorFlags, log: (l) => log.push(l) })!;
    assert.ok(log[0]!.includes("expect 1 1 1") && log[0]!.includes("strobe 1 data 1 present 1"), log[0]);
    const c = fixtures.good[0]!;
    tb.run(part.swipe(c, { speed: 20, accel: 0, jitter: 0 }) + 0.3);
    tb.run(part.swipe(fixtures.bad[0]!.track2!, { speed: 20 }) + 0.3);
    const text = log.join("\n");
    assert.match(text, /msr: swipe track 2: \d+ bits, period us min \d+ avg (\d+) max \d+, about 20 ips/);
    assert.match(text, /msr: bits 22 zeros \| 11010 (xxxxx ){12}(\d{5} ){4}10110 (xxxxx ){19}11111 \d{5} \| \d+ trailing/, "SS, 12 masked digits, last four, separator, masked rest, ES, LRC");
    assert.ok(text.includes("msr: ok **** **** **** 1111 exp ok sc 101"));
    assert.ok(!text.includes(c.pan) && !text.includes("411111"), "no PAN in clear");
    assert.ok(!text.includes(c.expiry), "no expiry in clear");
    assert.ok(text.includes("msr: rejected: bad_pan"));
    assert.equal(log[log.length - 1], "msr: reads 1 ok, errors bad_pan 1");
    assert.deepEqual(probe.stats.errors, { bad_pan: 1 });
  });

  it("UART: masked summary and statistics", () => {
    const tb = new Testbed();
    const spec = { type: "magstripe-uart", bus: "uart3" };
    const part = new MagstripeUartPart("msr", spec as any, tb.partContext());
    const uart = tb.uart("uart3", 9600);
    const log: string[] = [];
    runMsrProbe({ io: tb.io(), spec, uart: () => uart, errorFlags: tb.getErrorFlags, log: (l) => log.push(l) });
    part.swipe(fixtures.good[2]!);
    tb.run(0.5);
    part.swipe({}, { bad: true });
    tb.run(0.5);
    assert.ok(log.includes("msr: track 2 **** **** **** 4444 exp ok sc 101"), log.join("\n"));
    assert.ok(!log.join("\n").includes(fixtures.good[2]!.expiry), "no expiry in clear");
    assert.equal(log[log.length - 1], "msr: reads 1 ok, errors parity 1");
  });
});

describe("probe-msr.js bundle in the simulated world", () => {
  const bundle = path.join(__dirname, "..", "..", "dist", "pos-esp32-v1", "probe-msr.js");
  it("captures swipes through the runtime's watches and event queue (needs make build)", function () {
    if (!fs.existsSync(bundle)) this.skip();
    const w = createWorld({ board: "pos-esp32-v1", bundle });
    w.run(0.5);
    const msr = w.parts.msr as unknown as MagstripeTtlPart;
    w.run(msr.swipe(fixtures.good[2]!, { speed: 30 }) + 0.5);
    w.run(msr.swipe(fixtures.good[2]!, { speed: 30, reverse: true }) + 0.5);
    assert.deepEqual(w.errors, []);
    const text = w.console.join("\n");
    assert.ok(text.includes("msr: ok **** **** **** 4444 exp ok sc 101 (reverse)"), text);
    assert.equal(w.console[w.console.length - 1], "msr: reads 2 ok, errors none");
    assert.ok(!text.includes("555555"), "no PAN in clear");
  });
});
