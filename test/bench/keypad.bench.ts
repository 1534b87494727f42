// keypad.* figures in the simulator: timer callbacks while idle, press-to-event latency.
import { keypadRig, SPEC } from "../drivers/keypad-rig";

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
