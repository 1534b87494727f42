// The 58 mm ESC/POS thermal printer on a UART as a board part (drivers/parts.ts). Its paper
// width, characters per line and speed are board fields (modules differ).
import { part, EntryOf } from "../parts";

export const ESCPOS = part({
  type: "escpos", role: "printer", what: "ESC/POS thermal printer on a UART (58 mm: 384 dots, 32 columns)", factory: "escpos",
  fields: {
    bus: { kind: "bus", of: ["uart"] },
    /** dots per printed line (58 mm: 384) */
    dots: { kind: "int", min: 8 },
    /** characters per line in font A: the receipt layouts' width */
    columns: { kind: "int", min: 1 },
    /** mechanism speed, mm of paper per second */
    mmPerSecond: { kind: "positive" },
    /** optional busy/DTR input (the driver paces itself and does not read it) */
    busy: { kind: "pin", dir: "in", what: "printer busy", optional: true },
  },
});
export type EscposEntry = EntryOf<typeof ESCPOS>;

export const parts = [ESCPOS];
