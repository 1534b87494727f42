// The health counters (firmware/health, docs/health.md): the 80-byte record codec, the DE 48
// text and the acquirer's decoder of it, and the store on the NOR flash model: appends,
// rotation between the two sectors with its erase counted, torn writes, and a power cut at
// every flash operation of a sequence of saves (each fault flavour): the counters read back
// are always a whole saved record (never garbage) and never fall behind the last save that
// returned, nor run ahead of the save in flight.
import { strict as assert } from "assert";
import * as zlib from "zlib";
import { H, HR, FIRMWARE_VERSION, encodeRecord, decodeRecord, healthField } from "../../firmware/health/record";
import { openHealth, Health, journalWear } from "../../firmware/health/store";
import { NorFlash, PowerCutError, CutFault } from "../../sim/parts/nor-flash";
import { decodeHealth, healthTable } from "../../sim/acquirer/health";
import { encodeHeader } from "../../firmware/journal/format";

const crc32 = (d: Uint8Array) => zlib.crc32(d) >>> 0;
const REGION = { base: 0x31c000, sectors: 2, sectorSize: 4096 };
const JOURNAL = { base: 0x310000, sectors: 9, sectorSize: 4096 };
const SLOTS = Math.floor(4096 / HR.SIZE); // 51
const mkFlash = (seed = 1) => new NorFlash({ ranges: [{ base: JOURNAL.base, size: 9 * 4096 }, { base: REGION.base, size: 8192 }], seed });
const open = (flash: NorFlash) => openHealth({ flash, region: REGION, journal: JOURNAL, crc32 });
const counters = (h: Health) => Array.from(h.c);

describe("health record (firmware/health/record.ts)", () => {
  it("encodes 80 bytes with the CRC last and decodes them back", () => {
    const c = new Uint32Array(H.COUNT);
    for (let i = 0; i < H.COUNT; i++) c[i] = i * 1000 + 7;
    c[H.LOW_FREE] = HR.NONE;
    const b = encodeRecord(c, 0xfffffffe, crc32, new Uint8Array(HR.SIZE));
    assert.deepEqual(Array.from(b.subarray(0, 4)), [0x48, 0x4c, 1, 16]);
    assert.equal(Buffer.from(b).readUInt32LE(76), crc32(b.subarray(0, 76)));
    const into = new Uint32Array(H.COUNT);
    assert.equal(decodeRecord(b, 0, crc32, into), 0xfffffffe);
    assert.deepEqual(Array.from(into), Array.from(c));
  });

  it("refuses every single-bit change, every truncation to 0xFF and a blank slot", () => {
    const c = new Uint32Array(H.COUNT).fill(3);
    const good = encodeRecord(c, 9, crc32, new Uint8Array(HR.SIZE));
    const into = new Uint32Array(H.COUNT).fill(77);
    for (let bit = 0; bit < HR.SIZE * 8; bit++) {
      const b = good.slice();
      b[bit >> 3]! ^= 1 << (bit & 7);
      assert.equal(decodeRecord(b, 0, crc32, into), -1, "bit " + bit);
    }
    for (let n = 0; n < HR.SIZE; n++) {
      const b = good.slice();
      b.fill(255, n);
      assert.equal(decodeRecord(b, 0, crc32, into), -1, "written up to " + n);
    }
    assert.deepEqual(Array.from(into), new Array(16).fill(77), "nothing copied from a bad record");
  });

  it("DE 48: the firmware's text reads back in the acquirer's own decoder", () => {
    const c = new Uint32Array(H.COUNT);
    c[H.BOOTS] = 12; c[H.CUTS] = 2; c[H.SKIPPED] = 3; c[H.HOST_TIMEOUTS] = 4; c[H.REVERSALS] = 5; c[H.PAPER_OUTS] = 6;
    c[H.LOW_FREE] = 9876; c[H.ERASES] = 1; c[H.SWIPE_PARITY] = 7; c[H.TAP_FAULT] = 8; c[15] = 99;
    const s = healthField(c, 4294967295, 40, 300);
    assert.ok(s.length < 999 && /^[\x20-\x7e]+$/.test(s), s);
    const r = decodeHealth(s).figures;
    assert.deepEqual(r, { BT: "12", CR: "2", SK: "3", HT: "4", RV: "5", PO: "6", LF: "9876", HE: "1", SP: "7", SL: "0", SN: "0", SO: "0", SF: "0",
      TF: "8", TE: "0", JE: "40", JT: "300", SQ: "4294967295", FW: FIRMWARE_VERSION });
    c[H.LOW_FREE] = HR.NONE;
    assert.equal(decodeHealth(healthField(c, 1, 0, 0)).figures.LF, undefined, "LF only once sampled");
    const table = healthTable("POS00001", decodeHealth(s), 1, "now");
    assert.match(table, /BT {2}boots +12\n/);
    assert.match(table, /LF {2}lowest free JsVars seen +9876\n/);
  });

  it("the acquirer's decoder refuses malformed DE 48 clearly", () => {
    for (const [bad, why] of [["", /expected 'H1'/], ["H2BT011", /expected 'H1'/], ["H1BT0", /truncated/], ["H1BT05123", /wants 5/],
      ["H1BTx1", /bad length/], ["H1bt011", /bad tag/], ["H1BT01xCR011", /not a number/], ["H1BT011BT012", /twice/], ["H1CR011", /no BT/]] as [string, RegExp][]) {
      assert.throws(() => decodeHealth(bad), why, bad);
    }
  });

  it("FIRMWARE_VERSION is package.json's version", () => {
    assert.equal(FIRMWARE_VERSION, require("../../package.json").version);
  });
});

