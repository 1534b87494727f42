// The ESP32's SPI NOR flash as Espruino's require("Flash") sees it: erased = 0xFF, writes AND
// into existing bits, 4 KiB sector erase, and no error is ever reported. Only the partitions
// the board file names are backed (reads elsewhere return 0xFF, writes elsewhere are ignored
// like a protected region would be).
//
// Power cuts: arm a cut at the n-th *flash operation* (each 4-byte word programmed, each
// sector erase); when it fires, the operation in flight is torn according to the fault flavour
// and PowerCutError is thrown. After a cut the chip is dead until powerOn(): every further
// write or erase is dropped. All randomness comes from one seeded generator (reseed()).
//
// Fault flavours (../shared/flash-journal.md section 2):
// - program: "clean" (the word lands none of its bits), "torn" (a random subset of the
//   intended 1->0 bits lands), "weak" (some bits land, some are left weak: they read 0 or 1
//   at random on every read until programmed again or erased);
// - erase: "old" (nothing happened), "zero" (stopped after the pre-program phase: all 0),
//   "mixed" (random bits), "weakff" (reads erased at first, then weak bits flip on later reads),
//   "done" (the erase finished, then power went);
// - endurance: after `endurance` erases a sector's erases leave random bits and its programs
//   land only some bits, silently, as a worn device does.
export class PowerCutError extends Error {
  constructor() { super("power cut"); }
}

export type ProgramFault = "clean" | "torn" | "weak";
export type EraseFault = "old" | "zero" | "mixed" | "weakff" | "done";
export interface CutFault { program?: ProgramFault; erase?: EraseFault; }

export interface NorFlashOptions {
  /** absolute address and size of each backed range */
  ranges: { base: number; size: number }[];
  sectorSize?: number;
  /** seed of the fault generator (default 1) */
  seed?: number;
  /** erase cycles a sector survives (default: unlimited) */
  endurance?: number;
}

interface Range {
  base: number; size: number; bytes: Uint8Array;
  /** weak bits per byte (read random) and, per sector, reads left before they start flipping */
  weak: Uint8Array; weakCount: number; quietReads: Int32Array;
}

export interface NorSnapshot { mem: Uint8Array[]; weak: Uint8Array[]; weakCount: number[]; quiet: Int32Array[]; eraseCounts: number[][]; }

export class NorFlash {
  readonly sectorSize: number;
  private ranges: Range[];
  /** operation counters for figures */
  stats = { readBytes: 0, programmedBytes: 0, wordPrograms: 0, erases: 0, writeCalls: 0 };
  /** number of word programs + erases so far (the cut index space) */
  ops = 0;
  private cutAtOp = -1;
  private cutFault: CutFault = {};
  dead = false;
  /** when set, each operation appends "w" (word program) or "e" (erase): campaigns use it to
   *  pick the fault flavours that apply to an operation */
  opLog: string[] | null = null;
  endurance: number;
  private eraseCounts: number[][];
  private rng: number;

  constructor(opts: NorFlashOptions) {
    this.sectorSize = opts.sectorSize ?? 4096;
    this.endurance = opts.endurance ?? Infinity;
    this.rng = (opts.seed ?? 1) >>> 0;
    this.ranges = opts.ranges.map((r) => ({
      base: r.base, size: r.size, bytes: new Uint8Array(r.size).fill(0xff),
      weak: new Uint8Array(r.size), weakCount: 0, quietReads: new Int32Array(Math.ceil(r.size / this.sectorSize)),
    }));
    this.eraseCounts = this.ranges.map((r) => new Array(Math.ceil(r.size / this.sectorSize)).fill(0));
  }

