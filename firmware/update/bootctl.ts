// Boot control for firmware updates (docs/update.md): which Storage slot ("fw.a" / "fw.b") the
// loader boots, whether that slot is still on trial (not yet READY), and how many times a trial
// was started. It lives in the board's raw `boot` flash region (2 x 4 KiB), never in Storage
// (Storage is not power-cut safe).
//
// A/B sectors like the settings store: a state change erases the sector NOT holding the newest
// valid snapshot, writes the snapshot body, then the magic last, and reads it all back; a cut at
// any point leaves the previous snapshot valid. Load picks the valid snapshot with the highest
// sequence. Normal (confirmed) boots write nothing.
//
// Snapshot (64 bytes): 0 magic "BOOT" | 4 seq u32 | 8 active slot (0/1) | 9 trial (1) or
// confirmed (0) | 10..11 FF | 12 version rolled back from (0 none) | 16 slot 0 | 32 slot 1 |
// 48..59 FF | 60 CRC-32 of 0..59. A slot is version, length, CRC-32 of the file, journal format
// (u32 each; length 0: empty).
// Attempt tally: from byte 64 of the snapshot's sector, one word programmed to 0 per trial boot
// (counted BEFORE the candidate is loaded); any word not all 0xFF counts (a torn program is a
// boot that started).
//
// Everything is built inside bootControl(): the firmware calls it at READY and in the update
// menu only, so its functions cost no RAM at idle.
import { FlashDevice } from "../../drivers/hal";

/** Storage names of the two slots, and limits (inlined by the compiler: no RAM at idle) */
export const enum Slot { A = "fw.a", B = "fw.b" }
export const enum Boot {
  /** a trial that started this many times without READY is rolled back */
  Trials = 3,
  Snapshot = 64,
}

export interface SlotInfo { version: number; length: number; crc: number; fmt: number; }
export interface BootState {
  seq: number;
  active: number;
  trial: boolean;
  /** version of the last trial rolled back (0: none) */
  failed: number;
  slots: SlotInfo[];
}
export interface BootRegion { base: number; sectors: number; sectorSize: number; }

export interface BootControl {
  /** the newest valid snapshot, or null (never written, or both copies bad) */
  state: BootState | null;
  /** trial boots counted since the newest snapshot */
  attempts(): number;
  /** counts one trial boot (one word program, read back); false if it did not stick */
  countAttempt(): boolean;
  /** writes s as the newest snapshot (seq is set); returns an error text or null */
  save(s: BootState): string | null;
  /** the snapshot bytes for s (the simulator writes a first one the way make flash would) */
  encode(s: BootState): Uint8Array;
  /** the state 64 bytes hold, or null unless magic and CRC are good */
  decode(b: Uint8Array): BootState | null;
}

export function bootControl(flash: FlashDevice, region: BootRegion, crc32: (d: Uint8Array) => number): BootControl {
  var size = region.sectorSize;
  var encode = function (s: BootState): Uint8Array {
    var b = new Uint8Array(Boot.Snapshot);
    b.fill(255);
    var put = function (at: number, v: number): void {
      b[at] = v & 255; b[at + 1] = (v >>> 8) & 255; b[at + 2] = (v >>> 16) & 255; b[at + 3] = (v >>> 24) & 255;
    };
    b[0] = 0x42; b[1] = 0x4F; b[2] = 0x4F; b[3] = 0x54;
    put(4, s.seq);
    b[8] = s.active; b[9] = s.trial ? 1 : 0;
    put(12, s.failed);
    for (var i = 0; i < 2; i++) {
      var o = 16 + i * 16, sl = s.slots[i]!;
      put(o, sl.version); put(o + 4, sl.length); put(o + 8, sl.crc); put(o + 12, sl.fmt);
    }
    put(60, crc32(b.subarray(0, 60)));
    return b;
  };
  var decode = function (b: Uint8Array): BootState | null {
    var get = function (at: number): number { return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0; };
    if (b[0] !== 0x42 || b[1] !== 0x4F || b[2] !== 0x4F || b[3] !== 0x54) return null;
    if (crc32(b.subarray(0, 60)) !== get(60)) return null;
    if (b[8]! > 1 || b[9]! > 1) return null;
    var slots: SlotInfo[] = [];
    for (var i = 0; i < 2; i++) {
      var o = 16 + i * 16;
      slots.push({ version: get(o), length: get(o + 4), crc: get(o + 8), fmt: get(o + 12) });
    }
    return { seq: get(4), active: b[8]!, trial: b[9] === 1, failed: get(12), slots: slots };
  };
  var current = -1;
  var addr = function (sector: number): number { return region.base + sector * size; };
  var state: BootState | null = null;
  for (var s = 0; s < 2; s++) {
    var st = decode(flash.read(Boot.Snapshot, addr(s)));
    if (st && (!state || st.seq > state.seq)) { state = st; current = s; }
  }
  /** index of the first erased tally word (words scanned in 256-byte reads) */
  var tallyEnd = function (): number {
    if (current < 0) return 0;
    for (var off = Boot.Snapshot; off < size; off += 256) {
      var n = Math.min(256, size - off), w = flash.read(n, addr(current) + off);
      for (var i = 0; i < n; i += 4) {
        if ((w[i]! & w[i + 1]! & w[i + 2]! & w[i + 3]!) === 255) return (off + i - Boot.Snapshot) >> 2;
      }
    }
    return (size - Boot.Snapshot) >> 2;
  };
  var ctl: BootControl = {
    state: state,
    encode: encode,
    decode: decode,
    attempts: tallyEnd,
    countAttempt: function () {
      var k = tallyEnd();
      if (current < 0 || Boot.Snapshot + k * 4 >= size) return false;
      var a = addr(current) + Boot.Snapshot + k * 4;
      flash.write(new Uint8Array(4), a);
      var r = flash.read(4, a);
      return (r[0]! | r[1]! | r[2]! | r[3]!) === 0;
    },
    save: function (next: BootState): string | null {
      var target = current === 0 ? 1 : 0;
      next.seq = ctl.state ? ctl.state.seq + 1 : 1;
      var b = encode(next);
      var a = addr(target);
      flash.erasePage(a);
      // the whole sector must read erased: a stray 0 in the tally would count a boot
      for (var off = 0; off < size; off += 256) {
        var e = flash.read(256, a + off);
        for (var i = 0; i < 256; i++) if (e[i] !== 255) return "boot control erase failed";
      }
      // body first, magic last: the magic is the commit
      flash.write(b.subarray(4), a + 4);
      flash.write(b.subarray(0, 4), a);
      var back = flash.read(Boot.Snapshot, a);
      for (var j = 0; j < Boot.Snapshot; j++) if (back[j] !== b[j]) return "boot control write failed";
      current = target;
      ctl.state = next;
      return null;
    },
  };
  return ctl;
}
