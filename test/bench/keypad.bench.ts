// keypad.* figures in the simulator: timer callbacks while idle, press-to-event latency.
import * as fs from "fs";
import * as path from "path";
import { createWorld } from "../../sim/harness";
import type { KeypadMatrixPart } from "../../sim/parts/keypad-matrix";
import { keypadRig, SPEC } from "../support/keypad-rig";

const idle = keypadRig();
const idleSeconds = 60;
idle.tb.run(idleSeconds);
console.log(`keypad.idle_cpu: ${idle.counter.timerCallbacks / idleSeconds} callbacks/s  # timer callbacks over ${idleSeconds} s idle; goal 0`);

const r = keypadRig({}, 7);
const all = SPEC.keys.flat();
const latencies: number[] = [];
const taps = 200;
const cbBefore = r.counter.timerCallbacks;
for (let i = 0; i < taps; i++) {
  const k = all[i % all.length]!;
  const t0 = r.tb.clock.now();
  const n = r.events.length;
  r.tb.run(r.part.tap(k, 0.08, { settle: 0.005 }) + 0.05);
  const e = r.events[n];
  if (!e || e.key !== k) throw new Error(`tap ${i}: expected ${k}, got ${e ? e.key : "nothing"}`);
  latencies.push(e.t - t0);
}
const mean = latencies.reduce((a, b) => a + b, 0) / taps;
const max = Math.max(...latencies);
console.log(`keypad.key_latency_ms: ${(mean * 1000).toFixed(1)} ms  # press to event, mean of ${taps} bouncy taps (max ${(max * 1000).toFixed(1)} ms); debounce 20 ms, poll 10 ms`);
console.log(`keypad.callbacks_per_tap: ${((r.counter.timerCallbacks - cbBefore) / taps).toFixed(1)} callbacks  # timer callbacks from press to idle again (80 ms hold)`);

// The same figures from the real bundle (probe-keypad.js) in the simulated world: every JS
// callback the runtime runs (timers and IO events), and press -> console line latency.

const bundle = path.join(__dirname, "..", "..", "dist", "pos-esp32-v1", "probe-keypad.js");
if (!fs.existsSync(bundle)) {
  console.log("# keypad.world_*: skipped, dist/pos-esp32-v1/probe-keypad.js missing (make build)");
} else {
  const w = createWorld({ board: "pos-esp32-v1", bundle });
  w.run(1);
  const before = w.mcu.stats.callbacks;
  w.run(60);
  console.log(`keypad.world_idle_cpu: ${(w.mcu.stats.callbacks - before) / 60} callbacks/s  # probe-keypad.js in the harness, all JS callbacks over 60 s idle; goal 0`);
  const kp = w.parts.keypad as unknown as KeypadMatrixPart;
  const lat: number[] = [];
  let pressedAt = 0;
  w.onConsole((l) => { if (l.startsWith("keypad: key ")) lat.push(w.clock.now() - pressedAt); });
  for (let i = 0; i < 50; i++) {
    pressedAt = w.clock.now();
    w.run(kp.tap(SPEC.keys.flat()[i % 16]!, 0.08, { settle: 0.005 }) + 0.05);
  }
  if (lat.length !== 50) throw new Error(`expected 50 key lines, got ${lat.length}`);
  const m = lat.reduce((a, b) => a + b, 0) / lat.length;
  console.log(`keypad.world_key_latency_ms: ${(m * 1000).toFixed(1)} ms  # press to console line in the harness, mean of 50 (max ${(Math.max(...lat) * 1000).toFixed(1)} ms), runtime callback cost included`);
}
