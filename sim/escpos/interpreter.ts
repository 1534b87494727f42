// An ESC/POS interpreter onto the paper model, for any byte stream (ours or third-party).
// step() consumes one whole command from a buffer (0 = incomplete, wait for more bytes), so
// the same code serves the timed virtual part (bytes trickle in at the baud rate) and the
// file tool (all bytes at once). Unknown commands are skipped with a warning, never a crash.
// Real-time commands (DLE EOT/ENQ/DC4) are answered by the part on receipt; here they are
// only skipped.
import * as QRCode from "qrcode";
import { Paper } from "./paper";
import { glyphPixel, GLYPH_W, GLYPH_H } from "./font";
import { decodeCode128, code128Modules, code39Modules, ean13Modules, placeholderModules } from "./barcode";

export interface InterpreterHooks {
  warn?(msg: string): void;
  /** bytes the printer sends back (GS r, GS I, ESC v) */
  reply?(bytes: number[]): void;
  /** paper sensor state for replies */
  sensors?(): { paperOut: boolean; nearEnd: boolean };
  /** GS a n: Auto Status Back mask */
  asb?(mask: number): void;
  cut?(partial: boolean): void;
}

type Bytes = ArrayLike<number>;

interface Style {
  fontB: boolean; bold: boolean; underline: number; wMul: number; hMul: number; reverse: boolean;
}

interface CharItem { kind: "char"; x: number; w: number; h: number; code: number; st: Style; }
interface ImageItem { kind: "img"; x: number; w: number; h: number; bits: Uint8Array; }
type Item = CharItem | ImageItem;

const FONT_A = { w: 12, h: 24 };
const FONT_B = { w: 9, h: 17 };
const DEFAULT_SPACING = 30;
/** caps that keep any byte stream cheap to render (8 dots per mm): one feed command moves at
 *  most 1 m (ESC 3 255 + ESC d 255 would be 8 m), and the file tool keeps 2 m of paper (a long
 *  Z report is well under 1 m); the virtual printer part keeps its whole session */
export const MAX_FEED_MM = 1000;
export const DEFAULT_MAX_PAPER_MM = 2000;
const BARCODE_NAMES: { [m: number]: string } = {
  0: "UPC-A", 1: "UPC-E", 2: "EAN13", 3: "EAN8", 4: "CODE39", 5: "ITF", 6: "CODABAR",
  65: "UPC-A", 66: "UPC-E", 67: "EAN13", 68: "EAN8", 69: "CODE39", 70: "ITF", 71: "CODABAR", 72: "CODE93", 73: "CODE128",
};

function drawCharDots(p: Paper, it: CharItem, x0: number, y0: number): void {
  const st = it.st;
  const cell = st.fontB ? FONT_B : FONT_A;
  // glyph scale inside the cell: font A 2x3 (10x21), font B 1x2 (5x14)
  const sx = (st.fontB ? 1 : 2) * st.wMul, sy = (st.fontB ? 2 : 3) * st.hMul;
  const ox = (st.fontB ? 2 : 1) * st.wMul, oy = 1 * st.hMul;
  for (let gx = 0; gx < GLYPH_W; gx++) {
    for (let gy = 0; gy < GLYPH_H; gy++) {
      if (!glyphPixel(it.code, gx, gy)) continue;
      p.fillRect(x0 + ox + gx * sx, y0 + oy + gy * sy, sx + (st.bold ? 1 : 0), sy);
    }
  }
  if (st.underline) p.fillRect(x0, y0 + it.h - st.underline, it.w, st.underline);
  if (st.reverse) p.invertRect(x0, y0, it.w, cell.h * st.hMul);
}

/** the module count QRCode.create(text, { errorCorrectionLevel }) gives, without masking;
 *  throws as create does when the data does not fit (same steps as qrcode's createSymbol) */
