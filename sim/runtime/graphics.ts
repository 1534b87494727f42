// Graphics.createArrayBuffer for 1 bit per pixel, with Espruino's byte layouts:
//   horizontal: pixel bit index p = x + y*width; byte p>>3; bit 7-(p&7) if msb else p&7
//   vertical_byte: byte x + (y>>3)*width; bit 7-(y&7) if msb else y&7
// msb defaults to TRUE (Espruino 2v25+). Fonts: only setFontCustom (Espruino's format: each
// glyph stored column by column, `height` bits per column, one continuous MSB-first bit
// stream; widths a number or a string of per-glyph widths). The built-in 4x6/6x8/Vector
// glyph data is not ours to copy, so setFont() with them throws.
import type { Mcu } from "./mcu";
import { espruinoError } from "./realm";
import { isArrayBuffer } from "./bytes";

interface Font { bits: Uint8Array; first: number; widths: number[]; offsets: number[]; height: number; }

class Gfx {
  fg = 1; bg = 0;
  font: Font | null = null;
  alignX = -1; alignY = -1;
  mod: { x1: number; y1: number; x2: number; y2: number } | null = null;
  constructor(readonly w: number, readonly h: number, readonly bytes: Uint8Array, readonly vertical: boolean, readonly msb: boolean) {}

