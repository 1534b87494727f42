// The printer-neutral document: what a receipt, report or settlement layout may ask of a
// printer. Layouts (firmware/receipt/) write to a PrintDoc; each printer driver supplies one that
// turns the calls into its command set (drivers/escpos/encoder.ts for ESC/POS). Nothing here
// exists at run time: the interface is erased and the enums are inlined by the compiler, so a
// layout calls the driver's encoder directly and streams into it (a 500-line report is never
// held twice).

export const enum Align { Left = 0, Center = 1, Right = 2 }
/** QR error correction level (the values are ESC/POS's, which other command sets map) */
export const enum QrEc { L = 48, M = 49, Q = 50, H = 51 }
/** where a barcode's human-readable text goes */
export const enum Hri { None = 0, Above = 1, Below = 2, Both = 3 }

export interface PrintDoc {
  /** characters per line in the normal font on this printer (32 on 58 mm, 48 on 80 mm) */
  columns: number;
  /** back to the printer's default modes and its plain ASCII character set */
  init(): PrintDoc;
  align(a: Align): PrintDoc;
  bold(on: boolean): PrintDoc;
  /** character magnification, 1..8 each way */
  size(width: number, height: number): PrintDoc;
  /** printable ASCII, then a line feed */
  line(s: string): PrintDoc;
  newline(): PrintDoc;
  /** n blank lines */
  feed(n: number): PrintDoc;
  /** cut the paper (partial: leave a hinge) */
  cut(partial?: boolean): PrintDoc;
  /** CODE128 of `data`, `height` dots high, bars `width` dots wide */
  barcode128(data: string, height: number, width: number, hri: Hri): PrintDoc;
  /** a QR code of `data` with modules of `moduleDots` dots */
  qr(data: string, moduleDots: number, ec: QrEc): PrintDoc;
}

/** A print job is re-renderable, not a byte stream: after paper out the driver renders it again
 *  with reprint = true (the layout marks it "REPRINT"). A job for one command set only (the
 *  ESC/POS self-test page) names that driver's document type as D. */
export interface PrintJob<D extends PrintDoc = PrintDoc> {
  render(doc: D, reprint: boolean): void;
}
