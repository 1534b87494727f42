// ESC/POS command encoder (pure): builds a receipt into one reusable, growing byte buffer.
// Besides the bytes it records "marks": command boundaries with the paper (dot rows) the
// printer has moved by then. The paced driver cuts chunks at marks (so a status query never
// lands inside a command) and estimates mechanism time from the dots.
// Bytes per ../../../shared/pos-domain.md section 5. ASCII only: other characters print as '?'.

import { Align, QrEc, Hri, PrintDoc } from "../print-doc";

/** ESC ! bits */
export const enum Mode { FontB = 1, Bold = 8, DoubleHeight = 16, DoubleWidth = 32, Underline = 128 }

/** dots of the default line pitch (ESC 2) on 203 dpi printers */
export const DEFAULT_LINE_DOTS = 30;
/** font A cell height in dots */
const FONT_A_HEIGHT = 24;
/** largest raster band in bytes, so every chunk boundary can fall between bands */
const RASTER_BAND_BYTES = 192;

/** The class is defined per encoder, inside this function: its ~28 methods cost ~130 JsVars
 *  for as long as the class exists, and an idle terminal prints nothing (an encoder lives only
 *  while a job runs). */
function defineEncoder() {
  /** ESC/POS's PrintDoc (drivers/print-doc.ts), plus what only ESC/POS pages use (raster, modes,
   *  status requests: the self-test page) */
  class Encoder implements PrintDoc {
    private buf: Uint8Array;
    private len = 0;
    private markPos: Int32Array;
    private markDots: Int32Array;
    private marks = 0;
    /** dot rows of paper moved so far (estimate, same rules as the virtual printer) */
    dots = 0;
    /** characters per line in font A on the printer this is for: layouts read it (the printer
     *  driver sets it from the board; 32 on 58 mm paper) */
    columns = 32;
    private lineSpacing = DEFAULT_LINE_DOTS;
    private heightMul = 1;
    private lineHeight = 0;

    constructor(capacity?: number) {
      this.buf = new Uint8Array(capacity || 1024);
      this.markPos = new Int32Array(64);
      this.markDots = new Int32Array(64);
    }

    /** forget the content, keep the buffers */
    reset(): this {
      this.len = 0;
      this.marks = 0;
      this.dots = 0;
      this.lineSpacing = DEFAULT_LINE_DOTS;
      this.heightMul = 1;
      this.lineHeight = 0;
      return this;
    }

    get length(): number { return this.len; }

    /** a view of the bytes (valid until the next reset or write) */
    bytes(): Uint8Array { return this.buf.subarray(0, this.len); }

    /** number of marks, and each mark's byte offset and cumulative dots */
    markCount(): number { return this.marks; }
    markOffset(i: number): number { return this.markPos[i]!; }
    markDotsAt(i: number): number { return this.markDots[i]!; }

    private ensure(extra: number): void {
      var need = this.len + extra;
      if (need <= this.buf.length) return;
      var cap = this.buf.length * 2;
      while (cap < need) cap = cap * 2;
      var nb = new Uint8Array(cap);
      nb.set(this.buf.subarray(0, this.len));
      this.buf = nb;
    }

    private b(v: number): void {
      this.ensure(1);
      this.buf[this.len++] = v & 255;
    }

    private b3(a: number, c: number, d: number): void {
      this.ensure(3);
      this.buf[this.len++] = a;
      this.buf[this.len++] = c;
      this.buf[this.len++] = d & 255;
    }

    private mark(): void {
      if (this.marks === this.markPos.length) {
        var np = new Int32Array(this.marks * 2), nd = new Int32Array(this.marks * 2);
        np.set(this.markPos);
        nd.set(this.markDots);
        this.markPos = np;
        this.markDots = nd;
      }
      this.markPos[this.marks] = this.len;
      this.markDots[this.marks] = this.dots;
      this.marks++;
    }

    private advance(d: number): void {
      this.dots += d;
      this.mark();
    }

    /** raw bytes, passed through (the caller keeps the printer state consistent) */
    raw(data: ArrayLike<number>): this {
      this.ensure(data.length);
      for (var i = 0; i < data.length; i++) this.buf[this.len++] = data[i]! & 255;
      return this;
    }

    /** ESC @ (reset the printer's modes), ESC t 0 (code page 437: ASCII as itself) */
    init(): this {
      this.b(0x1b); this.b(0x40);
      this.b3(0x1b, 0x74, 0);
      this.lineSpacing = DEFAULT_LINE_DOTS;
      this.heightMul = 1;
      this.mark();
      return this;
    }

    /** printable ASCII; control and 8-bit characters become '?' (newlines: use line()) */
    text(s: string): this {
      this.ensure(s.length);
      for (var i = 0; i < s.length; i++) {
        var c = s.charCodeAt(i);
        this.buf[this.len++] = c >= 32 && c < 127 ? c : 63;
      }
      if (s.length > 0 && this.lineHeight < FONT_A_HEIGHT * this.heightMul) this.lineHeight = FONT_A_HEIGHT * this.heightMul;
      return this;
    }

    /** LF: prints the line; the paper moves the line pitch or the tallest character */
    newline(): this {
      this.b(0x0a);
      this.advance(this.lineHeight > this.lineSpacing ? this.lineHeight : this.lineSpacing);
      this.lineHeight = 0;
      return this;
    }

    line(s: string): this {
      return this.text(s).newline();
    }

    /** ESC d n: print and feed n lines */
    feed(n: number): this {
      this.b3(0x1b, 0x64, n);
      var first = this.lineHeight > this.lineSpacing ? this.lineHeight : this.lineSpacing;
      this.lineHeight = 0;
      this.advance(n > 0 ? first + (n - 1) * this.lineSpacing : 0);
      return this;
    }

    /** ESC 3 n (dots) or, with no argument, ESC 2 (default pitch) */
    lineSpacingDots(n?: number): this {
      if (n === undefined) {
        this.b(0x1b); this.b(0x32);
        this.lineSpacing = DEFAULT_LINE_DOTS;
      } else {
        this.b3(0x1b, 0x33, n);
        this.lineSpacing = n;
      }
      return this;
    }

    /** ESC ! n: font B, bold, double height/width, underline bits (see Mode) */
    mode(bits: number): this {
      this.b3(0x1b, 0x21, bits);
      this.heightMul = bits & 16 ? 2 : 1;
      return this;
    }

    bold(on: boolean): this {
      this.b3(0x1b, 0x45, on ? 1 : 0);
      return this;
    }

    /** ESC - n: 0 off, 1 thin, 2 thick */
    underline(n: number): this {
      this.b3(0x1b, 0x2d, n);
      return this;
    }

    /** GS ! : character size, 1..8 times in each direction */
    size(width: number, height: number): this {
      this.b3(0x1d, 0x21, ((width - 1) << 4) | (height - 1));
      this.heightMul = height;
      return this;
    }

    /** GS B n: white on black */
    invert(on: boolean): this {
      this.b3(0x1d, 0x42, on ? 1 : 0);
      return this;
    }

    align(a: Align): this {
      this.b3(0x1b, 0x61, a);
      return this;
    }

    /** ESC t n (0 = CP437) */
    codePage(n: number): this {
      this.b3(0x1b, 0x74, n);
      return this;
    }

    /** GS V: full cut (0), partial (1); most 58 mm modules ignore it but it ends a receipt */
    cut(partial?: boolean): this {
      this.b3(0x1d, 0x56, partial ? 1 : 0);
      this.mark();
      return this;
    }

    /** CODE128 subset B (printable ASCII), GS k 73; height in dots, module width 2..6 */
    barcode128(data: string, height: number, width: number, hri: Hri): this {
      this.b3(0x1d, 0x68, height);
      this.b3(0x1d, 0x77, width);
      this.b3(0x1d, 0x48, hri);
      this.b3(0x1d, 0x6b, 73);
      this.b(data.length + 2);
      this.b(0x7b); this.b(0x42);
      this.text(data);
      this.lineHeight = 0;
      this.advance(height + (hri === Hri.None ? 0 : hri === Hri.Both ? 2 * FONT_A_HEIGHT : FONT_A_HEIGHT));
      return this;
    }

    /** QR model 2: store then print. moduleDots 1..16; the symbol size depends on the data,
     *  so the dots estimate uses the version the data needs at this EC level (close enough). */
    qr(data: string, moduleDots: number, ec: QrEc): this {
      this.raw([0x1d, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0]);
      this.raw([0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x43, moduleDots]);
      this.raw([0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x45, ec]);
      var n = data.length + 3;
      this.raw([0x1d, 0x28, 0x6b, n & 255, n >> 8, 0x31, 0x50, 0x30]);
      this.text(data);
      this.lineHeight = 0;
      this.raw([0x1d, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30]);
      this.advance(qrSideModules(data, ec) * moduleDots);
      return this;
    }

    /** GS v 0 raster, 1 bpp, MSB leftmost, rows of widthBytes; sent in bands so chunks can
     *  split between them */
    raster(widthBytes: number, rows: number, data: Uint8Array): this {
      var bandRows = Math.floor(RASTER_BAND_BYTES / widthBytes);
      if (bandRows < 1) bandRows = 1;
      for (var y = 0; y < rows; y += bandRows) {
        var h = rows - y < bandRows ? rows - y : bandRows;
        this.raw([0x1d, 0x76, 0x30, 0, widthBytes & 255, widthBytes >> 8, h & 255, h >> 8]);
        var start = y * widthBytes, end = start + h * widthBytes;
        this.ensure(end - start);
        this.buf.set(data.subarray(start, end), this.len); // native copy, no per-byte JS loop
        this.len += end - start;
        this.advance(h);
      }
      return this;
    }

    /** DLE EOT n: real-time status request (answered out of band, even when busy) */
    statusRequest(n: number): this {
      this.b3(0x10, 0x04, n);
      return this;
    }
  }
  return Encoder;
}