  /** byte index of pixel (x, y) (in range, integers) */
  private byteOf(x: number, y: number): number {
    return this.vertical ? x + (y >> 3) * this.w : (x + y * this.w) >> 3;
  }
  /** bit number of pixel (x, y) within its byte */
  private bitOf(x: number, y: number): number {
    const k = this.vertical ? y & 7 : (x + y * this.w) & 7;
    return this.msb ? 7 - k : k;
  }
  set(x: number, y: number, c: number): void {
    x = Math.floor(x); y = Math.floor(y);
    if (x < 0 || y < 0 || x >= this.w || y >= this.h) return;
    const i = this.byteOf(x, y), b = this.bitOf(x, y);
    if (c & 1) this.bytes[i]! |= 1 << b; else this.bytes[i]! &= ~(1 << b);
    const m = this.mod;
    if (!m) this.mod = { x1: x, y1: y, x2: x, y2: y };
    else {
      if (x < m.x1) m.x1 = x;
      if (y < m.y1) m.y1 = y;
      if (x > m.x2) m.x2 = x;
      if (y > m.y2) m.y2 = y;
    }
  }
  get(x: number, y: number): number {
    x = Math.floor(x); y = Math.floor(y);
    if (x < 0 || y < 0 || x >= this.w || y >= this.h) return 0;
    return (this.bytes[this.byteOf(x, y)]! >> this.bitOf(x, y)) & 1;
  }
  /** pixel (x, y), integers known to be on the buffer; the caller extends `mod` */
  private plot(x: number, y: number, c: number): void {
    const i = this.byteOf(x, y), b = this.bitOf(x, y);
    if (c & 1) this.bytes[i]! |= 1 << b; else this.bytes[i]! &= ~(1 << b);
  }
  /** extend the modified area by a box (what set() does pixel by pixel) */
  private touch(x1: number, y1: number, x2: number, y2: number): void {
    const m = this.mod;
    if (!m) { this.mod = { x1, y1, x2, y2 }; return; }
    if (x1 < m.x1) m.x1 = x1;
    if (y1 < m.y1) m.y1 = y1;
    if (x2 > m.x2) m.x2 = x2;
    if (y2 > m.y2) m.y2 = y2;
  }
  fill(x1: number, y1: number, x2: number, y2: number, c: number): void {
    const xa = Math.max(0, Math.floor(Math.min(x1, x2))), xb = Math.min(this.w - 1, Math.floor(Math.max(x1, x2)));
    const ya = Math.max(0, Math.floor(Math.min(y1, y2))), yb = Math.min(this.h - 1, Math.floor(Math.max(y1, y2)));
    if (!(xa <= xb && ya <= yb)) return;
    for (let y = ya; y <= yb; y++) for (let x = xa; x <= xb; x++) this.plot(x, y, c);
    this.touch(xa, ya, xb, yb);
  }
  line(x1: number, y1: number, x2: number, y2: number): void {
    x1 = Math.floor(x1); y1 = Math.floor(y1); x2 = Math.floor(x2); y2 = Math.floor(y2);
    const dx = Math.abs(x2 - x1), dy = -Math.abs(y2 - y1);
    const sx = x1 < x2 ? 1 : -1, sy = y1 < y2 ? 1 : -1;
    let err = dx + dy;
    for (;;) {
      this.set(x1, y1, this.fg);
      if (x1 === x2 && y1 === y2) break;
      const e2 = 2 * err;
      if (e2 >= dy) { err += dy; x1 += sx; }
      if (e2 <= dx) { err += dx; y1 += sy; }
    }
  }
  needFont(): Font {
    if (!this.font) throw espruinoError("Graphics: the built-in font is not emulated in the simulator: use setFontCustom");
    return this.font;
  }
  charWidth(f: Font, code: number): number { const i = code - f.first; return i >= 0 && i < f.widths.length ? f.widths[i]! : 0; }
  lineWidth(s: string): number { const f = this.needFont(); let n = 0; for (let i = 0; i < s.length; i++) n += this.charWidth(f, s.charCodeAt(i)); return n; }
  width(s: string): number { return Math.max(0, ...s.split("\n").map((l) => this.lineWidth(l))); }
  drawChar(f: Font, code: number, x: number, y: number, solid: boolean): number {
    const i = code - f.first;
    if (i < 0 || i >= f.widths.length) return 0;
    const cw = f.widths[i]!;
    if (!Number.isInteger(x) || !Number.isInteger(y)) return this.drawCharSlow(f, i, x, y, solid);
    let bit = f.offsets[i]! * f.height;
    // pixels plotted directly; the modified area grows once by the box of those set
    let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    const w = this.w, h = this.h, bits = f.bits, fh = f.height;
    for (let cx = 0; cx < cw; cx++) {
      const px = x + cx;
      for (let cy = 0; cy < fh; cy++, bit++) {
        const py = y + cy;
        if (px < 0 || py < 0 || px >= w || py >= h) continue;
        const on = (bits[bit >> 3]! >> (7 - (bit & 7))) & 1;
        if (on) this.plot(px, py, this.fg); else if (solid) this.plot(px, py, this.bg); else continue;
        if (px < x1) x1 = px;
        if (py < y1) y1 = py;
        if (px > x2) x2 = px;
        if (py > y2) y2 = py;
      }
    }
    if (x1 <= x2) this.touch(x1, y1, x2, y2);
    return cw;
  }
  private drawCharSlow(f: Font, i: number, x: number, y: number, solid: boolean): number {
    const cw = f.widths[i]!;
    let bit = f.offsets[i]! * f.height;
    for (let cx = 0; cx < cw; cx++) {
      for (let cy = 0; cy < f.height; cy++, bit++) {
        const on = (f.bits[bit >> 3]! >> (7 - (bit & 7))) & 1;
        if (on) this.set(x + cx, y + cy, this.fg); else if (solid) this.set(x + cx, y + cy, this.bg);
      }
    }
    return cw;
  }
  drawString(s: string, x: number, y: number, solid: boolean): void {
    const f = this.needFont();
    const lines = s.split("\n");
    const total = lines.length * f.height;
    let yy = Math.floor(y - ((this.alignY + 1) * total) / 2);
    for (const l of lines) {
      let xx = Math.floor(x - ((this.alignX + 1) * this.lineWidth(l)) / 2);
      for (let i = 0; i < l.length; i++) xx += this.drawChar(f, l.charCodeAt(i), xx, yy, solid);
      yy += f.height;
    }
  }
  wrap(s: string, maxW: number): string[] {
    const out: string[] = [];
    for (const para of s.split("\n")) {
      let line = "";
      for (const word of para.split(" ")) {
        const cand = line === "" ? word : line + " " + word;
        if (this.lineWidth(cand) <= maxW) { line = cand; continue; }
        if (line !== "") out.push(line);
        // a word wider than the line is split by characters
        let w = word;
        while (this.lineWidth(w) > maxW && w.length > 1) {
          let k = 1;
          while (k < w.length && this.lineWidth(w.slice(0, k + 1)) <= maxW) k++;
          out.push(w.slice(0, k));
          w = w.slice(k);
        }
        line = w;
      }
      out.push(line);
    }
    return out;
  }
}

/** decoded string fonts, keyed by setFontCustom's arguments (a few: firmware has one or two) */
const fontCache: { bitmap: string; first: unknown; widths: unknown; height: unknown; font: Font }[] = [];
const FONT_CACHE_SIZE = 8;
function cachedFont(bitmap: string, first: unknown, widths: unknown, height: unknown): Font | null {
  for (const e of fontCache) {
    if (e.bitmap === bitmap && e.first === first && e.widths === widths && e.height === height) return e.font;
  }
  return null;
}
function rememberFont(bitmap: string, first: unknown, widths: unknown, height: unknown, font: Font): void {
  // only primitive arguments give the same font again (an object's valueOf could change)
  for (const v of [first, widths, height]) if (v !== null && (typeof v === "object" || typeof v === "function")) return;
  if (fontCache.length >= FONT_CACHE_SIZE) fontCache.shift();
  fontCache.push({ bitmap, first, widths, height, font });
}

