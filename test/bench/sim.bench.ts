// Figure: complete sales per wall-clock second in the simulator (virtual time), the built
// bundle end to end: keys -> swipe -> host -> approved -> merchant copy printed -> READY.
//   sim.sales_per_second: N sales/s   (goal >= 200)
import { SimTarget } from "../../sim/scenario/target-sim";
import { cliArgs, numberArg } from "../../sim/cli-args";

// steady state after a JIT warm-up of WARMUP sales (Node compiles the simulator's hot paths
// during the first ~50 sales); the cold figure from boot is printed too
const parsed = cliArgs("sim.bench", process.argv.slice(2), {}, "usage: tsx test/bench/sim.bench.ts [SALES]   (default 300)", { max: 1, name: "sales count" },
  ({ positionals }) => { if (positionals[0] !== undefined) numberArg("sales count", positionals[0], { type: "int", min: 1 }); });
if (typeof parsed === "number") process.exit(parsed);
const SALES = parsed.positionals[0] === undefined ? 300 : Number(parsed.positionals[0]);
const WARMUP = 50;

/** polls the panel every 50 ms of virtual time (reading it back costs more than a step) */
function waitScreen(t: SimTarget, text: string, within: number): void {
  const end = t.now() + within;
  while (!t.screen().join(" | ").includes(text)) {
    if (t.now() >= end) throw new Error(`expected "${text}", screen: ${t.screen().join(" | ")}`);
    t.run(0.05);
  }
}

function oneSale(t: SimTarget, amount: string): void {
  for (const c of amount) { t.press(c); t.run(0.15); }
  t.press("ENTER"); t.run(0.15);
  waitScreen(t, "Swipe or tap", 5);
  t.swipe("visa-good");
  waitScreen(t, "Customer copy?", 60);
  t.press("CANCEL");
  waitScreen(t, "READY", 10);
}

const t = new SimTarget();
// the JsVar model keeps score but does not stop the firmware here: this bench measures speed
// (test/sim/memory.test.ts checks memory); the highest estimate is printed below
t.world.mcu.memory!.enforce = false;
waitScreen(t, "READY", 20);
let n = 0;
const timed = (count: number): number => {
  const start = process.hrtime.bigint();
  // amounts end in 0: the acquirer declines amounts ending in 51
  for (let i = 0; i < count; i++, n++) oneSale(t, String(1000 + (n % 5000) * 10));
  return Number(process.hrtime.bigint() - start) / 1e9;
};
const cold = timed(WARMUP);
const v0 = t.now();
const wall = timed(SALES);
const l = t.ledger();
if (l.charges.length !== SALES + WARMUP || l.doubleCharges !== 0) throw new Error(`ledger: ${l.charges.length} charges, ${l.doubleCharges} double`);
console.log(`sim.sales_per_second: ${(SALES / wall).toFixed(1)} sales/s  # ${SALES} sales in ${wall.toFixed(2)} s wall after ${WARMUP} warm-up sales, ${((t.now() - v0) / SALES).toFixed(2)} s virtual each; goal >= 200`);
const peak = t.world.mcu.memory!.peak;
console.log(`sim.jsvars_peak: ${peak} JsVars  # highest estimate of the periodic memory checks over ${SALES + WARMUP} sales (sim/runtime/memory.ts); the ESP32 has 16383${peak > 16383 ? ": the device would have run out of memory" : ""}`);
console.log(`sim.sales_per_second_cold: ${(WARMUP / cold).toFixed(1)} sales/s  # the first ${WARMUP} sales after boot, JIT warm-up included`);
