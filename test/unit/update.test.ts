// Firmware update, pure parts (docs/update.md): boot-control snapshots and the attempt tally,
// the loader's slot choice and rollback, the transfer protocol's frames, the stager's checks.
import { strict as assert } from "assert";
import * as zlib from "zlib";
import { RamFlash } from "../../firmware/journal/ram-flash";
import { bootControl, BootState, Boot } from "../../firmware/update/bootctl";
import { chooseSlot } from "../../firmware/update/choose";
import { createStager } from "../../firmware/update/stager";
import * as fs from "fs";
import { firmwareVersion } from "../../firmware/update/version";
import { FORMAT } from "../../firmware/journal/format";
import { protocol, makeOffer, imageInfo, withVersion, sha256, crc32 as crcStr, imageDigest } from "../../sim/update/image";

const crc = (d: Uint8Array) => zlib.crc32(d);
const REGION = { base: 0x31E000, sectors: 2, sectorSize: 4096 };
const KEY = "101112131415161718191a1b1c1d1e1f";
const keyBytes = Buffer.from(KEY, "hex").toString("latin1");

function state(active: number, trial: boolean, versions: [number, number]): BootState {
  return { seq: 0, active, trial, failed: 0, slots: versions.map((v) => (v ? { version: v, length: 100 + v, crc: v, fmt: 1 } : { version: 0, length: 0, crc: 0, fmt: 0 })) };
}

describe("update: boot control", () => {
  it("encodes and decodes a snapshot; any flipped byte invalidates it", () => {
    const s = { ...state(1, true, [1, 2]), seq: 7, failed: 3 };
    const ctl = bootControl(new RamFlash(REGION.base, 8192, 4096), REGION, crc);
    const b = ctl.encode(s);
    assert.deepEqual(ctl.decode(b), s);
    for (let i = 0; i < 64; i++) {
      const c = new Uint8Array(b); c[i] ^= 0x10;
      assert.equal(ctl.decode(c), null, "byte " + i);
    }
  });

  it("keeps the newest of two A/B copies; a save never touches the current copy", () => {
    const f = new RamFlash(REGION.base, 8192, 4096);
    const ctl = bootControl(f, REGION, crc);
    assert.equal(ctl.state, null);
    assert.equal(ctl.save(state(0, false, [1, 0])), null);
    const first = f.read(64, REGION.base);
    assert.equal(ctl.save(state(1, true, [1, 2])), null);
    assert.deepEqual(f.read(64, REGION.base), first, "the previous copy stays");
    const again = bootControl(f, REGION, crc);
    assert.equal(again.state!.seq, 2);
    assert.equal(again.state!.active, 1);
  });

  it("a save cut at any write leaves the previous state or the new one, never none", () => {
    for (let budget = 0; budget < 4; budget++) {
      const f = new RamFlash(REGION.base, 8192, 4096);
      bootControl(f, REGION, crc).save(state(0, false, [1, 0]));
      f.budget = budget; // writes after the budget are dropped (a cut)
      bootControl(f, REGION, crc).save(state(1, true, [1, 2]));
      f.budget = -1;
      const s = bootControl(f, REGION, crc).state!;
      assert.ok(s, "budget " + budget);
      assert.ok((s.active === 0 && !s.trial) || (s.active === 1 && s.trial), "budget " + budget);
    }
  });

  it("counts trial boots one word each; a new snapshot starts a fresh tally", () => {
    const f = new RamFlash(REGION.base, 8192, 4096);
    const ctl = bootControl(f, REGION, crc);
    ctl.save(state(1, true, [1, 2]));
    assert.equal(ctl.attempts(), 0);
    assert.ok(ctl.countAttempt());
    assert.ok(ctl.countAttempt());
    assert.equal(bootControl(f, REGION, crc).attempts(), 2);
    // a torn word (some bits programmed) counts: that boot started
    const a = REGION.base + 64 + 8; // the snapshot went to sector 0
    f.write(new Uint8Array([0xfe, 0xff, 0xff, 0xff]), a);
    assert.equal(bootControl(f, REGION, crc).attempts(), 3);
    ctl.save(state(1, false, [1, 2]));
    assert.equal(bootControl(f, REGION, crc).attempts(), 0);
  });
});