describe("health store (firmware/health/store.ts)", () => {
  it("a blank region: counters zero, LOW_FREE unsampled; each count saves one record, read back", () => {
    const flash = mkFlash();
    const h = open(flash);
    assert.deepEqual(counters(h).filter((_, i) => i !== H.LOW_FREE), new Array(15).fill(0));
    assert.equal(h.c[H.LOW_FREE], HR.NONE);
    assert.equal(h.note(H.BOOTS), null);
    assert.equal(flash.stats.erases, 1, "the first save formats sector 0");
    const before = flash.stats.wordPrograms;
    assert.equal(h.note("paper out"), null);
    assert.equal(flash.stats.wordPrograms - before, HR.SIZE / 4, "one record, no erase");
    assert.equal(h.note("cover open"), null);
    h.note("swipe", "parity"); h.note("swipe", "bad_expiry"); h.note("tap", "timeout", false); h.note("tap", "bus", true);
    h.note(H.BOOTS, { cut: true, skipped: 4 });
    const g = open(flash);
    assert.equal(g.c[H.BOOTS], 2);
    assert.equal(g.c[H.PAPER_OUTS], 1);
    assert.equal(g.c[H.SWIPE_PARITY], 1);
    assert.equal(g.c[H.SWIPE_FORMAT], 1);
    assert.equal(g.c[H.TAP_ERROR], 1);
    assert.equal(g.c[H.TAP_FAULT], 1);
    assert.equal(g.c[H.CUTS], 1);
    assert.equal(g.c[H.SKIPPED], 4);
    assert.equal(g.c[H.ERASES], 1);
    assert.deepEqual(counters(g), counters(h));
  });

  it("maps reader errors (card service reasons) to their slots", () => {
    const h = open(mkFlash());
    h.note(H.BOOTS); // formats the region (an erase, counted)
    const cases: [string, string, boolean, number][] = [["swipe", "parity", false, H.SWIPE_PARITY], ["swipe", "lrc", false, H.SWIPE_LRC],
      ["swipe", "overflow", false, H.SWIPE_LONG], ["swipe", "too_long", false, H.SWIPE_LONG], ["swipe", "bad_pan", false, H.SWIPE_FORMAT],
      ["swipe", "no_start", false, H.SWIPE_NODATA], ["swipe", "no_data", false, H.SWIPE_NODATA], ["tap", "no_reader", true, H.TAP_FAULT],
      ["tap", "timeout", false, H.TAP_ERROR]];
    for (const [src, why, fault, slot] of cases) {
      const before = Array.from(h.c);
      assert.equal(h.note(src, why, fault), null);
      before[slot]!++;
      assert.deepEqual(Array.from(h.c), before, `${src} ${why}`);
    }
    assert.equal(h.note("cover open"), null);
    assert.equal(h.note("ready"), null);
    assert.equal(h.c[H.PAPER_OUTS], 0, "only paper out counts");
  });

  it("lowest free JsVars: keeps the minimum, saves only a drop of 64 or more", () => {
    const flash = mkFlash();
    const h = open(flash);
    h.note(H.LOW_FREE, 5000);
    assert.equal(open(flash).c[H.LOW_FREE], 5000, "first sample saved");
    h.note(H.LOW_FREE, 6000);
    assert.equal(h.c[H.LOW_FREE], 5000);
    const ops = flash.ops;
    h.note(H.LOW_FREE, 4950);
    assert.equal(flash.ops, ops, "a small dip waits for the next save");
    assert.equal(h.c[H.LOW_FREE], 4950);
    h.note(H.BOOTS);
    assert.equal(open(flash).c[H.LOW_FREE], 4950, "carried by the next save");
    h.note(H.LOW_FREE, 4800);
    assert.equal(open(flash).c[H.LOW_FREE], 4800);
  });

  it("rotates between the two sectors, counting its own erases, and keeps the newest", () => {
    const flash = mkFlash();
    let h = open(flash);
    for (let i = 1; i <= SLOTS * 5 + 3; i++) {
      assert.equal(h.note(H.HOST_TIMEOUTS), null);
      if (i % 37 === 0) h = open(flash); // reopen mid-sector now and then
    }
    const g = open(flash);
    assert.equal(g.c[H.HOST_TIMEOUTS], SLOTS * 5 + 3);
    assert.equal(g.c[H.ERASES], 6, "one format + five rotations");
    assert.equal(flash.stats.erases, 6);
    assert.equal(flash.eraseCount(REGION.base) + flash.eraseCount(REGION.base + 4096), 6);
  });

  it("a torn record leaves the one before it; its slot is never reused", () => {
    const flash = mkFlash();
    const h = open(flash);
    h.note(H.BOOTS); h.note(H.BOOTS);
    // a third save tears: program half the record's bytes by hand in the next slot
    const c = new Uint32Array(h.c); c[H.BOOTS] = 3;
    const rec = encodeRecord(c, h.st[2]! + 1, crc32, new Uint8Array(HR.SIZE));
    flash.write(rec.subarray(0, 40), REGION.base + 2 * HR.SIZE);
    const g = open(flash);
    assert.equal(g.c[H.BOOTS], 2);
    assert.equal(g.st[1], 3, "next slot after the torn one");
    g.note(H.BOOTS);
    assert.equal(open(flash).c[H.BOOTS], 3);
  });

  it("a slot that does not read back is skipped; a region that cannot be written says so", () => {
    const flash = mkFlash();
    const h = open(flash);
    h.note(H.BOOTS);
    const real = flash.write.bind(flash);
    let drop = 1;
    flash.write = (d: Uint8Array, a: number) => { if (drop-- > 0) real(d.map(() => 0), a); else real(d, a); };
    assert.equal(h.note(H.BOOTS), null);
    assert.equal(open(flash).c[H.BOOTS], 2);
    flash.write = () => {};
    assert.match(String(h.note(H.BOOTS)), /does not read back/);
    assert.equal(h.c[H.BOOTS], 3, "kept in RAM");
    flash.write = real;
    assert.equal(h.note(H.PAPER_OUTS), null);
    assert.equal(open(flash).c[H.BOOTS], 3, "and saved with the next count");
  });

  it("reads the journal's wear from its sector headers", () => {
    const flash = mkFlash();
    const h = open(flash);
    assert.deepEqual(journalWear(h), [0, 0]);
    flash.write(encodeHeader({ seq: 1, stan: 1, invoice: 1, batch: 1, erases: 7 }, crc32).map((x, i) => (i >= 28 ? 0 : x)), JOURNAL.base + 4096);
    flash.write(encodeHeader({ seq: 2, stan: 1, invoice: 1, batch: 1, erases: 3 }, crc32).map((x, i) => (i >= 28 ? 0 : x)), JOURNAL.base + 5 * 4096);
    assert.deepEqual(journalWear(h), [7, 10]);
  });

  for (const fl of [
    { name: "clean", fault: { program: "clean", erase: "old" } },
    { name: "torn", fault: { program: "torn", erase: "mixed" } },
    { name: "weak", fault: { program: "weak", erase: "weakff" } },
    { name: "erase done", fault: { program: "torn", erase: "done" } },
    { name: "erase zero", fault: { program: "weak", erase: "zero" } },
  ] as { name: string; fault: CutFault }[]) {
    it(`power cut at every flash operation of 80 saves over two rotations (${fl.name})`, () => {
      // the events: a boot, then timeouts, paper-outs and reader errors; each note saves
      const events: (() => [number | string, unknown?, boolean?])[] = [];
      for (let i = 0; i < 80; i++) events.push(i % 3 === 0 ? () => [H.HOST_TIMEOUTS] : i % 3 === 1 ? () => ["paper out"] : () => ["swipe", "parity"]);
      const base = mkFlash();
      const b = open(base);
      for (let i = 0; i < 40; i++) b.note(H.BOOTS); // part-filled sector 0
      const image = base.snapshot();
      const dry = mkFlash(); dry.restore(image);
      const d = open(dry), ops0 = dry.ops;
      for (const e of events) { const [w, a, f] = e(); assert.equal(d.note(w, a, f), null); }
      const total = dry.ops - ops0;
      assert.ok(total > 80 * 20, "operations " + total);
      const sum = (h: Health) => h.c[H.HOST_TIMEOUTS]! + h.c[H.PAPER_OUTS]! + h.c[H.SWIPE_PARITY]!;
      for (let op = 0; op < total; op++) {
        const flash = mkFlash(); flash.restore(image); flash.reseed(op + 7);
        const h = open(flash);
        flash.armCut(flash.ops + op, fl.fault);
        let saved = 0;
        try {
          for (const e of events) { const [w, a, f] = e(); assert.equal(h.note(w, a, f), null); saved++; }
          assert.fail("the cut did not fire at op " + op);
        } catch (e) {
          if (!(e instanceof PowerCutError)) throw e;
        }
        flash.powerOn();
        // read it several times (weak bits flip between reads): always a whole record, never
        // behind the last save that returned, never ahead of the one in flight
        for (let r = 0; r < 2; r++) {
          const g = open(flash);
          const n = sum(g);
          assert.ok(n >= saved && n <= saved + 1, `cut at op ${op}, read ${r}: ${n} events, ${saved} saved`);
          assert.equal(g.c[H.BOOTS], 40, `cut at op ${op}: boots`);
          assert.ok(g.c[H.ERASES]! >= 1 && g.c[H.ERASES]! <= 4, `cut at op ${op}: erases ${g.c[H.ERASES]}`);
          assert.equal(g.c[H.LOW_FREE], HR.NONE);
          assert.equal(g.c[15], 0);
        }
        // and counting goes on from there, through the next rotation
        const g = open(flash), n0 = sum(g);
        for (let i = 0; i < 12; i++) assert.equal(g.note(H.HOST_TIMEOUTS), null);
        assert.equal(sum(open(flash)), n0 + 12, `cut at op ${op}: counting after recovery`);
      }
    });
  }
});