function qrSymbolSize(text: string, ec: "L" | "M" | "Q" | "H"): number {
  if (!qrCore) return QRCode.create(text, { errorCorrectionLevel: ec }).modules.size;
  const { ECLevel, Version, Segments, Utils } = qrCore;
  if (text === "") throw new Error("No input text");
  const level = ECLevel.from(ec, ECLevel.M);
  const estimated = Version.getBestVersionForData(Segments.rawSplit(text), level);
  const best = Version.getBestVersionForData(Segments.fromString(text, estimated || 40), level);
  if (!best) throw new Error("The amount of data is too big to be stored in a QR Code");
  return Utils.getSymbolSize(best);
}
const qrCore: { ECLevel: any; Version: any; Segments: any; Utils: any } | null = (() => {
  try {
    return {
      ECLevel: require("qrcode/lib/core/error-correction-level"), Version: require("qrcode/lib/core/version"),
      Segments: require("qrcode/lib/core/segments"), Utils: require("qrcode/lib/core/utils"),
    };
  } catch { return null; }
})();

function drawBitsDots(p: Paper, bits: Uint8Array, w: number, h: number, x0: number, y0: number): void {
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (bits[y * w + x]) p.set(x0 + x, y0 + y, true);
}

function hex(b: number): string { return "0x" + (b < 16 ? "0" : "") + b.toString(16).toUpperCase(); }

export class EscPosInterpreter {
  readonly paper: Paper;
  readonly dots: number;
  warnings: string[] = [];
  cuts = 0;
  /** lines wrapped because they were wider than the print area */
  wraps = 0;
  /** paper moved (dot rows) by the last step() */
  lastDots = 0;
  private hooks: InterpreterHooks;
  private items: Item[] = [];
  private cursor = 0;
  private st!: Style;
  private align = 0;
  private lineSpacing = DEFAULT_SPACING;
  private charSpacing = 0;
  private leftMargin = 0;
  private printWidth = 0;
  private upsideDown = false;
  private bcHeight = 162;
  private bcWidth = 3;
  private bcHri = 0;
  private qrSize = 3;
  private qrEc = 48;
  private qrData: number[] = [];
  private lastImage: { y: number; w: number; index: number } | null = null;
  /** an unchanging copy of the style, shared by the characters printed with it */
  private stSnap: Style | null = null;

  private paperWarned = false;

  /** maxPaperMm: paper kept (default 2 m; Infinity for a session that prints for hours) */
  constructor(opts?: { width?: number; hooks?: InterpreterHooks; maxPaperMm?: number }) {
    this.dots = (opts && opts.width) || 384;
    const maxMm = opts && opts.maxPaperMm !== undefined ? opts.maxPaperMm : DEFAULT_MAX_PAPER_MM;
    this.paper = new Paper(this.dots, maxMm * 8);
    this.hooks = (opts && opts.hooks) || {};
    this.reset();
  }

  /** power-on: modes and the line buffer are lost, the paper stays */
  powerReset(): void { this.reset(); }

  private reset(): void {
    this.st = { fontB: false, bold: false, underline: 0, wMul: 1, hMul: 1, reverse: false };
    this.items = [];
    this.cursor = 0;
    this.align = 0;
    this.lineSpacing = DEFAULT_SPACING;
    this.charSpacing = 0;
    this.leftMargin = 0;
    this.printWidth = this.dots;
    this.upsideDown = false;
    this.bcHeight = 162;
    this.bcWidth = 3;
    this.bcHri = 0;
    this.qrSize = 3;
    this.qrEc = 48;
  }

  private warn(msg: string): void {
    this.warnings.push(msg);
    if (this.hooks.warn) this.hooks.warn(msg);
  }

  /** interprets a whole byte stream; a truncated command at the end is reported */
  run(bytes: Bytes): void {
    let pos = 0;
    while (pos < bytes.length) {
      const n = this.step(bytes, pos, bytes.length);
      if (n === 0) {
        this.warn("truncated command at byte " + pos + " (" + hex(bytes[pos]!) + "), " + (bytes.length - pos) + " bytes ignored");
        break;
      }
      pos += n;
    }
  }

  /** prints a line still in the buffer (a file that ends without LF) */
  finish(): void {
    if (this.items.length) {
      this.warn("last line not terminated by LF; printed anyway");
      this.printLine(true);
    }
  }

