// Virtual SSD1306 128x64 OLED on I2C. It decodes the byte stream exactly as the controller
// does (control bytes with Co and D/C#, commands with their arguments, horizontal / vertical /
// page addressing into 8 pages of column bytes) and shows what the glass would: nothing
// until the charge pump and display are on, then RAM through segment remap, COM scan
// direction, start line and inverse. It never sees the firmware's frame buffer.
import { NackError, type I2CTarget, type PartContext, type PartFactory, type VirtualPart } from "../bus/types";
import { bitmapToPng, bitmapToText, type Bitmap, type PngOptions, type TextStyle } from "../render/bitmap";

/** argument count of each multi-byte command */
const ARGS: { [cmd: number]: number } = {
  0x81: 1, 0x20: 1, 0x21: 2, 0x22: 2, 0xa8: 1, 0xd3: 1, 0xda: 1, 0xd5: 1, 0xd9: 1, 0xdb: 1, 0x8d: 1,
  0x26: 6, 0x27: 6, 0x29: 5, 0x2a: 5, 0xa3: 2,
};

export class Ssd1306Part implements VirtualPart, I2CTarget {
  readonly type = "ssd1306";
  readonly address: number;
  readonly width: number;
  readonly height: number;
  readonly ram: Uint8Array;
  // registers, at their reset values (datasheet section 10)
  displayOn = false;
  chargePump = false;
  contrast = 0x7f;
  inverse = false;
  entireOn = false;
  memoryMode = 2;
  colStart = 0; colEnd = 127; pageStart = 0; pageEnd = 7;
  col = 0; page = 0;
  startLine = 0; displayOffset = 0; multiplex = 63;
  segRemap = false; comScanDec = false;
  scrolling = false;
  /** decoded traffic, for tests and figures */
  stats = { transactions: 0, commands: 0, dataBytes: 0, unknown: 0 };
  private pending: number[] = [];
  private nacks = 0;
  private powered = true;

  constructor(readonly role: string, spec: { address: number; width?: number; height?: number }, private ctx?: PartContext) {
    this.address = spec.address;
    this.width = spec.width ?? 128;
    this.height = spec.height ?? 64;
    this.ram = new Uint8Array(this.width * (this.height >> 3));
    this.scrambleRam();
  }

  // ---- controls ----
  /** NACK the next n transactions (a loose wire, a bus glitch) */
  nackNext(n = 1): void { this.nacks = n; }

  powerCut(): void { this.powered = false; this.reset(); }
  powerOn(): void { this.powered = true; this.reset(); this.scrambleRam(); }

  // ---- I2C target ----
  write(data: Uint8Array): void {
    if (!this.powered) throw new NackError("ssd1306 unpowered");
    if (this.nacks > 0) { this.nacks--; throw new NackError("ssd1306 nack (injected)"); }
    this.stats.transactions++;
    let i = 0;
    while (i < data.length) {
      const ctl = data[i++]!;
      const co = (ctl & 0x80) !== 0, dc = (ctl & 0x40) !== 0;
      if ((ctl & 0x3f) !== 0) this.log(`control byte 0x${ctl.toString(16)} has reserved bits set`);
      const end = co ? Math.min(i + 1, data.length) : data.length;
      for (; i < end; i++) dc ? this.data(data[i]!) : this.command(data[i]!);
    }
  }

  /** status byte: bit 6 set while the display is off */
  read(length: number): Uint8Array {
    if (!this.powered) throw new NackError("ssd1306 unpowered");
    if (this.nacks > 0) { this.nacks--; throw new NackError("ssd1306 nack (injected)"); }
    return new Uint8Array(length).fill(this.displayOn ? 0x00 : 0x40);
  }

  // ---- what the glass shows ----
  /** 1 if the pixel at glass position (x, y) is lit */
  lit(x: number, y: number): number {
    if (!this.powered || !this.displayOn || !this.chargePump) return 0;
    if (y > this.multiplex) return 0;
    if (this.entireOn) return 1;
    const ramCol = this.segRemap ? x : this.width - 1 - x;
    const com = this.comScanDec ? y : this.multiplex - y;
    const ramRow = (((com + this.displayOffset) % 64) + this.startLine) % 64;
    if (ramRow >= this.height) return this.inverse ? 1 : 0;
    const bit = (this.ram[(ramRow >> 3) * this.width + ramCol]! >> (ramRow & 7)) & 1;
    return this.inverse ? bit ^ 1 : bit;
  }

  /** the whole glass, 1 byte per pixel row by row: lit(x, y) for every pixel, in one pass
   *  (into `out` when given, width*height bytes, to spare an allocation per read) */
  glass(out?: Uint8Array): Uint8Array {
    const w = this.width, h = this.height, ram = this.ram;
    if (!out || out.length !== w * h) out = new Uint8Array(w * h); else out.fill(0);
    if (!this.powered || !this.displayOn || !this.chargePump) return out;
    const remap = this.segRemap, inv = this.inverse ? 1 : 0;
    for (let y = 0; y < h && y <= this.multiplex; y++) {
      // (lit() with the row's part worked out once)
      const o = y * w;
      if (this.entireOn) { out.fill(1, o, o + w); continue; }
      const com = this.comScanDec ? y : this.multiplex - y;
      const ramRow = (((com + this.displayOffset) % 64) + this.startLine) % 64;
      if (ramRow >= h) { if (inv) out.fill(1, o, o + w); continue; }
      const base = (ramRow >> 3) * w, shift = ramRow & 7;
      if (remap) for (let x = 0; x < w; x++) out[o + x] = ((ram[base + x]! >> shift) & 1) ^ inv;
      else for (let x = 0; x < w; x++) out[o + x] = ((ram[base + w - 1 - x]! >> shift) & 1) ^ inv;
    }
    return out;
  }