/** the Graphics methods, on any object `me` maps to its state */
function graphicsMethods(me: (o: any) => Gfx): Record<string, (this: any, ...a: any[]) => any> {
  const col = (args: any[]) => {
    if (args.length >= 3) return (Number(args[0]) + Number(args[1]) + Number(args[2])) / 3 >= 0.5 ? 1 : 0;
    const c = Number(args[0]);
    return Number.isInteger(c) ? c & 1 : c >= 0.5 ? 1 : 0;
  };
  return {
    getWidth(this: any) { return me(this).w; },
    getHeight(this: any) { return me(this).h; },
    getBPP() { return 1; },
    clear(this: any, reset?: boolean) {
      const g = me(this);
      if (reset) { g.fg = 1; g.bg = 0; g.font = null; g.alignX = g.alignY = -1; }
      g.bytes.fill(g.bg ? 0xff : 0);
      g.mod = { x1: 0, y1: 0, x2: g.w - 1, y2: g.h - 1 };
      return this;
    },
    setColor(this: any, ...a: any[]) { me(this).fg = col(a); return this; },
    setBgColor(this: any, ...a: any[]) { me(this).bg = col(a); return this; },
    getColor(this: any) { return me(this).fg; },
    getBgColor(this: any) { return me(this).bg; },
    setPixel(this: any, x: number, y: number, c?: number) { const g = me(this); g.set(x, y, c === undefined ? g.fg : Number(c) & 1); return this; },
    getPixel(this: any, x: number, y: number) { return me(this).get(x, y); },
    fillRect(this: any, x1: any, y1: number, x2: number, y2: number) {
      const g = me(this);
      if (typeof x1 === "object") g.fill(x1.x, x1.y, x1.x + x1.w - 1, x1.y + x1.h - 1, g.fg);
      else g.fill(x1, y1, x2, y2, g.fg);
      return this;
    },
    clearRect(this: any, x1: any, y1: number, x2: number, y2: number) {
      const g = me(this);
      if (typeof x1 === "object") g.fill(x1.x, x1.y, x1.x + x1.w - 1, x1.y + x1.h - 1, g.bg);
      else g.fill(x1, y1, x2, y2, g.bg);
      return this;
    },
    drawRect(this: any, x1: number, y1: number, x2: number, y2: number) {
      const g = me(this);
      g.line(x1, y1, x2, y1); g.line(x2, y1, x2, y2); g.line(x2, y2, x1, y2); g.line(x1, y2, x1, y1);
      return this;
    },
    drawLine(this: any, x1: number, y1: number, x2: number, y2: number) { me(this).line(x1, y1, x2, y2); return this; },
    setFont(this: any, name: string) {
      throw espruinoError(`Graphics.setFont("${name}"): built-in fonts are not emulated: use setFontCustom`);
    },
    getFonts() { return []; },
    setFontCustom(this: any, bitmap: any, first: number, widths: any, height: number) {
      const g = me(this);
      // firmware sets its font before every draw: a string font (immutable) is decoded once
      const known = typeof bitmap === "string" ? cachedFont(bitmap, first, widths, height) : null;
      if (known) { g.font = known; return this; }
      const bits = typeof bitmap === "string" ? Uint8Array.from(bitmap, (c) => c.charCodeAt(0) & 0xff)
        : isArrayBuffer(bitmap) ? new Uint8Array(bitmap) : Uint8Array.from(bitmap as ArrayLike<number>);
      const h = Number(height) & 0xff;
      if ((Number(height) >> 8) > 1) throw espruinoError("setFontCustom: only 1 bpp fonts are emulated");
      let ws: number[];
      if (typeof widths === "number") ws = new Array(Math.floor((bits.length * 8) / (widths * h))).fill(widths);
      else ws = Array.from(String(widths), (c) => c.charCodeAt(0));
      const offsets: number[] = [];
      let o = 0;
      for (const w of ws) { offsets.push(o); o += w; }
      g.font = { bits, first: Number(first), widths: ws, offsets, height: h };
      if (typeof bitmap === "string") rememberFont(bitmap, first, widths, height, g.font);
      return this;
    },
    setFontAlign(this: any, x: number, y?: number, rot?: number) {
      if (rot) throw espruinoError("setFontAlign: rotated text is not emulated");
      const g = me(this);
      g.alignX = Number(x) || 0; g.alignY = Number(y) || 0;
      return this;
    },
    getFontHeight(this: any) { return me(this).needFont().height; },
    drawString(this: any, s: any, x: number, y: number, solid?: boolean) { me(this).drawString(String(s), Number(x) || 0, Number(y) || 0, !!solid); return this; },
    stringWidth(this: any, s: any) { return me(this).width(String(s)); },
    stringMetrics(this: any, s: any) { const g = me(this); const str = String(s); return { width: g.width(str), height: str.split("\n").length * g.needFont().height }; },
    wrapString(this: any, s: any, w: number) { return me(this).wrap(String(s), Number(w)); },
    getModified(this: any, reset?: boolean) {
      const g = me(this);
      const m = g.mod ? { ...g.mod } : undefined;
      if (reset) g.mod = null;
      return m;
    },
    drawImage(this: any, img: any, x: number, y: number) {
      const g = me(this);
      let w: number, h: number, bits: Uint8Array, transparent: number | undefined;
      if (typeof img === "string") {
        w = img.charCodeAt(0); h = img.charCodeAt(1);
        if ((img.charCodeAt(2) & 0x7f) !== 1) throw espruinoError("drawImage: only 1 bpp images are emulated");
        if (img.charCodeAt(2) & 0x80) { transparent = img.charCodeAt(3); img = img.slice(4); } else img = img.slice(3);
        bits = Uint8Array.from(img as string, (c: string) => c.charCodeAt(0));
      } else {
        w = img.width; h = img.height;
        if ((img.bpp || 1) !== 1) throw espruinoError("drawImage: only 1 bpp images are emulated");
        const b = img.buffer;
        bits = typeof b === "string" ? Uint8Array.from(b, (c: string) => c.charCodeAt(0)) : isArrayBuffer(b) ? new Uint8Array(b) : Uint8Array.from(b);
        transparent = img.transparent;
      }
      for (let yy = 0; yy < h; yy++) for (let xx = 0; xx < w; xx++) {
        const p = xx + yy * w;
        const v = (bits[p >> 3]! >> (7 - (p & 7))) & 1;
        if (transparent !== undefined && v === transparent) continue;
        g.set(x + xx, y + yy, v ? g.fg : g.bg);
      }
      return this;
    },
  };
}