  /** one command from buf[pos..end); returns bytes consumed or 0 if incomplete */
  step(buf: Bytes, pos: number, end: number): number {
    this.lastDots = 0;
    const avail = end - pos;
    if (avail <= 0) return 0;
    const c = buf[pos]!;
    if (c >= 0x20) { this.addChar(c); return 1; }
    switch (c) {
      case 0x0a: this.printLine(true); return 1;
      case 0x0d: return 1;
      case 0x09: this.tab(); return 1;
      case 0x0c: if (this.items.length) this.printLine(true); return 1;
      case 0x10: return this.dle(buf, pos, avail);
      case 0x1b: return this.esc(buf, pos, avail);
      case 0x1c: return this.fs(buf, pos, avail);
      case 0x1d: return this.gs(buf, pos, avail);
      case 0x00: return 1;
      default:
        this.warn("unknown control byte " + hex(c) + " skipped");
        return 1;
    }
  }

  // ---- command groups ----

  private dle(buf: Bytes, pos: number, avail: number): number {
    if (avail < 2) return 0;
    const f = buf[pos + 1]!;
    if (f === 0x04 || f === 0x05) return avail < 3 ? 0 : 3;
    if (f === 0x14) {
      if (avail < 3) return 0;
      const fn = buf[pos + 2]!;
      const len = fn === 8 ? 10 : fn >= 1 && fn <= 7 ? 5 : 3;
      return avail < len ? 0 : len;
    }
    this.warn("unknown DLE " + hex(f) + " skipped");
    return 2;
  }

  private esc(buf: Bytes, pos: number, avail: number): number {
    if (avail < 2) return 0;
    const f = buf[pos + 1]!;
    const n = avail >= 3 ? buf[pos + 2]! : -1;
    const need3 = () => (avail < 3 ? 0 : 3);
    switch (f) {
      case 0x40: this.flushSilently(); this.reset(); return 2;
      case 0x21:
        if (n < 0) return 0;
        this.st.fontB = (n & 1) !== 0;
        this.st.bold = (n & 8) !== 0;
        this.st.hMul = n & 16 ? 2 : 1;
        this.st.wMul = n & 32 ? 2 : 1;
        this.st.underline = n & 128 ? 1 : 0;
        return 3;
      case 0x45: case 0x47: if (n < 0) return 0; this.st.bold = (n & 1) !== 0; return 3;
      case 0x2d: if (n < 0) return 0; this.st.underline = n === 1 || n === 49 ? 1 : n === 2 || n === 50 ? 2 : 0; return 3;
      case 0x4d: if (n < 0) return 0; this.st.fontB = n === 1 || n === 49; return 3;
      case 0x61: if (n < 0) return 0; this.align = n >= 48 ? n - 48 : n; if (this.align > 2) this.align = 0; return 3;
      case 0x64: if (n < 0) return 0; this.feedLines(n); return 3;
      case 0x4a: if (n < 0) return 0; this.feedDots(n); return 3;
      case 0x32: this.lineSpacing = DEFAULT_SPACING; return 2;
      case 0x33: if (n < 0) return 0; this.lineSpacing = n; return 3;
      case 0x20: if (n < 0) return 0; this.charSpacing = n; return 3;
      case 0x7b: if (n < 0) return 0; this.upsideDown = (n & 1) !== 0; if (this.upsideDown) this.warn("upside-down mode not drawn"); return 3;
      case 0x74: case 0x52: case 0x56: case 0x3d: case 0x72: case 0x55: case 0x25: case 0x3f: case 0x54:
        return need3();
      case 0x76: // ESC v n: paper sensor status (CSN-A2 / Adafruit firmware), bit 2 = no paper
        if (n < 0) return 0;
        this.reply([this.sensors().paperOut ? 0x04 : 0x00]);
        return 3;
      case 0x63: return avail < 4 ? 0 : 4;
      case 0x24: case 0x5c: {
        if (avail < 4) return 0;
        const v = buf[pos + 2]! + buf[pos + 3]! * 256;
        this.cursor = f === 0x24 ? v : this.cursor + (v >= 32768 ? v - 65536 : v);
        if (this.cursor < 0) this.cursor = 0;
        return 4;
      }
      case 0x70: return avail < 5 ? 0 : 5;
      case 0x42: return avail < 4 ? 0 : 4;
      case 0x44: { // tab positions, NUL-terminated (at most 32)
        for (let i = 2; i < avail && i < 35; i++) if (buf[pos + i] === 0) return i + 1;
        return avail >= 35 ? 35 : 0;
      }
      case 0x2a: {
        if (avail < 5) return 0;
        const m = buf[pos + 2]!;
        const cols = buf[pos + 3]! + buf[pos + 4]! * 256;
        const per = m >= 32 ? 3 : 1;
        const len = 5 + cols * per;
        if (avail < len) return 0;
        this.columnImage(m, cols, buf, pos + 5);
        return len;
      }
      case 0x26: { // define user characters: ESC & y c1 c2 [x d1..d(y*x)]...
        if (avail < 5) return 0;
        const y = buf[pos + 2]!, c1 = buf[pos + 3]!, c2 = buf[pos + 4]!;
        let p = 5;
        for (let k = c1; k <= c2; k++) {
          if (avail < p + 1) return 0;
          p += 1 + y * buf[pos + p]!;
        }
        if (avail < p) return 0;
        this.warn("user-defined characters (ESC &) ignored");
        return p;
      }
      case 0x69: case 0x6d: this.cut(true); return 2;
      case 0x4c: case 0x53: case 0x0c: return 2;
      default:
        this.warn("unknown command ESC " + hex(f) + " skipped");
        return 2;
    }
  }

