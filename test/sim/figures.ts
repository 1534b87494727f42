// Figures for the simulator runtime (docs/simulator.md): `node_modules/.bin/tsx test/sim/figures.ts`
// prints `name: value unit` lines. Needs `make build` for the bundle figures.
import * as fs from "fs";
import { createWorld, defaultBundle } from "../../sim/harness";

function line(name: string, value: number | string, unit = ""): void { console.log(`${name}: ${value}${unit ? " " + unit : ""}`); }

// 1. IO queue capacity: edges accepted while the interpreter is blocked in a long UART write
{
  const w = createWorld({ board: "pos-esp32-v1", bundle: "/figures/queue.js", source: `
    setWatch(function(){}, D37, {repeat: true});
    global.busy = function () { Serial2.setup(9600, {tx: D17, rx: D16}); var s = ""; for (var i = 0; i < 2000; i++) s += "x"; Serial2.write(s); };` });
  for (let i = 0; i < 2000; i++) w.clock.at(0.01 + i * 1e-4, () => w.pins.drive(37, "t", (i % 2 ? 0 : 1) as 0 | 1));
  w.clock.at(0.005, () => w.mcu.queueJs(() => w.mcu.invoke(w.mcu.realm.global.busy, undefined, [])));
  w.run(3);
  line("sim.queue_edges_before_fifo_full", w.mcu.stats.maxQueueBytes / 6, "edges");
  line("sim.queue_edges_dropped_of_2000", w.mcu.stats.dropped, "edges");
}

// 2. boot and power cycle of the real bundle, wall time
const bundle = defaultBundle("pos-esp32-v1");
if (fs.existsSync(bundle)) {
  let t = performance.now();
  const w = createWorld({ board: "pos-esp32-v1" });
  line("sim.first_boot_wall", (performance.now() - t).toFixed(1), "ms");
  w.run(2);
  const n = 50;
  t = performance.now();
  for (let i = 0; i < n; i++) { w.powerCut(); w.powerOn(); w.run(0.2); }
  line("sim.power_cycle_wall", ((performance.now() - t) / n).toFixed(1), "ms");
  t = performance.now();
  w.run(600);
  line("sim.idle_600_virtual_s_wall", (performance.now() - t).toFixed(1), "ms");
}
