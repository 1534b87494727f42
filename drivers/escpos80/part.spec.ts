// The 80 mm ESC/POS printer as a board part (drivers/parts.ts). Its paper width, columns and
// speed are the model's (part.ts), not board fields; the simulator's virtual ESC/POS printer
// stands in for it with those.
import { part, EntryOf } from "../parts";
import { Escpos80 } from "./part";

export const ESCPOS_80 = part({
  type: "escpos-80mm", role: "printer", what: "80 mm ESC/POS thermal printer on a UART (576 dots, 48 columns, 150 mm/s)", factory: "escpos80",
  fields: {
    bus: { kind: "bus", of: ["uart"] },
    /** optional busy/DTR input (the driver paces itself and does not read it) */
    busy: { kind: "pin", dir: "in", what: "printer busy", optional: true },
  },
  virtual: "escpos",
  model: { dots: Escpos80.Dots, columns: Escpos80.Columns, mmPerSecond: Escpos80.MmPerSecond },
});
export type Escpos80Entry = EntryOf<typeof ESCPOS_80>;

export const parts = [ESCPOS_80];
