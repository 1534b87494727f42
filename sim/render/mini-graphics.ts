// A minimal stand-in for Espruino's Graphics (1 bpp array buffer only), written from the
// 2v29 sources for the subset the screen toolkit uses: clear, setColor/setBgColor, setPixel,
// getPixel, fillRect, clearRect, drawRect, drawLine (h/v), setFontCustom, drawString,
// stringWidth, getModified. Tests prefer the simulator runtime's Graphics when it exists
// (see loadGraphics below); this keeps golden tests running until then.
export interface BufferOptions { vertical_byte?: boolean; msb?: boolean; }

export class MiniGraphics {
  readonly buffer: ArrayBuffer;
  private bytes: Uint8Array;
  private fg = 1;
  private bg = 0;
  private font: { bitmap: string; first: number; width: number | string; height: number } | null = null;
  private mod: { x1: number; y1: number; x2: number; y2: number } | undefined;

  constructor(readonly width: number, readonly height: number, private opts: BufferOptions) {
    if (opts.vertical_byte && height % 8) throw new Error("vertical_byte needs a height that is a multiple of 8");
    this.buffer = new ArrayBuffer(opts.vertical_byte ? width * height / 8 : Math.ceil(width * height / 8));
    this.bytes = new Uint8Array(this.buffer);
  }

  static createArrayBuffer(w: number, h: number, bpp: number, opts: BufferOptions = {}): MiniGraphics {
    if (bpp !== 1) throw new Error("MiniGraphics: only 1 bpp");
    // Espruino 2v25+: msb defaults to true
    return new MiniGraphics(w, h, { vertical_byte: !!opts.vertical_byte, msb: opts.msb !== false });
  }

  getWidth(): number { return this.width; }
  getHeight(): number { return this.height; }

  private bitAt(x: number, y: number): [number, number] {
    if (this.opts.vertical_byte) {
      const i = x + (y >> 3) * this.width;
      return [i, this.opts.msb ? 0x80 >> (y & 7) : 1 << (y & 7)];
    }
    const n = y * this.width + x;
    return [n >> 3, this.opts.msb ? 0x80 >> (n & 7) : 1 << (n & 7)];
  }

  private touch(x1: number, y1: number, x2: number, y2: number): void {
    if (!this.mod) this.mod = { x1, y1, x2, y2 };
    else {
      this.mod.x1 = Math.min(this.mod.x1, x1); this.mod.y1 = Math.min(this.mod.y1, y1);
      this.mod.x2 = Math.max(this.mod.x2, x2); this.mod.y2 = Math.max(this.mod.y2, y2);
    }
  }

  setPixel(x: number, y: number, c?: number): this {
    x = Math.floor(x); y = Math.floor(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return this;
    const [i, m] = this.bitAt(x, y);
    if ((c === undefined ? this.fg : c) & 1) this.bytes[i]! |= m; else this.bytes[i]! &= ~m;
    this.touch(x, y, x, y);
    return this;
  }

  getPixel(x: number, y: number): number {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return 0;
    const [i, m] = this.bitAt(x, y);
    return this.bytes[i]! & m ? 1 : 0;
  }

  setColor(c: number): this { this.fg = c ? 1 : 0; return this; }
  setBgColor(c: number): this { this.bg = c ? 1 : 0; return this; }

  clear(): this {
    this.bytes.fill(this.bg ? 0xff : 0);
    this.touch(0, 0, this.width - 1, this.height - 1);
    return this;
  }

  private fill(x1: number, y1: number, x2: number, y2: number, c: number): this {
    if (x1 > x2) [x1, x2] = [x2, x1];
    if (y1 > y2) [y1, y2] = [y2, y1];
    for (let y = y1; y <= y2; y++) for (let x = x1; x <= x2; x++) this.setPixel(x, y, c);
    return this;
  }

  fillRect(x1: number, y1: number, x2: number, y2: number): this { return this.fill(x1, y1, x2, y2, this.fg); }
  clearRect(x1: number, y1: number, x2: number, y2: number): this { return this.fill(x1, y1, x2, y2, this.bg); }

  drawRect(x1: number, y1: number, x2: number, y2: number): this {
    this.fill(x1, y1, x2, y1, this.fg); this.fill(x1, y2, x2, y2, this.fg);
    this.fill(x1, y1, x1, y2, this.fg); this.fill(x2, y1, x2, y2, this.fg);
    return this;
  }

  drawLine(x1: number, y1: number, x2: number, y2: number): this {
    if (x1 === x2 || y1 === y2) return this.fill(x1, y1, x2, y2, this.fg);
    throw new Error("MiniGraphics: only horizontal and vertical lines");
  }

  setFontCustom(bitmap: string, first: number, width: number | string, height: number): this {
    this.font = { bitmap, first, width, height: height & 0xff };
    return this;
  }

  private charWidth(code: number): number {
    const f = this.font!;
    if (typeof f.width === "number") return f.width;
    const k = code - f.first;
    return k >= 0 && k < f.width.length ? f.width.charCodeAt(k) : 0;
  }

  stringWidth(s: string): number {
    if (!this.font) throw new Error("MiniGraphics: built-in fonts are not emulated; call setFontCustom");
    let w = 0;
    for (let i = 0; i < s.length; i++) w += this.charWidth(s.charCodeAt(i));
    return w;
  }

  /** Espruino's custom-font renderer: column-major, MSB-first bit stream, lit pixels only */
  drawString(s: string, x: number, y: number): this {
    const f = this.font;
    if (!f) throw new Error("MiniGraphics: built-in fonts are not emulated; call setFontCustom");
    const startX = x;
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      if (ch === 10) { x = startX; y += f.height; continue; }
      const w = this.charWidth(ch);
      if (ch >= f.first) {
        let off = 0;
        if (typeof f.width === "number") off = f.width * (ch - f.first);
        else for (let k = 0; k < ch - f.first; k++) off += f.width.charCodeAt(k) || 0;
        let bit = off * f.height;
        for (let cx = 0; cx < w; cx++) {
          for (let cy = 0; cy < f.height; cy++, bit++) {
            if ((f.bitmap.charCodeAt(bit >> 3) << (bit & 7)) & 0x80) this.setPixel(x + cx, y + cy, this.fg);
          }
        }
      }
      x += w;
    }
    return this;
  }

  getModified(reset?: boolean): { x1: number; y1: number; x2: number; y2: number } | undefined {
    const m = this.mod ? { ...this.mod } : undefined;
    if (reset) this.mod = undefined;
    return m;
  }
}

/** The Graphics factory tests should use: the simulator runtime's (sim/runtime/graphics.ts,
 *  installed into a bare Realm) when it loads, else MiniGraphics. POS_GRAPHICS=mini forces ours. */
export function loadGraphics(): { createArrayBuffer(w: number, h: number, bpp: number, opts?: BufferOptions): any; name: string } {
  if (process.env.POS_GRAPHICS !== "mini") {
    try {
      const { Realm } = require("../runtime/realm");
      const { installGraphics } = require("../runtime/graphics");
      const realm = new Realm();
      installGraphics({ realm });
      const G = realm.global.Graphics;
      if (G && typeof G.createArrayBuffer === "function") {
        return { createArrayBuffer: (w, h, bpp, o) => G.createArrayBuffer(w, h, bpp, o), name: "sim/runtime" };
      }
    } catch { /* runtime not there (or changed shape): use ours */ }
  }
  return { createArrayBuffer: MiniGraphics.createArrayBuffer, name: "MiniGraphics" };
}