describe("update: the loader's choice", () => {
  const setup = (s: BootState | null) => {
    const f = new RamFlash(REGION.base, 8192, 4096);
    const ctl = bootControl(f, REGION, crc);
    if (s) ctl.save(s);
    return { f, ctl: () => bootControl(f, REGION, crc) };
  };
  const allOk = () => true;

  it("boots the confirmed slot without writing", () => {
    const { f, ctl } = setup(state(0, false, [1, 2]));
    const before = f.read(8192, REGION.base);
    assert.deepEqual(chooseSlot(ctl(), allOk), { slot: 0, trial: false, note: "" });
    assert.deepEqual(f.read(8192, REGION.base), before);
  });

  it("counts a trial boot before it runs, and rolls back after MAX_TRIALS without READY", () => {
    const { ctl } = setup(state(1, true, [1, 2]));
    for (let i = 1; i <= Boot.Trials; i++) {
      const c = chooseSlot(ctl(), allOk);
      assert.deepEqual(c, { slot: 1, trial: true, note: `trial boot ${i} of ${Boot.Trials}` });
    }
    const c = chooseSlot(ctl(), allOk);
    assert.equal(c.slot, 0);
    assert.equal(c.trial, false);
    assert.match(c.note, /v2 did not reach READY in 3 boots; rolled back to v1/);
    const s = ctl().state!;
    assert.equal(s.active, 0);
    assert.equal(s.trial, false);
    assert.equal(s.failed, 2);
    assert.equal(s.slots[1]!.length, 0, "the failed image is never booted again");
    assert.equal(chooseSlot(ctl(), allOk).slot, 0);
  });

  it("rolls back at once when the trial slot's file is damaged; boots the other slot when the confirmed one is", () => {
    const a = setup(state(1, true, [1, 2]));
    assert.equal(chooseSlot(a.ctl(), (s) => s !== 1).slot, 0);
    const b = setup(state(0, false, [1, 2]));
    const c = chooseSlot(b.ctl(), (s) => s !== 0);
    assert.equal(c.slot, 1);
    assert.match(c.note, /slot 0 damaged; rolled back to v2/);
  });

  it("without boot control boots the first slot that exists and records it; with nothing bootable, -1", () => {
    assert.equal(chooseSlot(setup(null).ctl(), allOk).slot, 0);
    const fresh = setup(null);
    const c = chooseSlot(fresh.ctl(), (s) => s === 1, (s) => (s === 1 ? { version: 0, length: 500, crc: 77, fmt: 0 } : null));
    assert.deepEqual(c, { slot: 1, trial: false, note: "no boot control: recorded slot 1" });
    const st = fresh.ctl().state!;
    assert.deepEqual({ a: st.active, t: st.trial, s: st.slots[1] }, { a: 1, t: false, s: { version: 0, length: 500, crc: 77, fmt: 0 } });
    assert.equal(chooseSlot(setup(null).ctl(), (s) => s === 1).slot, 1);
    assert.equal(chooseSlot(setup(null).ctl(), () => false).slot, -1);
  });
});

describe("update: protocol frames", () => {
  const p = protocol();
  it("round-trips frames, waits for partial ones, and rejects bad ones", () => {
    const f = p.frame("D", p.u32(4096) + "abc");
    const two = f + p.frame("B", "ok");
    const r = p.parse(two) as any;
    assert.deepEqual(r.frame, { type: "D", payload: p.u32(4096) + "abc" });
    assert.deepEqual((p.parse(r.rest) as any).frame, { type: "B", payload: "ok" });
    for (let n = 0; n < f.length; n++) assert.equal(p.parse(f.slice(0, n)), null, "partial " + n);
    const bad = f.slice(0, 8) + "X" + f.slice(9);
    assert.deepEqual(p.parse(bad), { error: "frame CRC mismatch" });
    assert.deepEqual(p.parse("GET / HTTP/1.1"), { error: "bad frame start" });
    assert.match((p.parse("UD\xff\xff") as any).error, /too long/);
  });

  it("the offer carries version, journal format, size, digest and HMAC", () => {
    const img = withVersion("xx POSFW v1 jf1 yy" + "z".repeat(3000), 5);
    const o = makeOffer(img, KEY);
    assert.deepEqual(p.decodeOffer(p.encodeOffer(o)), o);
    assert.deepEqual({ v: o.version, f: o.fmt, s: o.size }, { v: 5, f: 1, s: img.length });
    assert.equal(o.digest, imageDigest(img));
    assert.equal(p.decodeOffer("short"), null);
  });

  it("the firmware's tag names this build's version and journal format", () => {
    const tag = imageInfo(fs.readFileSync(require.resolve("../../firmware/update/version.ts"), "utf8"));
    assert.deepEqual(tag, { version: firmwareVersion(), fmt: FORMAT });
    // a "new release" made by rewriting the tag reports its new version
    assert.equal(imageInfo(withVersion("POSFW v1 jf1", 7))!.version, 7);
  });
});

