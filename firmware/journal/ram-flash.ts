// A small NOR flash model in RAM for the on-device self-tests: AND-only writes, sector erase,
// and an optional write budget after which writes are dropped (a crude power cut).
import { FlashDevice } from "../../drivers/hal";

export class RamFlash implements FlashDevice {
  bytes: Uint8Array;
  /** writes still allowed; -1: unlimited. When it reaches 0 further writes are dropped. */
  budget = -1;
  constructor(public base: number, size: number, public sectorSize: number) {
    this.bytes = new Uint8Array(size);
    this.bytes.fill(255);
  }
  read(length: number, address: number): Uint8Array {
    var o = address - this.base;
    return new Uint8Array(this.bytes.subarray(o, o + length));
  }
  write(data: Uint8Array, address: number): void {
    if (this.budget === 0) return;
    if (this.budget > 0) this.budget--;
    var o = address - this.base;
    for (var i = 0; i < data.length; i++) this.bytes[o + i] = this.bytes[o + i]! & data[i]!;
  }
  erasePage(address: number): void {
    if (this.budget === 0) return;
    var o = address - this.base;
    o -= o % this.sectorSize;
    this.bytes.fill(255, o, o + this.sectorSize);
  }
}
