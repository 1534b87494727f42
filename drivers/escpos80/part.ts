// An 80 mm ESC/POS thermal printer on a UART: the same command set and paced driver as the
// 58 mm printer (drivers/escpos), with the model's own paper width, characters per line and
// speed. Descriptor: part.spec.ts.
import { PartDeps } from "../parts";
import { EscPosPrinter } from "../escpos/printer";
import type { Escpos80Entry } from "./part.spec";

/** The model: 80 mm paper, 72 mm printed at 8 dots/mm; font A (12 x 24) gives 48 columns. */
export const enum Escpos80 { Dots = 576, Columns = 48, MmPerSecond = 150 }

export function escpos80(e: Escpos80Entry, d: PartDeps, onStatus: (what: string) => void): EscPosPrinter {
  return new EscPosPrinter({ uart: d.uart[e.bus]!, io: d.io, baud: d.board().buses[e.bus]!.baud!, dots: Escpos80.Dots,
    columns: Escpos80.Columns, mmPerSecond: Escpos80.MmPerSecond, onStatus: onStatus });
}