describe("update: the stager", () => {
  function files() {
    const m = new Map<string, string>();
    const storage: any = {
      read: (n: string, off?: number, len?: number) => { const f = m.get(n); return f === undefined ? undefined : off === undefined ? f : f.substr(off, len); },
      write: (n: string, d: string, off: number, size: number) => {
        const cur = m.get(n) ?? "\xff".repeat(size);
        m.set(n, cur.slice(0, off) + d + cur.slice(off + d.length));
        return true;
      },
      erase: (n: string) => { m.delete(n); },
      getFree: () => 500000,
    };
    return { m, storage };
  }
  function stager(img: string, opts: { key?: string; running?: number; free?: number } = {}) {
    const f = new RamFlash(REGION.base, 8192, 4096);
    const ctl = bootControl(f, REGION, crc);
    ctl.save(state(0, false, [1, 0]));
    const fs = files();
    if (opts.free !== undefined) fs.storage.getFree = () => opts.free;
    const st = createStager({ storage: fs.storage, ctl, proto: protocol(), sha256, crc32: crcStr, key: opts.key ?? keyBytes, running: opts.running ?? 1, journalFormat: FORMAT });
    return { st, ctl, f, fs };
  }
  const img = withVersion("POSFW v1 jf2;" + "q".repeat(5000), 2);

  it("stages, checks and switches: one snapshot naming slot fw.b on trial", () => {
    const { st, f, fs } = stager(img);
    assert.equal(st.offer(makeOffer(img, KEY)), null);
    for (let at = 0; at < img.length; at += 1024) assert.equal(st.chunk(at, img.slice(at, at + 1024)), null);
    assert.equal(st.finish(), null);
    assert.equal(fs.m.get("fw.b"), img);
    const s = bootControl(f, REGION, crc).state!;
    assert.deepEqual({ a: s.active, t: s.trial, v: s.slots[1]!.version, l: s.slots[1]!.length, c: s.slots[1]!.crc }, { a: 1, t: true, v: 2, l: img.length, c: crcStr(img) });
  });

  it("refuses a tampered image after the download and a forged offer before it; the boot control stays", () => {
    const tampered = img.slice(0, 3000) + "!" + img.slice(3001);
    const a = stager(img);
    const before = a.ctl.state;
    assert.equal(a.st.offer(makeOffer(img, KEY)), null);
    for (let at = 0; at < img.length; at += 1024) a.st.chunk(at, tampered.slice(at, at + 1024));
    assert.equal(a.st.finish(), "image digest mismatch");
    assert.deepEqual(bootControl(a.f, REGION, crc).state, before);
    const forged = { ...makeOffer(img, KEY), version: 9 };
    assert.equal(stager(img).st.offer(forged), "bad signature");
    assert.equal(stager(img).st.offer(makeOffer(img, "ee".repeat(16))), "bad signature");
    assert.equal(stager(img, { key: "" }).st.offer(makeOffer(img, KEY)), "no update key (posConfig updateKey)");
  });

  it("refuses the running version, a lower journal format, too little free Storage and out-of-order data", () => {
    assert.match(stager(img, { running: 2 }).st.offer(makeOffer(img, KEY))!, /already running/);
    assert.match(stager(img).st.offer(makeOffer(img, KEY, { fmt: 0 }))!, new RegExp("journal format 0 < " + FORMAT));
    assert.match(stager(img, { free: 6000 }).st.offer(makeOffer(img, KEY))!, /Storage full/);
    const { st } = stager(img);
    st.offer(makeOffer(img, KEY));
    assert.match(st.chunk(1024, "x")!, /unexpected data at 1024/);
    assert.equal(st.finish(), "image incomplete");
  });
});

describe("update: a journal written by a newer format", () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { openJournal } = require("../../firmware/journal/journal");
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Kind } = require("../../firmware/txn");
  const JREG = { base: 0x310000, sectors: 4, sectorSize: 4096 };

  it("is refused with a clear reason (never misread or formatted over), however new", () => {
    for (const fmt of [FORMAT + 1, 15]) {
      const f = new RamFlash(JREG.base, JREG.sectors * 4096, 4096);
      const j = openJournal(f, JREG, { crc32: crc });
      assert.equal(j.state, "ok");
      assert.ok(!("code" in j.reserve(Kind.Sale, { amount: 100 })));
      // a later firmware rewrote the newest sector's header with its format
      const h = f.read(32, JREG.base);
      h[8] = (h[8]! & 0xf0) | fmt;
      const c = crc(h.subarray(0, 24));
      h[24] = c & 255; h[25] = (c >>> 8) & 255; h[26] = (c >>> 16) & 255; h[27] = c >>> 24;
      f.bytes.set(h, 0);
      const old = openJournal(f, JREG, { crc32: crc });
      assert.equal(old.state, "fault");
      assert.equal(old.reason, `journal format ${fmt} is newer than this firmware's ${FORMAT}: install the newer firmware`);
      const before = new Uint8Array(f.bytes);
      assert.equal(old.recover({ stan: 1, invoice: 1, batch: 1 }).code, "newer", "supervisor recovery would lose its numbers");
      assert.ok("code" in old.reserve(Kind.Sale, { amount: 1 }));
      assert.deepEqual(f.bytes, before, "nothing written");
    }
  });
});
