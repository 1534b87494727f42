// A minimal model of Espruino's Storage (the file store in the `storage` partition). It lives
// in the world, so files survive power cycles. Modelled: 28-character names (longer ones are
// silently truncated), zero-length writes throw, offset writes only into 0xFF bytes ("File
// already written with different data"), replacement of a whole file. Not modelled: the on-
// flash layout, trash and compaction, torn writes and "Storage is corrupt" (docs/simulator.md).
export const STORAGE_NAME_MAX = 28;

export class StorageFs {
  files = new Map<string, Uint8Array>();
  constructor(readonly capacity: number) {}

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
      const total = size !== undefined && size > data.length ? size : data.length;
      const f = new Uint8Array(total).fill(0xff);
      f.set(data);
      this.files.set(n, f);
      return;
    }
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

  erase(name: string): void { this.files.delete(StorageFs.name(name)); }
  list(): string[] { return [...this.files.keys()]; }

  snapshot(): Map<string, Uint8Array> { return new Map([...this.files].map(([k, v]) => [k, new Uint8Array(v)])); }
}
