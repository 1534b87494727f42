// The SSD1306 OLED as a board part (drivers/parts.ts): the display on an I2C bus.
import { part, EntryOf } from "../parts";

export const SSD1306 = part({
  type: "ssd1306", role: "display", what: "SSD1306 128x64 OLED on I2C", factory: "ssd1306",
  fields: {
    bus: { kind: "bus", of: ["i2c"] },
    address: { kind: "address" },
    width: { kind: "int", min: 1 },
    height: { kind: "int", min: 8, step: 8, why: "vertical_byte layout" },
    reset: { kind: "pin", dir: "out", what: "display reset", optional: true },
  },
});
export type Ssd1306Entry = EntryOf<typeof SSD1306>;

export const parts = [SSD1306];
