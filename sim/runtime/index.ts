// The simulated MCU running Espruino: see ./mcu.ts for the loop and docs/simulator.md.
import { Mcu, type McuHost } from "./mcu";
import { installCore } from "./api-core";
import { installIo } from "./api-io";
import { installModules } from "./api-modules";
import { installGraphics } from "./graphics";
import { installMemory } from "./memory";

export { Mcu, type McuHost } from "./mcu";
export { StorageFs } from "./storage";
export { DEFAULT_CALLBACK_COST, EVENT_QUEUE_BYTES, WATCH_EVENT_BYTES } from "./mcu";

/** a powered-on MCU with the whole Espruino API installed, no firmware loaded yet */
export function createMcu(host: McuHost): Mcu {
  const mcu = new Mcu(host);
  installCore(mcu);
  installIo(mcu);
  installModules(mcu);
  installGraphics(mcu);
  installMemory(mcu);
  return mcu;
}
