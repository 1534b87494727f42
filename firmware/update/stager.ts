// Staging an offered image beside the running one (docs/update.md): checks the offer (HMAC with
// the provisioned update key, version, journal format, free Storage), writes the image into the
// slot file that is NOT running with sized offset writes, checks the chained SHA-256 of the
// whole file against the offer, then switches in one step: one boot-control snapshot naming the
// new slot as a trial. The running slot and the boot control are never touched before that
// snapshot, so a cut anywhere boots the old version; after it, the new one (on trial).
import { BootControl, BootState, Slot } from "./bootctl";
import { Offer, Protocol, Wire } from "./protocol";
import { hmacSha256 } from "../app/hmac";

export interface StagerDeps {
  storage: StorageModule;
  ctl: BootControl;
  proto: Protocol;
  sha256: (s: string) => string;
  crc32: (s: string) => number;
  /** the update key (raw bytes as an 8-bit string) */
  key: string;
  running: number;
  /** the journal format this firmware (and so the flash) holds */
  journalFormat: number;
}

export interface Stager {
  /** null when the offer may be installed, else why not */
  offer(o: Offer): string | null;
  /** bytes of the image staged so far (resume point) */
  next(): number;
  /** writes the bytes at offset (must be next()); error text or null */
  chunk(offset: number, data: string): string | null;
  /** checks the staged file and switches; error text or null (then reboot) */
  finish(): string | null;
}

/** bytes Storage must keep free beyond the image, so that writing it never compacts */
const enum Margin { Storage = 4096 }

export function createStager(d: StagerDeps): Stager {
  var offered: Offer | null = null;
  var written = 0;
  var state = d.ctl.state;
  var target = state ? 1 - state.active : -1;
  var name: string = target === 1 ? Slot.B : Slot.A;
  var same = function (a: string, b: string): boolean {
    var x = a.length ^ b.length;
    for (var i = 0; i < a.length && i < b.length; i++) x |= a.charCodeAt(i) ^ b.charCodeAt(i);
    return x === 0;
  };
  return {
    offer: function (o) {
      if (!state) return "no boot control: reflash (make flash)";
      if (state.trial) return "running version is on trial";
      if (d.key.length < 16) return "no update key (posConfig updateKey)";
      if (!same(hmacSha256(d.sha256, d.key, d.proto.signed(o)), o.hmac)) return "bad signature";
      if (o.version === d.running) return "v" + o.version + " already running";
      if (o.fmt < d.journalFormat) return "v" + o.version + " reads journal format " + o.fmt + " < " + d.journalFormat;
      if (o.size < 1 || o.size > 1048576) return "bad image size " + o.size;
      if (offered && offered.version === o.version && same(offered.digest, o.digest)) return null; // resume
      // a stale copy in the target slot is erased; its space becomes trash (never compacted
      // here: a cut during compaction can lose every file)
      var old = d.storage.read(name);
      var free = d.storage.getFree() + 0;
      if (free < o.size + Margin.Storage) return "Storage full (" + free + " bytes free): reflash";
      if (old) d.storage.erase(name);
      offered = o;
      written = 0;
      return null;
    },
    next: function () { return written; },
    chunk: function (offset, data) {
      if (!offered) return "no offer";
      if (offset !== written || !data.length || offset + data.length > offered.size) return "unexpected data at " + offset;
      try { d.storage.write(name, data, offset, offered.size); } catch (e) { return "Storage: " + e; }
      written += data.length;
      return null;
    },
    finish: function () {
      var o = offered;
      if (!o || written !== o.size) return "image incomplete";
      var f = d.storage.read(name);
      if (!f || f.length !== o.size) return "staged file missing";
      var h = d.proto.zeroDigest();
      for (var at = 0; at < o.size; at += Wire.DigestChunk) h = d.proto.step(h, d.storage.read(name, at, Math.min(Wire.DigestChunk, o.size - at))!);
      if (!same(h, o.digest)) return "image digest mismatch";
      var s = state!;
      var next: BootState = { seq: 0, active: target, trial: true, failed: 0, slots: [s.slots[0]!, s.slots[1]!] };
      next.slots[target] = { version: o.version, length: o.size, crc: d.crc32(f), fmt: o.fmt };
      return d.ctl.save(next);
    },
  };
}
