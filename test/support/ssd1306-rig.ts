// A display test rig: Testbed buses (test/support/testbed.ts) + virtual SSD1306 + the driver,
// initialised, with a Graphics buffer in the panel's layout and an I2C byte counter.
import { Testbed } from "./testbed";
import { Ssd1306Part } from "../../sim/parts/ssd1306";
import { Graphics } from "../../sim/runtime/graphics";
import { Ssd1306, type Ssd1306Fault } from "../../drivers/ssd1306/ssd1306";

export function displayRig(opts: { chunk?: number } = {}) {
  const tb = new Testbed({ seed: 5 });
  const part = new Ssd1306Part("display", { address: 0x3c, width: 128, height: 64 }, tb.partContext());
  tb.i2cSim("i2c1").attach(part);
  const faults: Ssd1306Fault[] = [];
  const drv = new Ssd1306({ i2c: tb.i2c("i2c1"), io: tb.io(), address: 0x3c, chunk: opts.chunk, onFault: (f) => faults.push(f) });
  const g = Graphics.createArrayBuffer(128, 64, 1, { vertical_byte: true, msb: false });
  const bytes: number[] = [];
  tb.i2cSim("i2c1").onTransaction((t) => { if (t.dir === "w") bytes.push(t.data.length + 1); });
  let initErr: Ssd1306Fault | null | undefined;
  drv.init((e) => { initErr = e; });
  tb.run(0.05);
  return { tb, part, drv, g, faults, bytes, initErr: () => initErr, wire: () => bytes.reduce((a, b) => a + b, 0) };
}