  private fs(buf: Bytes, pos: number, avail: number): number {
    if (avail < 2) return 0;
    const f = buf[pos + 1]!;
    switch (f) {
      case 0x2e: case 0x26: return 2;
      case 0x21: case 0x2d: case 0x43: case 0x57: return avail < 3 ? 0 : 3;
      case 0x53: return avail < 4 ? 0 : 4;
      case 0x70: {
        if (avail < 4) return 0;
        this.flushSilently();
        this.paper.marker("[NV IMAGE " + buf[pos + 2] + "]", 0);
        this.warn("NV image (FS p) has no stored data in the simulator");
        return 4;
      }
      case 0x28: {
        if (avail < 5) return 0;
        const len = 5 + buf[pos + 3]! + buf[pos + 4]! * 256;
        return avail < len ? 0 : len;
      }
      default:
        this.warn("unknown command FS " + hex(f) + " skipped");
        return 2;
    }
  }

  private gs(buf: Bytes, pos: number, avail: number): number {
    if (avail < 2) return 0;
    const f = buf[pos + 1]!;
    const n = avail >= 3 ? buf[pos + 2]! : -1;
    switch (f) {
      case 0x21:
        if (n < 0) return 0;
        this.st.wMul = ((n >> 4) & 7) + 1;
        this.st.hMul = (n & 7) + 1;
        return 3;
      case 0x42: if (n < 0) return 0; this.st.reverse = (n & 1) !== 0; return 3;
      case 0x56: {
        if (n < 0) return 0;
        const withFeed = n === 65 || n === 66 || n === 97 || n === 98 || n === 103 || n === 104;
        if (withFeed && avail < 4) return 0;
        if (this.items.length) this.printLine(true);
        if (withFeed) this.move(buf[pos + 3]!);
        this.cut(n === 1 || n === 49 || n === 66 || n === 98 || n === 104);
        return withFeed ? 4 : 3;
      }
      case 0x68: if (n < 0) return 0; this.bcHeight = n || 1; return 3;
      case 0x77: if (n < 0) return 0; this.bcWidth = n < 1 ? 1 : n > 6 ? 6 : n; return 3;
      case 0x48: if (n < 0) return 0; this.bcHri = n >= 48 ? n - 48 : n; return 3;
      case 0x66: case 0x62: case 0x54: return n < 0 ? 0 : 3;
      case 0x61: if (n < 0) return 0; if (this.hooks.asb) this.hooks.asb(n); return 3;
      case 0x72: {
        if (n < 0) return 0;
        const s = this.sensors();
        this.reply([n === 1 || n === 49 ? (s.nearEnd ? 0x03 : 0) | (s.paperOut ? 0x0c : 0) : 0]);
        return 3;
      }
      case 0x49: {
        if (n < 0) return 0;
        this.reply([n === 1 || n === 49 ? 0x20 : n === 2 || n === 50 ? 0x02 : 0x00]);
        return 3;
      }
      case 0x4c: case 0x57: {
        if (avail < 4) return 0;
        const v = buf[pos + 2]! + buf[pos + 3]! * 256;
        if (f === 0x4c) this.leftMargin = v < this.dots ? v : 0;
        else this.printWidth = v > 0 && v <= this.dots ? v : this.dots;
        return 4;
      }
      case 0x50: case 0x24: case 0x5c: return avail < 4 ? 0 : 4;
      case 0x3a: return 2;
      case 0x5e: return avail < 5 ? 0 : 5;
      case 0x2f: return n < 0 ? 0 : (this.warn("downloaded bit image (GS /) not stored"), 3);
      case 0x2a: {
        if (avail < 4) return 0;
        const len = 4 + buf[pos + 2]! * buf[pos + 3]! * 8;
        if (avail < len) return 0;
        this.warn("downloaded bit image (GS *) ignored");
        return len;
      }
      case 0x6b: return this.barcodeCmd(buf, pos, avail);
      case 0x28: {
        if (avail < 5) return 0;
        const len = 5 + buf[pos + 3]! + buf[pos + 4]! * 256;
        if (avail < len) return 0;
        const fn = buf[pos + 2]!;
        if (fn === 0x6b) this.symbolCmd(buf, pos + 5, len - 5);
        else this.warn("GS ( " + String.fromCharCode(fn) + " (" + (len - 5) + " bytes) skipped");
        return len;
      }
      case 0x38: {
        if (avail < 7) return 0;
        const len = 7 + buf[pos + 3]! + buf[pos + 4]! * 256 + buf[pos + 5]! * 65536 + buf[pos + 6]! * 16777216;
        if (avail < len) return 0;
        this.warn("GS 8 L graphics (" + (len - 7) + " bytes) skipped");
        return len;
      }
      case 0x76: {
        if (avail < 8) return 0;
        const m = buf[pos + 3]!;
        const xb = buf[pos + 4]! + buf[pos + 5]! * 256;
        const rows = buf[pos + 6]! + buf[pos + 7]! * 256;
        const len = 8 + xb * rows;
        if (avail < len) return 0;
        this.raster(m, xb, rows, buf, pos + 8);
        return len;
      }
      default:
        this.warn("unknown command GS " + hex(f) + " skipped");
        return 2;
    }
  }

