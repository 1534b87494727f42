// What a board `make flash` has started once holds, for the simulator (docs/update.md): the boot
// loader as .bootcde, the firmware in slot "fw.a", and a first boot-control snapshot naming it
// (confirmed) in the board's `boot` flash region. (make flash leaves that region blank and the
// loader's first boot records fw.a, with version 0; here the snapshot carries the tag's version.)
import type { Board } from "../../boards/types";
import type { NorFlash } from "../parts/nor-flash";
import type { StorageFs } from "../runtime/storage";
import { bootControl, BootControl, BootState, Boot, Slot } from "../../firmware/update/bootctl";
import { crc32, imageInfo } from "./image";

const bytes = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));

/** the first snapshot for an image in slot 0 */
export function firstBootState(image: string): BootState {
  const info = imageInfo(image) ?? { version: 0, fmt: 0 };
  const slots = [{ version: info.version, length: image.length, crc: crc32(image), fmt: info.fmt }, { version: 0, length: 0, crc: 0, fmt: 0 }];
  return { seq: 1, active: 0, trial: false, failed: 0, slots };
}

/** the boot control as the loader reads it (writes are refused: for reading and encoding) */
export function readBootControl(flash: NorFlash, board: Board): BootControl {
  const dev = {
    read: (n: number, a: number) => flash.read(n, a),
    write: () => { throw new Error("read only"); },
    erasePage: () => { throw new Error("read only"); },
  };
  return bootControl(dev, board.flashRegions.boot, (d) => crc32(d));
}

/** fills in whatever is missing (files already in Storage and a boot region already written
 *  are kept: they come from an earlier power cycle or another world) */
export function bootSlots(board: Board, flash: NorFlash, storage: StorageFs, loader: string, image: string): void {
  if (!storage.files.has(".bootcde")) storage.files.set(".bootcde", bytes(loader));
  if (!storage.files.has(Slot.A) && !storage.files.has(Slot.B)) storage.files.set(Slot.A, bytes(image));
  const r = board.flashRegions.boot;
  const blank = (a: number) => flash.read(Boot.Snapshot, a).every((b) => b === 0xff);
  if (!blank(r.base) || !blank(r.base + r.sectorSize)) return;
  // NorFlash.load replaces a whole range: patch the raw partition holding the region
  const part = board.partitions.flash;
  const img = flash.image(part.base);
  img.set(readBootControl(flash, board).encode(firstBootState(image)), r.base - part.base);
  flash.load(part.base, img);
}