/** validate createArrayBuffer's arguments and build the state over `ab` (or a new buffer) */
function makeGfx(width: number, height: number, bpp: number, o: any, alloc: (n: number) => ArrayBuffer): { gfx: Gfx; ab: ArrayBuffer } {
  const w = Number(width), h = Number(height);
  if (Number(bpp) !== 1) throw espruinoError("Graphics: only 1 bpp buffers are emulated");
  if (o.zigzag || o.interleavex) throw espruinoError("Graphics: zigzag/interleavex layouts are not emulated");
  const vertical = !!o.vertical_byte;
  if (vertical && h % 8 !== 0) throw espruinoError("Graphics: vertical_byte needs a height that is a multiple of 8");
  const size = Math.ceil((w * h) / 8);
  let ab: ArrayBuffer;
  if (o.buffer !== undefined) {
    if (!isArrayBuffer(o.buffer) || o.buffer.byteLength < size) throw espruinoError("Graphics: buffer too small");
    ab = o.buffer;
  } else ab = alloc(size);
  return { gfx: new Gfx(w, h, new Uint8Array(ab), vertical, o.msb === undefined ? true : !!o.msb), ab };
}

export function installGraphics(mcu: Mcu): void {
  const r = mcu.realm;
  const gfxOf = new WeakMap<object, Gfx>();
  const proto = r.obj();
  const me = (o: any): Gfx => {
    const g = gfxOf.get(o);
    if (!g) throw espruinoError("Not a Graphics object", "TypeError");
    return g;
  };
  r.methods(proto, graphicsMethods(me));
  const G = r.obj();
  r.methods(G, {
    createArrayBuffer(width: number, height: number, bpp: number, opts?: any) {
      const { gfx, ab } = makeGfx(width, height, bpp, opts || {}, (n) => new r.Uint8Array(n).buffer as ArrayBuffer);
      const obj = r.Object.create(proto);
      obj.buffer = ab;
      gfxOf.set(obj, gfx);
      return obj;
    },
  });
  G.prototype = proto;
  r.global.Graphics = G;
}

/** The same Graphics for host-side tests (driver tests without booting firmware). */
export const Graphics = (() => {
  const gfxOf = new WeakMap<object, Gfx>();
  const me = (o: any): Gfx => {
    const g = gfxOf.get(o);
    if (!g) throw espruinoError("Not a Graphics object", "TypeError");
    return g;
  };
  const proto = graphicsMethods(me);
  return {
    createArrayBuffer(width: number, height: number, bpp: number, opts?: any): any {
      const { gfx, ab } = makeGfx(width, height, bpp, opts || {}, (n) => new ArrayBuffer(n));
      const obj = Object.create(proto);
      obj.buffer = ab;
      gfxOf.set(obj, gfx);
      return obj;
    },
  };
})();