  // ---- text ----

  private styleSnapshot(): Style {
    const a = this.st, b = this.stSnap;
    if (b && a.fontB === b.fontB && a.bold === b.bold && a.underline === b.underline && a.wMul === b.wMul &&
      a.hMul === b.hMul && a.reverse === b.reverse) return b;
    return (this.stSnap = { ...a });
  }

  private cell(): { w: number; h: number } { return this.st.fontB ? FONT_B : FONT_A; }

  private addChar(code: number): void {
    const cell = this.cell();
    const w = (cell.w + this.charSpacing) * this.st.wMul;
    const h = cell.h * this.st.hMul;
    if (this.cursor + w > this.printWidth - this.leftMargin) { this.wraps++; this.printLine(true); } // auto wrap
    this.items.push({ kind: "char", x: this.cursor, w, h, code, st: this.styleSnapshot() });
    this.cursor += w;
  }

  private tab(): void {
    const step = this.cell().w * 8;
    this.cursor = (Math.floor(this.cursor / step) + 1) * step;
    if (this.cursor >= this.printWidth - this.leftMargin) this.printLine(true);
  }

  /** prints the line buffer and advances the paper (line pitch or the tallest item) */
  private printLine(feed: boolean): void {
    const items = this.items;
    let contentW = 0, contentH = 0;
    for (const it of items) {
      if (it.x + it.w > contentW) contentW = it.x + it.w;
      if (it.h > contentH) contentH = it.h;
    }
    const area = this.printWidth - this.leftMargin;
    const shift = this.leftMargin + (this.align === 1 ? Math.floor((area - contentW) / 2) : this.align === 2 ? area - contentW : 0);
    const top = this.paper.y;
    // one draw op for the whole line (rendered when the dots are looked at)
    if (items.length) {
      this.paper.draw((p) => {
        for (const it of items) {
          const x0 = shift + (it.x > 0 ? it.x : 0);
          const y0 = top + contentH - it.h;
          if (it.kind === "char") drawCharDots(p, it, x0, y0);
          else drawBitsDots(p, it.bits, it.w, it.h, x0, y0);
        }
      });
    }
    this.logLine(items, shift, contentH);
    this.items = [];
    this.cursor = 0;
    if (feed) this.move(contentH > this.lineSpacing ? contentH : this.lineSpacing);
  }

