// A minimal model of Espruino's Storage (the file store in the `storage` partition). It lives
// in the world, so files survive power cycles. Modelled: 28-character names (longer ones are
// silently truncated), zero-length writes throw, offset writes only into 0xFF bytes ("File
// already written with different data"), replacement of a whole file, and power cuts: each
// write or erase is one operation on the NOR chip's op counter (flash.armCut cuts it); a cut
// write lands half its bytes (a new file then looks valid with an 0xFF tail, a replaced one is
// already gone), a cut erase has erased. Not modelled: the on-flash layout, trash and
// compaction, "Storage is corrupt" (docs/simulator.md).
import { PowerCutError } from "../parts/nor-flash";

/** the chip Storage lives on: its op counter and power state */
export interface StorageChip { storageOp(): boolean; dead: boolean; }
export const STORAGE_NAME_MAX = 28;

export class StorageFs {
  files = new Map<string, Uint8Array>();
  constructor(readonly capacity: number, private chip?: StorageChip) {}

  /** false when the chip is unpowered (nothing lands); throws after landing `partial` when the
   *  armed cut fires during this operation */
  private op(partial: () => void): boolean {
    if (!this.chip) return true;
    if (this.chip.dead) return false;
    if (this.chip.storageOp()) { partial(); throw new PowerCutError(); }
    return true;
  }

  static name(n: string): string { return String(n).slice(0, STORAGE_NAME_MAX); }

  used(): number {
    let n = 0;
    for (const [k, v] of this.files) n += 32 + k.length + v.length; // header + name + data, roughly
    return n;
  }
  free(): number { return Math.max(0, this.capacity - this.used()); }

  read(name: string): Uint8Array | undefined { return this.files.get(StorageFs.name(name)); }

  write(name: string, data: Uint8Array, offset?: number, size?: number): void {
    const n = StorageFs.name(name);
    if (offset === undefined || offset === null) {
      if (data.length === 0) throw new Error("Can't create zero-length file");
      if (!this.op(() => {
        const torn = new Uint8Array(size !== undefined && size > data.length ? size : data.length).fill(0xff);
        torn.set(data.subarray(0, data.length >> 1));
        this.files.set(n, torn);
      })) return;
      const total = size !== undefined && size > data.length ? size : data.length;
      const f = new Uint8Array(total).fill(0xff);
      f.set(data);
      this.files.set(n, f);
      return;
    }
    if (!this.op(() => this.writeAt(n, data.subarray(0, data.length >> 1), offset, size))) return;
    this.writeAt(n, data, offset, size);
  }

  private writeAt(n: string, data: Uint8Array, offset: number, size?: number): void {
    let f = this.files.get(n);
    if (!f) {
      const total = size ?? offset + data.length;
      if (total <= 0) throw new Error("Can't create zero-length file");
      f = new Uint8Array(total).fill(0xff);
      this.files.set(n, f);
    }
    if (offset + data.length > f.length) throw new Error("Too much data for file size");
    for (let i = 0; i < data.length; i++) {
      const old = f[offset + i]!;
      if (old !== 0xff && old !== data[i]) throw new Error("File already written with different data");
    }
    f.set(data, offset);
  }

  erase(name: string): void {
    if (!this.op(() => this.files.delete(StorageFs.name(name)))) return;
    this.files.delete(StorageFs.name(name));
  }
  list(): string[] { return [...this.files.keys()]; }

  snapshot(): Map<string, Uint8Array> { return new Map([...this.files].map(([k, v]) => [k, new Uint8Array(v)])); }
}