  /** everything besides RAM that decides what lit() shows: equal signature and equal RAM
   *  mean an equal glass (readers use it to skip reading the panel again) */
  glassSignature(): string {
    return [this.powered, this.displayOn, this.chargePump, this.multiplex, this.entireOn, this.segRemap,
      this.comScanDec, this.displayOffset, this.startLine, this.inverse].join(",");
  }

  bitmap(): Bitmap { return { width: this.width, height: this.height, get: (x, y) => this.lit(x, y) }; }
  toText(style: TextStyle = "ascii"): string { return bitmapToText(this.bitmap(), style); }
  /** PNG as a person sees the panel; brightness follows the contrast register */
  toPng(opts: PngOptions = {}): Buffer {
    return bitmapToPng(this.bitmap(), { colour: "white", brightness: 0.35 + 0.65 * (this.contrast / 255), ...opts });
  }

  // ---- decoder ----
  private command(b: number): void {
    const p = this.pending;
    if (p.length > 0) {
      p.push(b);
      if (p.length - 1 < ARGS[p[0]!]!) return;
      this.pending = [];
      this.execute(p[0]!, p.slice(1));
      return;
    }
    if (ARGS[b] !== undefined) { this.pending = [b]; return; }
    this.execute(b, []);
  }

  private execute(c: number, a: number[]): void {
    this.stats.commands++;
    if (c <= 0x0f) { this.col = (this.col & 0xf0) | c; return; }
    if (c <= 0x1f) { this.col = ((c & 0x0f) << 4) | (this.col & 0x0f); return; }
    if (c >= 0x40 && c <= 0x7f) { this.startLine = c & 0x3f; return; }
    if (c >= 0xb0 && c <= 0xb7) { this.page = c & 7; return; }
    switch (c) {
      case 0x81: this.contrast = a[0]!; return;
      case 0x20: this.memoryMode = a[0]! & 3; return;
      case 0x21: this.colStart = a[0]! & 0x7f; this.colEnd = a[1]! & 0x7f; this.col = this.colStart; return;
      case 0x22: this.pageStart = a[0]! & 7; this.pageEnd = a[1]! & 7; this.page = this.pageStart; return;
      case 0xa0: case 0xa1: this.segRemap = c === 0xa1; return;
      case 0xc0: case 0xc8: this.comScanDec = c === 0xc8; return;
      case 0xa4: case 0xa5: this.entireOn = c === 0xa5; return;
      case 0xa6: case 0xa7: this.inverse = c === 0xa7; return;
      case 0xae: case 0xaf: this.displayOn = c === 0xaf; return;
      case 0xa8: this.multiplex = Math.max(15, a[0]! & 0x3f); return;
      case 0xd3: this.displayOffset = a[0]! & 0x3f; return;
      case 0x8d: this.chargePump = (a[0]! & 0x04) !== 0; return;
      case 0x2e: this.scrolling = false; return;
      case 0x2f: this.scrolling = true; this.log("scrolling is not emulated"); return;
      case 0xd5: case 0xd9: case 0xda: case 0xdb: case 0xe3:
      case 0x26: case 0x27: case 0x29: case 0x2a: case 0xa3:
        return; // timing, pin and scroll setup: no visible effect in the model
      default:
        this.stats.unknown++;
        this.log(`unknown command 0x${c.toString(16)}`);
    }
  }

  private data(b: number): void {
    this.stats.dataBytes++;
    this.ram[this.page * this.width + this.col] = b;
    if (this.memoryMode === 0) { // horizontal: along the page, then the next page
      if (++this.col > this.colEnd) { this.col = this.colStart; if (++this.page > this.pageEnd) this.page = this.pageStart; }
    } else if (this.memoryMode === 1) { // vertical: down the pages, then the next column
      if (++this.page > this.pageEnd) { this.page = this.pageStart; if (++this.col > this.colEnd) this.col = this.colStart; }
    } else { // page mode: the column wraps within the page
      if (++this.col > this.width - 1) this.col = 0;
    }
  }

  private reset(): void {
    this.displayOn = false; this.chargePump = false; this.contrast = 0x7f; this.inverse = false; this.entireOn = false;
    this.memoryMode = 2; this.colStart = 0; this.colEnd = this.width - 1; this.pageStart = 0; this.pageEnd = (this.height >> 3) - 1;
    this.col = 0; this.page = 0; this.startLine = 0; this.displayOffset = 0; this.multiplex = 63;
    this.segRemap = false; this.comScanDec = false; this.scrolling = false; this.pending = [];
  }

  /** RAM content is undefined after power-up: fill it with seeded noise */
  private scrambleRam(): void {
    let seed = 0x1306;
    const rnd = this.ctx ? () => this.ctx!.random() : () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 16777216;
    for (let i = 0; i < this.ram.length; i++) this.ram[i] = Math.floor(rnd() * 256);
  }

  private log(line: string): void { if (this.ctx) this.ctx.log(`${this.role}: ${line}`); }
}

export const createPart: PartFactory = (role, spec, ctx) => {
  const part = new Ssd1306Part(role, spec, ctx);
  ctx.i2c(spec.bus).attach(part);
  return part;
};