  private logLine(items: Item[], shift: number, contentH: number): void {
    const onlyImages = items.length > 0 && items.every((i) => i.kind === "img");
    if (onlyImages) {
      let w = 0;
      for (const it of items) if (it.x + it.w > w) w = it.x + it.w;
      this.logImage(w, contentH, "column");
      return;
    }
    this.lastImage = null;
    let s = "";
    let prevEnd = -1;
    for (const it of items) {
      if (prevEnd < 0) {
        const col = Math.floor((shift + it.x) / FONT_A.w);
        while (s.length < col) s += " ";
      } else if (it.x - prevEnd >= FONT_A.w) {
        const gap = Math.round((it.x - prevEnd) / FONT_A.w);
        for (let k = 0; k < gap; k++) s += " ";
      }
      if (it.kind === "char") s += it.code < 127 ? String.fromCharCode(it.code) : "?";
      else s += "[IMG]";
      prevEnd = it.x + it.w;
    }
    let e = s.length;
    while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
    this.paper.text(s.substring(0, e));
  }

  /** consecutive image stripes/bands become one marker */
  private logImage(w: number, h: number, how: string): void {
    const entries = this.paper.entries;
    const li = this.lastImage;
    if (li && li.y === this.paper.y && li.w === w) {
      const e = entries[li.index]!;
      if (e.kind === "marker") {
        e.height += h;
        e.text = "[IMAGE " + w + "x" + e.height + " " + how + "]";
        li.y = this.paper.y + h;
        return;
      }
    }
    this.paper.marker("[IMAGE " + w + "x" + h + " " + how + "]", h);
    this.lastImage = { y: this.paper.y + h, w, index: entries.length - 1 };
  }

  /** a character cell onto the paper (rendered when the dots are looked at) */
  private drawChar(it: CharItem, x0: number, y0: number): void {
    this.paper.draw((p) => drawCharDots(p, it, x0, y0));
  }

  // ---- paper movement ----

  private move(dots: number): void {
    this.paper.advance(dots);
    this.lastDots += dots;
    if (this.paper.full && !this.paperWarned) {
      this.paperWarned = true;
      this.warn("paper longer than " + this.paper.maxRows / 8 + " mm: later output is not kept");
    }
  }

  private feedLines(n: number): void {
    if (this.items.length) {
      this.printLine(true);
      n--;
    }
    const most = Math.max(1, Math.floor((MAX_FEED_MM * 8) / Math.max(1, this.lineSpacing)));
    if (n > most) {
      this.warn("feed of " + n + " lines (" + Math.round((n * this.lineSpacing) / 8) + " mm) capped at " + MAX_FEED_MM + " mm");
      n = most;
    }
    for (let i = 0; i < n; i++) {
      this.paper.text("");
      this.move(this.lineSpacing);
    }
    this.lastImage = null;
  }

  private feedDots(n: number): void {
    if (this.items.length) this.printLine(false);
    const blank = Math.floor((n + DEFAULT_SPACING / 2) / DEFAULT_SPACING);
    for (let i = 0; i < blank; i++) this.paper.text("");
    this.move(n);
    this.lastImage = null;
  }

  private flushSilently(): void {
    if (this.items.length) this.printLine(true);
  }

  private cut(partial: boolean): void {
    this.cuts++;
    this.paper.cut(partial);
    this.lastImage = null;
    if (this.hooks.cut) this.hooks.cut(partial);
  }