  /** restart the fault generator (each campaign case seeds its own) */
  reseed(seed: number): void { this.rng = (seed >>> 0) || 1; }
  /** mulberry32 */
  private rand(): number {
    let t = (this.rng = (this.rng + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  private randByte(): number { return Math.floor(this.rand() * 256); }

  private rangeOf(addr: number): Range | undefined {
    for (const r of this.ranges) if (addr >= r.base && addr < r.base + r.size) return r;
    return undefined;
  }

  read(length: number, addr: number): Uint8Array {
    this.stats.readBytes += length;
    const r = this.rangeOf(addr);
    if (r && addr + length <= r.base + r.size) {
      const off = addr - r.base;
      const out = r.bytes.slice(off, off + length);
      if (r.weakCount) this.applyWeak(r, off, out);
      return out;
    }
    const out = new Uint8Array(length).fill(0xff);
    for (let i = 0; i < length; i++) {
      const ri = this.rangeOf(addr + i);
      if (ri) { const o = addr + i - ri.base; out[i] = ri.bytes[o]!; if (ri.weak[o]) out[i] = this.weakByte(ri, o, out[i]!); }
    }
    return out;
  }

  private applyWeak(r: Range, off: number, out: Uint8Array): void {
    const s0 = Math.floor(off / this.sectorSize), s1 = Math.floor((off + out.length - 1) / this.sectorSize);
    let quiet = false;
    for (let s = s0; s <= s1; s++) if (r.quietReads[s]! > 0) { r.quietReads[s]!--; quiet = true; }
    if (quiet) return; // "reads erased now": the weak bits hold for a few reads
    for (let i = 0; i < out.length; i++) if (r.weak[off + i]) out[i] = this.weakByte(r, off + i, out[i]!);
  }
  private weakByte(r: Range, o: number, v: number): number {
    const m = r.weak[o]!;
    return (v & ~m) | (this.randByte() & m);
  }
  private setWeak(r: Range, o: number, mask: number): void {
    const before = r.weak[o]!;
    r.weak[o] = mask;
    r.weakCount += (mask ? 1 : 0) - (before ? 1 : 0);
  }

  /** Arm a power cut: it fires during operation number `op` (the global op counter value at
   *  which it fires) with the given fault flavour. */
  armCut(op: number, fault: CutFault = {}): void { this.cutAtOp = op; this.cutFault = fault; }
  disarm(): void { this.cutAtOp = -1; }

  /** a Storage operation (sim/runtime/storage.ts) on this chip's op counter: true when the
   *  armed cut fires during it (the chip is then dead) */
  storageOp(): boolean { return this.tick("s"); }

  private tick(kind: string): boolean {
    if (this.dead) return false;
    if (this.opLog) this.opLog.push(kind);
    const fire = this.cutAtOp >= 0 && this.ops === this.cutAtOp;
    this.ops++;
    if (fire) { this.dead = true; this.cutAtOp = -1; }
    return fire;
  }

  private worn(r: Range, off: number): boolean {
    return this.eraseCounts[this.ranges.indexOf(r)]![Math.floor(off / this.sectorSize)]! >= this.endurance;
  }

  write(data: Uint8Array, addr: number): void {
    this.stats.writeCalls++;
    // whole 4-byte words, as the ESP32 port does (unaligned ends read-merge-rewrite the word)
    const start = addr & ~3, end = (addr + data.length + 3) & ~3;
    for (let w = start; w < end; w += 4) {
      if (this.dead) return;
      const cut = this.tick("w");
      const r = this.rangeOf(w);
      if (r) {
        const fault: ProgramFault = cut ? (this.cutFault.program ?? "clean") : "torn";
        const worn = !cut && this.worn(r, w - r.base);
        for (let b = 0; b < 4; b++) {
          const a = w + b;
          if (a < addr || a >= addr + data.length || a >= r.base + r.size) continue;
          this.programByte(r, a - r.base, data[a - addr]!, cut || worn ? fault : null);
        }
        if (!cut) { this.stats.wordPrograms++; this.stats.programmedBytes += 4; }
      }
      if (cut) throw new PowerCutError();
    }
  }

  /** AND one byte in; a torn program lands a random subset of its 1->0 bits */
  private programByte(r: Range, o: number, v: number, fault: ProgramFault | null): void {
    const cur = r.bytes[o]!;
    const intended = cur & ~v & 0xff; // bits going 1 -> 0
    if (!fault) {
      r.bytes[o] = cur & v;
      if (r.weak[o]) this.setWeak(r, o, r.weak[o]! & v); // programmed bits are solid now
      return;
    }
    let landed = 0, weak = 0;
    for (let bit = 1; bit < 256; bit <<= 1) {
      if (!(intended & bit)) continue;
      const x = this.rand();
      if (fault === "torn") { if (x < 0.5) landed |= bit; }
      else if (fault === "weak") { if (x < 0.34) landed |= bit; else if (x < 0.67) weak |= bit; }
    }
    r.bytes[o] = cur & ~landed;
    if (weak) this.setWeak(r, o, (r.weak[o]! | weak) & ~landed);
  }

  erasePage(addr: number): void {
    if (this.dead) return;
    const cut = this.tick("e");
    const r = this.rangeOf(addr);
    if (r) {
      const off = (addr - r.base) - ((addr - r.base) % this.sectorSize);
      const s = off / this.sectorSize;
      const counts = this.eraseCounts[this.ranges.indexOf(r)]!;
      const fault: EraseFault = cut ? (this.cutFault.erase ?? "old") : this.worn(r, off) ? "mixed" : "done";
      if (fault !== "old") counts[s]!++;
      this.eraseSector(r, off, fault);
      if (!cut) this.stats.erases++;
    }
    if (cut) throw new PowerCutError();
  }

  private eraseSector(r: Range, off: number, fault: EraseFault): void {
    const end = off + this.sectorSize, s = off / this.sectorSize;
    if (fault === "old") return;
    for (let o = off; o < end; o++) if (r.weak[o]) this.setWeak(r, o, 0);
    r.quietReads[s] = 0;
    if (fault === "done") { r.bytes.fill(0xff, off, end); return; }
    if (fault === "zero") { r.bytes.fill(0, off, end); return; }
    if (fault === "mixed") {
      for (let o = off; o < end; o++) r.bytes[o] = r.bytes[o]! | this.randByte();
      return;
    }
    // weakff: erased-looking, with a sprinkle of bits that start flipping after a few reads
    r.bytes.fill(0xff, off, end);
    for (let o = off; o < end; o++) if (this.rand() < 0.02) this.setWeak(r, o, 1 << Math.floor(this.rand() * 8));
    r.quietReads[s] = 2;
  }

  powerOn(): void { this.dead = false; }

  /** erase cycles seen by the sector holding addr */
  eraseCount(addr: number): number {
    const r = this.rangeOf(addr);
    if (!r) return 0;
    return this.eraseCounts[this.ranges.indexOf(r)]![Math.floor((addr - r.base) / this.sectorSize)]!;
  }

  /** a copy of a range's bytes (for snapshots between test cases) */
  image(base: number): Uint8Array { return new Uint8Array(this.rangeOf(base)!.bytes); }
  /** replace a range's bytes (clears weak bits) */
  load(base: number, bytes: Uint8Array): void {
    const r = this.rangeOf(base)!;
    r.bytes.set(bytes); r.weak.fill(0); r.weakCount = 0; r.quietReads.fill(0);
  }

  /** everything a replay needs: bytes, weak bits, erase counts */
  snapshot(): NorSnapshot {
    return {
      mem: this.ranges.map((r) => r.bytes.slice()), weak: this.ranges.map((r) => r.weak.slice()),
      weakCount: this.ranges.map((r) => r.weakCount), quiet: this.ranges.map((r) => r.quietReads.slice()),
      eraseCounts: this.eraseCounts.map((c) => c.slice()),
    };
  }
  restore(s: NorSnapshot): void {
    this.ranges.forEach((r, i) => {
      r.bytes.set(s.mem[i]!); r.weak.set(s.weak[i]!); r.weakCount = s.weakCount[i]!; r.quietReads.set(s.quiet[i]!);
    });
    this.eraseCounts = s.eraseCounts.map((c) => c.slice());
    this.dead = false; this.cutAtOp = -1;
  }
}