export type EscPosEncoder = InstanceType<ReturnType<typeof defineEncoder>>;
/** `new EscPosEncoder(capacity)` (default 1,024 bytes, grows as needed) */
export const EscPosEncoder = function (capacity?: number) {
  var C = defineEncoder();
  return new C(capacity);
} as any as new (capacity?: number) => EscPosEncoder;

// QR capacities of versions 1..10 (ISO/IEC 18004 table 7): numeric, alphanumeric, byte; each
// per EC level L, M, Q, H. One typed array (20 JsVars on Espruino) instead of nested arrays (150).
var QR_CAP = new Uint16Array([
  41, 77, 127, 187, 255, 322, 370, 461, 552, 652, 34, 63, 101, 149, 202, 255, 293, 365, 432, 513,
  27, 48, 77, 111, 144, 178, 207, 259, 312, 364, 17, 34, 58, 82, 106, 139, 154, 202, 235, 288,
  25, 47, 77, 114, 154, 195, 224, 279, 335, 395, 20, 38, 61, 90, 122, 154, 178, 221, 262, 311,
  16, 29, 47, 67, 87, 108, 125, 157, 189, 221, 10, 20, 35, 50, 64, 84, 93, 122, 143, 174,
  17, 32, 53, 78, 106, 134, 154, 192, 230, 271, 14, 26, 42, 62, 84, 106, 122, 152, 180, 213,
  11, 20, 32, 46, 60, 74, 86, 108, 130, 151, 7, 14, 24, 34, 44, 58, 64, 84, 98, 119]);
var QR_ALNUM_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/** modules per side of the smallest QR version holding data in its densest single mode
 *  (numeric, alphanumeric or byte), as the printer picks it; versions above 10 count as 10 */
export function qrSideModules(data: string, ec: QrEc): number {
  var numeric = true, alnum = true;
  for (var i = 0; i < data.length; i++) {
    var c = data.charAt(i);
    if (c < "0" || c > "9") numeric = false;
    if (QR_ALNUM_CHARS.indexOf(c) < 0) alnum = false;
  }
  var at = (numeric ? 0 : alnum ? 40 : 80) + (ec - QrEc.L) * 10;
  for (var v = 0; v < 10; v++) if (data.length <= QR_CAP[at + v]!) return 17 + 4 * (v + 1);
  return 17 + 4 * 10;
}