  private sensors(): { paperOut: boolean; nearEnd: boolean } {
    return this.hooks.sensors ? this.hooks.sensors() : { paperOut: false, nearEnd: false };
  }

  private reply(bytes: number[]): void {
    if (this.hooks.reply) this.hooks.reply(bytes);
  }

  private alignedX(w: number): number {
    const area = this.printWidth - this.leftMargin;
    return this.leftMargin + (this.align === 1 ? Math.floor((area - w) / 2) : this.align === 2 ? area - w : 0);
  }

  // ---- images ----

  private columnImage(m: number, cols: number, buf: Bytes, at: number): void {
    const tall = m >= 32;
    const h = tall ? 24 : 8;
    const xs = m === 0 || m === 32 ? 2 : 1; // single density doubles each column
    const w = cols * xs;
    const bits = new Uint8Array(w * h);
    for (let c = 0; c < cols; c++) {
      for (let y = 0; y < h; y++) {
        const byte = buf[at + c * (tall ? 3 : 1) + (y >> 3)]!;
        if ((byte >> (7 - (y & 7))) & 1) for (let k = 0; k < xs; k++) bits[y * w + c * xs + k] = 1;
      }
    }
    if (this.cursor + w > this.printWidth - this.leftMargin) this.warn("ESC * image wider than the print area, clipped");
    this.items.push({ kind: "img", x: this.cursor, w, h, bits });
    this.cursor += w;
  }

  private raster(m: number, xb: number, rows: number, buf: Bytes, at: number): void {
    this.flushSilently();
    const xs = m & 1 ? 2 : 1, ys = m & 2 ? 2 : 1;
    const w = xb * 8 * xs, h = rows * ys;
    if (w > this.dots) this.warn("raster image " + w + " dots wide, clipped to " + this.dots);
    const x0 = this.alignedX(w > this.dots ? this.dots : w);
    const y0 = this.paper.y;
    // (a copy: the receive buffer is reused before the dots are rendered)
    const data = new Uint8Array(rows * xb);
    for (let i = 0; i < data.length; i++) data[i] = buf[at + i]!;
    this.paper.draw((p) => {
      for (let r = 0; r < rows; r++) {
        for (let x = 0; x < xb * 8; x++) {
          if (!((data[r * xb + (x >> 3)]! >> (7 - (x & 7))) & 1)) continue;
          p.fillRect(x0 + x * xs, y0 + r * ys, xs, ys);
        }
      }
    });
    this.logImage(w, h, "raster");
    this.move(h);
  }

  // ---- barcodes and 2D symbols ----

  private barcodeCmd(buf: Bytes, pos: number, avail: number): number {
    if (avail < 3) return 0;
    const m = buf[pos + 2]!;
    let data: number[] = [];
    let len: number;
    if (m <= 6) {
      let i = 3;
      while (i < avail && buf[pos + i] !== 0) i++;
      if (i >= avail) return avail > 260 ? (this.warn("GS k without NUL terminator"), avail) : 0;
      for (let k = 3; k < i; k++) data.push(buf[pos + k]!);
      len = i + 1;
    } else {
      if (avail < 4) return 0;
      const n = buf[pos + 3]!;
      len = 4 + n;
      if (avail < len) return 0;
      for (let k = 4; k < len; k++) data.push(buf[pos + k]!);
    }
    this.barcode(m, data);
    return len;
  }

  private barcode(m: number, data: number[]): void {
    this.flushSilently();
    this.lastImage = null;
    const name = BARCODE_NAMES[m] || "type " + m;
    let modules: boolean[];
    let text = String.fromCharCode.apply(null, data);
    if (name === "CODE128") {
      const d = decodeCode128(data);
      modules = code128Modules(d.values);
      text = d.text;
    } else if (name === "CODE39") {
      modules = code39Modules(text);
    } else if (name === "EAN13" || name === "UPC-A") {
      const e = ean13Modules(name === "UPC-A" ? "0" + text : text);
      modules = e.modules;
      text = name === "UPC-A" ? e.text.substr(1) : e.text;
    } else {
      modules = placeholderModules(text);
      this.warn(name + " barcode drawn as a placeholder pattern");
    }
    const w = modules.length * this.bcWidth;
    if (w > this.printWidth - this.leftMargin) {
      this.warn("barcode " + name + " is " + w + " dots wide, too wide to print (as on a real printer)");
      this.paper.marker("[BARCODE " + name + " NOT PRINTED (too wide): " + text + "]", 0);
      return;
    }
    this.paper.marker("[BARCODE " + name + ": " + text + "]", this.bcHeight);
    const x0 = this.alignedX(w);
    if (this.bcHri & 1) this.hri(text, x0, w);
    const bw = this.bcWidth, bh = this.bcHeight, y = this.paper.y;
    this.paper.draw((p) => { for (let i = 0; i < modules.length; i++) if (modules[i]) p.fillRect(x0 + i * bw, y, bw, bh); });
    this.move(this.bcHeight);
    if (this.bcHri & 2) this.hri(text, x0, w);
  }

