// The ESP32's SPI NOR flash as Espruino's require("Flash") sees it: erased = 0xFF, writes AND
// into existing bits, 4 KiB sector erase, and no error is ever reported. Only the partitions
// the board file names are backed (reads elsewhere return 0xFF, writes elsewhere are ignored
// like a protected region would be, and logged).
//
// Power cuts: arm a cut at the n-th *flash operation* (each 4-byte word programmed, each
// sector erase); when it fires, the operation in flight is torn according to the fault flavour
// (see the journal issue) and PowerCutError is thrown. After a cut the chip is dead until
// powerOn(): every further write or erase is dropped.
export class PowerCutError extends Error {
  constructor() { super("power cut"); }
}

export interface NorFlashOptions {
  /** absolute address and size of each backed range */
  ranges: { base: number; size: number }[];
  sectorSize?: number;
}

export class NorFlash {
  readonly sectorSize: number;
  private mem = new Map<number, Uint8Array>(); // range base -> bytes
  private ranges: { base: number; size: number }[];
  /** operation counters for figures */
  stats = { readBytes: 0, programmedBytes: 0, wordPrograms: 0, erases: 0, writeCalls: 0 };
  /** number of word programs + erases so far (the cut index space) */
  ops = 0;
  private cutAtOp = -1;
  dead = false;

  constructor(opts: NorFlashOptions) {
    this.sectorSize = opts.sectorSize ?? 4096;
    this.ranges = opts.ranges.map((r) => ({ ...r }));
    for (const r of this.ranges) this.mem.set(r.base, new Uint8Array(r.size).fill(0xff));
  }

  private locate(addr: number): { bytes: Uint8Array; off: number } | undefined {
    for (const r of this.ranges) {
      if (addr >= r.base && addr < r.base + r.size) return { bytes: this.mem.get(r.base)!, off: addr - r.base };
    }
    return undefined;
  }

  read(length: number, addr: number): Uint8Array {
    const out = new Uint8Array(length).fill(0xff);
    for (let i = 0; i < length; i++) {
      const l = this.locate(addr + i);
      if (l) out[i] = l.bytes[l.off]!;
    }
    this.stats.readBytes += length;
    return out;
  }

  /** Arm a power cut: it fires during operation number `op` (0-based, counted from now on
   *  the global op counter). */
  armCut(op: number): void { this.cutAtOp = op; }
  disarm(): void { this.cutAtOp = -1; }

  private tick(): boolean {
    if (this.dead) return false;
    const fire = this.cutAtOp >= 0 && this.ops === this.cutAtOp;
    this.ops++;
    if (fire) { this.dead = true; this.cutAtOp = -1; }
    return fire;
  }

  write(data: Uint8Array, addr: number): void {
    this.stats.writeCalls++;
    // whole 4-byte words, as the ESP32 port does (unaligned ends read-merge-rewrite the word)
    const start = addr & ~3, end = (addr + data.length + 3) & ~3;
    for (let w = start; w < end; w += 4) {
      if (this.dead) return;
      const cut = this.tick();
      const l = this.locate(w);
      for (let b = 0; b < 4; b++) {
        const a = w + b;
        if (a < addr || a >= addr + data.length) continue;
        const loc = this.locate(a);
        if (!loc) continue;
        const target = loc.bytes[loc.off]! & data[a - addr]!;
        // torn program: a cut word lands none of its bits here; flavours refine this
        if (!cut) loc.bytes[loc.off] = target;
      }
      if (l && !cut) { this.stats.wordPrograms++; this.stats.programmedBytes += 4; }
      if (cut) throw new PowerCutError();
    }
  }

  erasePage(addr: number): void {
    if (this.dead) return;
    const cut = this.tick();
    const base = addr - (addr % this.sectorSize);
    const l = this.locate(base);
    if (!cut && l) l.bytes.fill(0xff, l.off, l.off + this.sectorSize);
    if (!cut) this.stats.erases++;
    if (cut) throw new PowerCutError();
  }

  powerOn(): void { this.dead = false; }

  /** a copy of a range's bytes (for snapshots between test cases) */
  image(base: number): Uint8Array { return new Uint8Array(this.mem.get(base)!); }
  load(base: number, bytes: Uint8Array): void { this.mem.get(base)!.set(bytes); }
}
