// Magstripe reader figures, measured in the simulator: the TTL driver against the virtual
// reader through the modelled Espruino event queue (4096 B, 6 B per edge, every STROBE edge
// queued; JS takes one event at a time at a modelled cost: see docs/cards.md).
//   msr.decode_rate              seeded swipes at 10..60 ips, hand-swipe jitter and speed ramp
//   msr.max_ips_no_overflow.*    highest speed at which no swipe overflowed the queue
import * as fs from "fs";
import * as path from "path";
import { createWorld, readBoard } from "../../sim/harness";
import { Testbed } from "../support/testbed";
import { MagstripeTtlPart } from "../../sim/parts/magstripe-ttl";
import { MagstripeTtl } from "../../drivers/magstripe/ttl";
import fixtures from "../fixtures/cards/tracks.json";
import { DEFAULT_CALLBACK_COST } from "../../sim/runtime/mcu";

interface Outcome { ok: number; overflow: number; other: number; maxQueued: number; }

function swipes(track: number, speeds: number[], perSpeed: number, seed: number, callbackCost: number, busy = false): Outcome {
  const out: Outcome = { ok: 0, overflow: 0, other: 0, maxQueued: 0 };
  const tb = new Testbed({ seed, callbackCost });
  const part = new MagstripeTtlPart("msr", { type: "magstripe-ttl", strobe: 34, data: 35, cardPresent: 39, tracks: [track] }, tb.partContext());
  const drv = new MagstripeTtl({ io: tb.io(), strobe: 34, data: 35, cardPresent: 39, track, errorFlags: tb.getErrorFlags });
  let last: string | null = "none";
  drv.start((err) => { last = err ? err.reason : null; });
  let n = 0;
  for (const speed of speeds) {
    for (let i = 0; i < perSpeed; i++) {
      const c = fixtures.good[n++ % fixtures.good.length]!;
      last = "none";
      if (busy) tb.busyUntil = tb.clock.now() + 1; // JS busy (drawing, printing) for the whole swipe
      const dur = part.swipe(c, { speed, jitter: 0.08, reverse: (n & 3) === 0 });
      tb.run(Math.max(dur, tb.busyUntil - tb.clock.now()) + 0.05);
      tb.runUntil(() => last !== "none", 3); // CARD PRESENT's edge may be lost: the driver's guard timer ends the swipe
      if (last === "none") throw new Error("swipe not decoded in time");
      if (last === null) out.ok++; else if (last === "overflow") out.overflow++; else out.other++;
      tb.run(0.3);
    }
  }
  out.maxQueued = tb.stats.maxQueued;
  return out;
}

function maxSpeed(track: number, cost: number, busy = false): number {
  let best = 0;
  for (let ips = 4; ips <= 120; ips += 2) { // from the slowest hand swipe up
    const o = swipes(track, [ips], 10, 1000 + ips, cost, busy);
    if (o.overflow === 0) best = ips; else break;
  }
  return best;
}

const COST = DEFAULT_CALLBACK_COST; // the runtime's interpreter cost per callback (sim/runtime/mcu.ts)
const speeds: number[] = [];
for (let s = 10; s <= 60; s += 5) speeds.push(s);

const t2 = swipes(2, speeds, 40, 42, COST);
const n2 = t2.ok + t2.overflow + t2.other;
console.log(`msr.decode_rate: ${(100 * t2.ok / n2).toFixed(1)} % # track 2 on TTL (board choice), ${n2} seeded swipes at 10-60 ips, jitter 8 %, speed ramp up to 30 %, 1 in 4 reversed; overflow ${t2.overflow}, other errors ${t2.other}`);
const t1 = swipes(1, speeds, 40, 42, COST);
const n1 = t1.ok + t1.overflow + t1.other;
console.log(`msr.decode_rate.track1_ttl: ${(100 * t1.ok / n1).toFixed(1)} % # same swipes on a track 1 head; overflow ${t1.overflow}, other errors ${t1.other}`);
console.log(`msr.queue_peak.track2: ${t2.maxQueued} events # of 682 (4096 B / 6 B)`);

for (const track of [2, 1]) {
  const best = maxSpeed(track, COST);
  console.log(`msr.max_ips_no_overflow.track${track}: ${best} ips # callback ${COST * 1e3} ms; 10 swipes per speed, 2 ips steps, 4..120` +
    (best === 120 ? " (no overflow up to the sweep limit)" : best === 0 ? " (overflows even at 4 ips)" : ""));
}
for (const cost of [0.25e-3, 0.5e-3]) {
  console.log(`msr.max_ips_no_overflow.track1.cb${Math.round(cost * 1e6)}us: ${maxSpeed(1, cost)} ips # sensitivity to the callback-cost model`);
}
for (const track of [2, 1]) {
  const busy = swipes(track, [4, 30, 60, 120], 5, 7, COST, true);
  console.log(`msr.busy_js_overflow.track${track}: ${busy.overflow} of ${busy.ok + busy.overflow + busy.other} # JS busy for the whole swipe (nothing drained) at 4, 30, 60, 120 ips; queue peak ${busy.maxQueued} of 682 events`);
}

// Cross-check in the full simulator: probe-msr.js (the real bundle) in a world whose reader
// head is set to each track; the probe prints "rejected: overflow" on FIFO_FULL. (The bundle
// decodes the board's track 2, so only overflow is read from the track 1 runs.)

const bundle = path.join(__dirname, "..", "..", "dist", "pos-esp32-v1", "probe-msr.js");
if (fs.existsSync(bundle)) {
  for (const track of [2, 1]) {
    const board = readBoard("pos-esp32-v1");
    (board.parts.msr as any).tracks = [track];
    const w = createWorld({ board, bundle, seed: 5 });
    w.run(0.5);
    const part = w.parts.msr as unknown as MagstripeTtlPart;
    let best = 0;
    for (let ips = 4; ips <= 120; ips += 2) {
      const before = w.console.length;
      for (let i = 0; i < 3; i++) {
        const c = fixtures.good[i]!;
        w.run(part.swipe(track === 1 ? c.track1 : c.track2, { speed: ips, jitter: 0.08 }) + 0.05);
        w.runUntil(() => w.console.slice(before).filter((l) => l.startsWith("msr: reads")).length > i, 3);
      }
      if (w.console.slice(before).some((l) => l.includes("rejected: overflow"))) break;
      best = ips;
    }
    console.log(`msr.world.max_ips_no_overflow.track${track}: ${best} ips # probe-msr.js in the simulated world (runtime event queue, default cost model), 3 swipes per speed` +
      (best === 120 ? " (no overflow up to the sweep limit)" : ""));
  }
} else {
  console.log("# msr.world.*: skipped (no dist/pos-esp32-v1/probe-msr.js: make build)");
}