  private hri(text: string, x0: number, w: number): void {
    const tw = text.length * FONT_A.w;
    const x = x0 + Math.floor((w - tw) / 2);
    const st: Style = { fontB: false, bold: false, underline: 0, wMul: 1, hMul: 1, reverse: false };
    for (let i = 0; i < text.length; i++) {
      this.drawChar({ kind: "char", x: 0, w: FONT_A.w, h: FONT_A.h, code: text.charCodeAt(i), st }, x + i * FONT_A.w, this.paper.y);
    }
    this.move(FONT_A.h);
  }

  /** GS ( k: cn fn [params] */
  private symbolCmd(buf: Bytes, at: number, len: number): void {
    if (len < 2) { this.warn("GS ( k too short"); return; }
    const cn = buf[at]!, fn = buf[at + 1]!;
    if (cn !== 49) { this.warn("GS ( k symbol cn=" + cn + " (PDF417 or other) not drawn"); return; }
    if (fn === 65) return; // model
    if (fn === 67) { this.qrSize = buf[at + 2]! || 3; return; }
    if (fn === 69) { this.qrEc = buf[at + 2]!; return; }
    if (fn === 80) {
      this.qrData = [];
      for (let i = 3; i < len; i++) this.qrData.push(buf[at + i]!);
      return;
    }
    if (fn === 81) { this.printQr(); return; }
    if (fn === 82) { this.reply([0x37, 0x36, 0x01, 0x00]); return; }
    this.warn("GS ( k QR function " + fn + " ignored");
  }

  private printQr(): void {
    this.flushSilently();
    this.lastImage = null;
    const text = Buffer.from(this.qrData).toString("latin1");
    if (!text.length) { this.warn("QR print with no stored data"); return; }
    const ec = (["L", "M", "Q", "H"] as const)[this.qrEc >= 48 && this.qrEc <= 51 ? this.qrEc - 48 : 1]!;
    // the paper moves by the symbol's size at once; its modules are worked out (the costly
    // part: masking) only when the dots or the block art are looked at
    let n: number;
    let q: QRCode.QRCode | null = null;
    try {
      n = qrSymbolSize(text, ec);
    } catch (e) {
      this.warn("QR data cannot be encoded: " + (e as Error).message);
      return;
    }
    const px = this.qrSize;
    const side = n * px;
    const x0 = this.alignedX(side);
    const y0 = this.paper.y;
    const on = (r: number, c: number) => {
      if (!q) q = QRCode.create(text, { errorCorrectionLevel: ec });
      const v = q.modules.get(r, c) as unknown;
      return v === 1 || v === true;
    };
    this.paper.draw((p) => {
      for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) if (on(r, c)) p.fillRect(x0 + c * px, y0 + r * px, px, px);
    });
    const entry = this.paper.marker("[QR: " + text + "]", side);
    // the block art is built when a text rendering asks for it
    let art: string[] | null = null;
    Object.defineProperty(entry, "art", {
      enumerable: true, configurable: true,
      get: () => {
        if (!art) {
          art = [];
          for (let r = 0; r < n; r++) { let line = ""; for (let c = 0; c < n; c++) line += on(r, c) ? "#" : " "; art.push(line); }
        }
        return art;
      },
      set: (v: string[]) => { art = v; },
    });
    this.move(side);
  }
}
