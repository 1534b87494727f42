// The journal's behaviour on the virtual NOR flash: numbers, records, states, queries, fault
// state, retention, wear, and random-content starts.
import { strict as assert } from "assert";
import { Kind, Result, isJournalError, Reserved, Journal, openJournal } from "../../firmware/journal/journal";
import { Brand } from "../../firmware/txn";
import { makeFlash, open, region, crc32 } from "./support";
import { rng } from "./campaign";
import * as F from "../../firmware/journal/format";
import { batchList, inDoubtList } from "../support/journal-records";

const tok = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);

function sale(j: Journal, amount: number, print = true): Reserved {
  const r = j.reserve(Kind.Sale, { amount, token: tok, last4: "1111" });
  if (isJournalError(r)) throw new Error(r.reason);
  assert.equal(j.markAnswered(r.slot, Result.Approved, "00", "AB12C3", "123456789012"), null);
  if (print) assert.equal(j.markPrinted(r.slot), null);
  return r;
}

describe("journal: numbers and records", () => {
  it("hands out STAN/invoice/batch from 1, persists before returning, and reads records back", () => {
    const reg = region(4), flash = makeFlash(reg);
    const j = open(flash, reg);
    const a = sale(j, 1999);
    assert.deepEqual([a.stan, a.invoice, a.batch], [1, 1, 1]);
    const echo = j.reserve(Kind.Echo, {}) as Reserved;
    assert.deepEqual([echo.stan, echo.invoice], [2, 0], "an echo takes a STAN, no invoice");
    const j2 = open(flash, reg); // power cycle
    const rec = j2.byInvoice(1)!;
    assert.equal(rec.amount, 1999); assert.equal(rec.last4, "1111"); assert.deepEqual([...rec.token], [...tok.subarray(0, 4)], "format 2 keeps the first 4 bytes of the token");
    assert.equal(rec.authCode, "AB12C3"); assert.equal(rec.rrn, "123456789012"); assert.ok(rec.printed);
    assert.equal(rec.reversalPending, false);
    assert.deepEqual(j2.next(), { stan: 3, invoice: 2, batch: 1 });
  });

  it("keeps the entry mode (with the record) and the card type (with the answer), also in an update frame", () => {
    const reg = region(4), flash = makeFlash(reg);
    const j = open(flash, reg);
    const swipe = j.reserve(Kind.Sale, { amount: 100, token: tok, last4: "1111", entryMode: "021" }) as Reserved;
    assert.equal(j.markAnswered(swipe.slot, Result.Approved, "00", "A1", "123456789012", Brand.Visa), null);
    const tap = j.reserve(Kind.Refund, { amount: 200, token: tok, last4: "4444", entryMode: "071" }) as Reserved;
    const keyed = j.reserve(Kind.Sale, { amount: 300, last4: "0005", entryMode: "012" }) as Reserved;
    const chip = j.reserve(Kind.Sale, { amount: 400, last4: "0006", entryMode: "051" }) as Reserved;
    // a sector holds 84 frames: after 90 more, the answer goes into an update frame of a newer sector
    for (let i = 0; i < 90; i++) j.reserve(Kind.Echo, {});
    assert.equal(j.markAnswered(tap.slot, Result.Approved, "00", "A2", "AB-12 cd", Brand.Mastercard), null);
    assert.equal(j.markAnswered(keyed.slot, Result.Declined, "05", "", "", Brand.Amex), null);
    const j2 = open(flash, reg); // power cycle
    const get = (slot: number) => { const r = j2.bySlot(slot)!; return [r.entryMode, r.brand, r.last4]; };
    assert.deepEqual(get(swipe.slot), ["021", Brand.Visa, "1111"]);
    assert.deepEqual(get(tap.slot), ["071", Brand.Mastercard, "4444"]);
    assert.equal(j2.bySlot(tap.slot)!.rrn, "AB-12 cd");
    assert.deepEqual(get(keyed.slot), ["012", Brand.Amex, "0005"]);
    assert.deepEqual(get(chip.slot), ["", Brand.Unknown, "0006"], "chip is not kept (no contact reader); no answer, no card type");
  });

  it("reads frames written before entry mode and card type were kept as not recorded", () => {
    const reg = region(4), flash = makeFlash(reg);
    const j = open(flash, reg);
    const r = j.reserve(Kind.Sale, { amount: 100, token: tok, last4: "1234" }) as Reserved;
    assert.equal(j.markAnswered(r.slot, Result.Approved, "00", "A1", "123456789012"), null);
    // the bytes such a frame always had: card word 0xC0 | last four, answer's high nibble 1111
    const img = Buffer.from(flash.image(reg.base));
    const at = img.indexOf(Buffer.from([0xd2, 0xc4])); // 1234 = 0x04D2, top bits 11
    assert.ok(at > 0, "card word as before");
    const rec = open(flash, reg).bySlot(r.slot)!;
    assert.deepEqual([rec.entryMode, rec.brand, rec.last4, rec.authCode], ["", Brand.Unknown, "1234", "A1"]);
  });

  it("never stores more than the token and last four (no PAN field exists)", () => {
    const reg = region(4), flash = makeFlash(reg);
    const j = open(flash, reg);
    j.reserve(Kind.Sale, { amount: 5, token: tok, last4: "4242" });
    const img = Buffer.from(flash.image(reg.base));
    assert.equal(img.indexOf(Buffer.from("4111111111114242")), -1);
  });

  it("wraps every counter 999999 -> 1, never 0", () => {
    const reg = region(4), flash = makeFlash(reg);
    const j = open(flash, reg, { stan: 999998, invoice: 999999, batch: 999999 });
    const a = sale(j, 1), b = sale(j, 2), c = sale(j, 3);
    assert.deepEqual([a.stan, b.stan, c.stan], [999998, 999999, 1]);
    assert.deepEqual([a.invoice, b.invoice, c.invoice], [999999, 1, 2]);
    assert.equal(j.closeBatch(), 1);
    assert.deepEqual(open(flash, reg).next(), { stan: 2, invoice: 3, batch: 1 });
  });

  it("reversal pending from commit until answered, reversed or not sent (pos-domain 1.4)", () => {
    const reg = region(4), flash = makeFlash(reg);
    const j = open(flash, reg);
    const a = j.reserve(Kind.Sale, { amount: 100 }) as Reserved;
    assert.equal(j.pendingReversal()!.stan, a.stan);
    assert.equal(j.markAnswered(a.slot, Result.ApprovedInvalid, "00", "X1", "123456789012"), null);
    assert.equal(open(flash, reg).pendingReversal()!.stan, a.stan, "approved but MAC bad keeps it");
    assert.equal(j.clearReversal(a.slot, true), null);
    assert.equal(open(flash, reg).pendingReversal(), null);
    const b = j.reserve(Kind.Sale, { amount: 100 }) as Reserved;
    assert.equal(j.markNotSent(b.slot), null);
    assert.equal(j.pendingReversal(), null);
    const c = sale(j, 300);
    assert.equal(j.setReversalPending(c.slot), null);
    assert.equal(open(flash, reg).pendingReversal()!.stan, c.stan);
    const d = j.reserve(Kind.Refund, { amount: 7 }) as Reserved;
    assert.equal(j.markAnswered(d.slot, Result.Declined, "05", "", "123456789012"), null);
    assert.equal(open(flash, reg).bySlot(d.slot)!.reversalPending, false);
  });

  it("in doubt after a restart: approved but unprinted, or unanswered", () => {
    const reg = region(4), flash = makeFlash(reg);
    const j = open(flash, reg);
    sale(j, 1);
    const b = sale(j, 2, false);
    const c = j.reserve(Kind.Sale, { amount: 3 }) as Reserved;
    const doubt = inDoubtList(open(flash, reg)).map((r) => r.stan);
    assert.deepEqual(doubt, [b.stan, c.stan]);
  });

  it("keeps the answer strings: numeric and alphanumeric RRN, decline RC", () => {
    const reg = region(4), flash = makeFlash(reg);
    const j = open(flash, reg);
    const a = j.reserve(Kind.Sale, { amount: 1 }) as Reserved;
    assert.equal(j.markAnswered(a.slot, Result.Approved, "00", "Zz9 -1", "AB-12 cd"), null);
    const b = j.reserve(Kind.Sale, { amount: 1 }) as Reserved;
    assert.equal(j.markAnswered(b.slot, Result.Declined, "51", "", "000000000007"), null);
    const j2 = open(flash, reg);
    const ra = j2.bySlot(a.slot)!, rb = j2.bySlot(b.slot)!;
    assert.deepEqual([ra.authCode, ra.rrn, ra.rc], ["Zz9 -1", "AB-12 cd", "00"]);
    assert.deepEqual([rb.result, rb.rc, rb.rrn], [Result.Declined, "51", "000000000007"]);
    const c = j.reserve(Kind.Sale, { amount: 1 }) as Reserved;
    assert.equal(j.markAnswered(c.slot, Result.Approved, "08", "Y10042", ""), null, "approval RC other than 00, no RRN");
    const rc = open(flash, reg).bySlot(c.slot)!;
    assert.deepEqual([rc.rc, rc.authCode, rc.rrn], ["08", "Y10042", ""]);
    assert.equal((j.markAnswered(a.slot, Result.Declined, "05", "", "") as any).code, "state");
    assert.equal((j.markAnswered(b.slot, Result.Approved, "00", "A\u00e9", "1") as any).code, "arg");
  });

  it("a batch holds at most its limit of sales, refunds and voids; admin messages, answers and the close go on", () => {
    const reg = region(4), flash = makeFlash(reg);
    const j = openJournal(flash, reg, { crc32, batchLimit: 3 });
    const a = sale(j, 100); sale(j, 200);
    const r = j.reserve(Kind.Refund, { amount: 50 }) as Reserved;
    assert.equal(j.batchCount(), 3);
    assert.ok(j.batchFull());
    const full = j.reserve(Kind.Sale, { amount: 1 }) as any;
    assert.equal(full.code, "batch");
    assert.match(full.reason, /batch full \(3\): settle/);
    assert.equal((j.reserve(Kind.Void, { amount: 100, origInvoice: a.invoice }) as any).code, "batch");
    assert.equal(j.next().stan, r.stan + 1, "a refused reserve takes no number");
    assert.ok(!isJournalError(j.reserve(Kind.Echo, {})), "admin messages are not counted");
    assert.equal(j.markAnswered(r.slot, Result.Approved, "00", "R1", "123456789012"), null);
    assert.equal(j.closeBatch(), 2);
    assert.ok(!j.batchFull());
    assert.ok(!isJournalError(sale(j, 300)), "the next batch sells again");
  });

  it("void takes a STAN but keeps the original invoice; totals exclude voided sales", () => {
    const reg = region(4), flash = makeFlash(reg);
    const j = open(flash, reg);
    const a = sale(j, 1000), b = sale(j, 250);
    const v = j.reserve(Kind.Void, { amount: 1000, origInvoice: a.invoice }) as Reserved;
    assert.equal(v.invoice, a.invoice);
    assert.equal(j.markAnswered(v.slot, Result.Approved, "00", "V1", "123456789012"), null);
    assert.equal(j.markVoided(a.slot), null);
    const refund = j.reserve(Kind.Refund, { amount: 40 }) as Reserved;
    j.markAnswered(refund.slot, Result.Approved, "00", "R1", "123456789012");
    assert.deepEqual(open(flash, reg).batchTotals(), { batch: 1, saleCount: 1, saleAmount: 250, refundCount: 1, refundAmount: 40, voidCount: 1, voidAmount: 1000 });
    assert.equal(j.closeBatch(), 2);
    assert.deepEqual(batchList(j), []);
    assert.equal(j.byInvoice(b.invoice)!.amount, 250, "old batches stay readable until space is needed");
    assert.equal((j.reserve(Kind.Void, { amount: 1 }) as any).code, "arg");
  });

  it("boot reads the sector headers and one sector only", () => {
    const reg = region(16), flash = makeFlash(reg);
    const j = open(flash, reg);
    for (let i = 0; i < 300; i++) { sale(j, i + 1); if (i % 50 === 49) j.closeBatch(); }
    const before = flash.stats.readBytes;
    const j2 = open(flash, reg);
    assert.equal(flash.stats.readBytes - before, 16 * 32 + 4096);
    assert.equal(j2.bootBytesRead, 16 * 32 + 4096);
  });
});

describe("journal: diagnostic", () => {
  it("reports the layout, true per-sector erase counts, free frames and counters", () => {
    const reg = region(4), flash = makeFlash(reg);
    const j = open(flash, reg);
    for (let i = 0; i < 600; i++) { sale(j, i + 1); if (i % 50 === 49) j.closeBatch(); }
    const text = j.diag();
    assert.match(text, /^journal ok/);
    assert.match(text, /region 0x310000 4 x 4096 B, 84 frames\/sector/);
    assert.match(text, new RegExp("next stan " + j.next().stan + " invoice " + j.next().invoice + " batch " + j.next().batch));
    for (let s = 0; s < 4; s++) {
      const m = new RegExp("sector " + s + ": seq \\d+ erases (\\d+)").exec(text)!;
      assert.equal(Number(m[1]), flash.eraseCount(reg.base + s * 4096), "sector " + s);
    }
    assert.match(text, /free frames \d+ \(\d+ in the newest sector, \d+ reusable sectors\)/);
  });
});

describe("journal: retention and power-ups", () => {
  it("blocks sales with a clear reason when the unsettled batch fills the ring, and settles out of it", () => {
    const reg = region(3), flash = makeFlash(reg);
    const j = open(flash, reg);
    let n = 0, err: any = null;
    for (; n < 1000; n++) {
      const r = j.reserve(Kind.Sale, { amount: 1 });
      if (isJournalError(r)) { err = r; break; }
      j.markAnswered(r.slot, Result.Approved, "00", "A", "123456789012"); j.markPrinted(r.slot);
    }
    assert.equal(err.code, "full"); assert.match(err.reason, /settle/);
    assert.ok(n > 2 * 84 && n < 3 * 84, "the whole ring holds one batch: " + n);
    assert.equal(batchList(j).length, n, "nothing of the unsettled batch was erased");
    assert.equal(typeof (j.reserve(Kind.Settle, {}) as Reserved).stan, "number", "settlement still goes");
    assert.equal(typeof j.closeBatch(), "number");
    assert.ok(!isJournalError(j.reserve(Kind.Sale, { amount: 1 })), "sales resume after settlement");
  });

  it("worst case: a batch spanning 300 power-ups (one sale each) keeps everything", () => {
    const reg = region(16), flash = makeFlash(reg);
    let j = open(flash, reg);
    const stans: number[] = [];
    for (let p = 0; p < 300; p++) {
      stans.push(sale(j, p + 1).stan);
      j = open(flash, reg);
    }
    assert.equal(batchList(j).length, 300);
    assert.deepEqual(batchList(j).map((r) => r.stan), stans);
    assert.equal(j.batchTotals().saleAmount, (300 * 301) / 2);
  });

  it("retires sectors that wear out: failed erase/program is caught by read-back", () => {
    const reg = region(4), flash = makeFlash(reg, 5, 3); // each sector survives 3 erases
    const j = open(flash, reg);
    const issued: number[] = [];
    let err: any = null;
    for (let i = 0; i < 2000 && !err; i++) {
      const r = j.reserve(Kind.Sale, { amount: 1 });
      if (isJournalError(r)) { err = r; break; }
      issued.push(r.stan);
      j.markAnswered(r.slot, Result.Approved, "00", "A", "123456789012"); j.markPrinted(r.slot);
      if (i % 20 === 19) j.closeBatch();
    }
    assert.ok(err, "eventually the worn region refuses with a reason");
    assert.ok(issued.length > 300, "issued " + issued.length);
    for (let i = 1; i < issued.length; i++) assert.ok(issued[i]! > issued[i - 1]!, "strictly increasing");
    const j2 = open(flash, reg);
    assert.ok(j2.next().stan > issued[issued.length - 1]!, "never backwards after the wear-out");
    for (const r of batchList(j2)) assert.ok(issued.includes(r.stan));
  });
});

describe("journal: fault state and random-content starts", () => {
  it("refuses foreign data with a reason; supervisor recovery restarts no lower than given", () => {
    const reg = region(4), flash = makeFlash(reg);
    const img = new Uint8Array(4 * 4096);
    const rand = rng(3);
    for (let i = 0; i < img.length; i++) img[i] = Math.floor(rand() * 256);
    flash.load(reg.base, img);
    const j = open(flash, reg);
    assert.equal(j.state, "fault"); assert.match(j.reason, /unrecognised/);
    assert.equal((j.reserve(Kind.Sale, { amount: 1 }) as any).code, "fault");
    assert.equal((j.recover({ stan: 0, invoice: 1, batch: 1 }) as any).code, "arg");
    assert.equal(j.recover({ stan: 5000, invoice: 77, batch: 12 }), null);
    assert.deepEqual((j.reserve(Kind.Sale, { amount: 1 }) as Reserved).stan, 5000);
    assert.deepEqual(open(flash, reg).next(), { stan: 5001, invoice: 78, batch: 12 });
  });

  it("all-0, all-FF and 3000 random images: a blank device formats, anything else faults; never a silent 1", () => {
    const reg = region(4), flash = makeFlash(reg);
    const size = 4 * 4096;
    flash.load(reg.base, new Uint8Array(size).fill(0));
    assert.equal(open(flash, reg).state, "fault");
    flash.load(reg.base, new Uint8Array(size).fill(255));
    assert.equal(open(flash, reg).state, "ok");
    const rand = rng(11);
    let faults = 0, ok = 0;
    const img = new Uint8Array(size);
    for (let i = 0; i < 3000; i++) {
      const mode = i % 3;
      for (let k = 0; k < size; k++) img[k] = mode === 0 ? Math.floor(rand() * 256) : mode === 1 ? (rand() < 0.999 ? 255 : 0) : 255;
      if (mode === 2) img[Math.floor(rand() * size)] = 0; // one stray byte anywhere
      flash.load(reg.base, img);
      const j = open(flash, reg);
      if (j.state === "fault") { faults++; assert.equal((j.reserve(Kind.Echo, {}) as any).code, "fault"); continue; }
      ok++;
      const r = j.reserve(Kind.Echo, {});
      assert.ok(!isJournalError(r), "a blank-looking region must be writable");
      // only a region erased except within headers counts as blank
      const hdrOnly = [0, 1, 2, 3].every((s) => img.subarray(s * 4096 + 32, (s + 1) * 4096).every((b) => b === 255));
      assert.ok(hdrOnly, "restarted at 1 on a region that was not blank");
    }
    assert.ok(faults > 1900 && ok > 0, `faults ${faults} ok ${ok}`);
  });
});

describe("journal: format helpers", () => {
  it("crc32 matches E.CRC32's check value", () => {
    assert.equal(crc32(new Uint8Array(Buffer.from("123456789"))), 0xcbf43926);
  });
});

describe("journal: record time (format 2)", () => {
  it("keeps each record's time (seconds since 2020) or 'unknown' with the body: no extra byte or write", () => {
    const reg = region(4), flash = makeFlash(reg);
    const j = open(flash, reg);
    const a = j.reserve(Kind.Sale, { amount: 100, token: tok, last4: "1111", time: 217_000_000 }) as Reserved;
    const b = j.reserve(Kind.Sale, { amount: 200, token: tok, last4: "2222" }) as Reserved; // clock not trusted
    const c = j.reserve(Kind.Logon, { time: 0 }) as Reserved;
    const d = j.reserve(Kind.Echo, { time: -1 }) as Reserved;
    const k = open(flash, reg); // power cycle
    assert.equal(k.bySlot(a.slot)!.time, 217_000_000);
    assert.equal(k.bySlot(b.slot)!.time, -1);
    assert.equal(k.bySlot(c.slot)!.time, 0, "2020-01-01 00:00:00 is a time, not 'unknown'");
    assert.equal(k.bySlot(d.slot)!.time, -1);
    assert.equal(F.framesPerSector(4096), 84, "48-byte frames as before");
  });

  it("reads an older firmware's format 1 sector: token 8 bytes, time unknown; goes on in its format, opens new sectors in format 2", () => {
    const reg = region(4), flash = makeFlash(reg);
    // a sector as format 1 wrote it: header nibble 1, R bytes 14..21 all token
    flash.write(F.encodeHeader({ seq: 1, stan: 41, invoice: 7, batch: 3, erases: 1, format: 1 }, crc32).subarray(0, 28), reg.base);
    flash.write(new Uint8Array(4), reg.base + 28);
    const body = new Uint8Array(F.BODY_SIZE);
    F.encodeBody(body, Kind.Sale, 41, 7, 3, 1234, F.packCard("4242", "021"), tok, crc32);
    flash.write(body, reg.base + F.rOff(0));
    flash.write(new Uint8Array(1), reg.base + F.rOff(0) + F.St.Commit);
    const j = open(flash, reg);
    assert.deepEqual(j.next(), { stan: 42, invoice: 8, batch: 3 });
    const old = j.byInvoice(7)!;
    assert.deepEqual([old.amount, old.last4, old.time, [...old.token]], [1234, "4242", -1, [...tok]]);
    // the new firmware writes on in the old sector with the old layout (no time there)...
    const e = j.reserve(Kind.Echo, { time: 5 }) as Reserved;
    assert.equal(j.bySlot(e.slot)!.time, -1);
    // ...until the sector is full; the next one is format 2 and keeps times
    let last: Reserved = e;
    while (Math.floor(last.slot / 84) === 0) last = j.reserve(Kind.Echo, { time: 77 }) as Reserved;
    const hb = flash.read(F.HEADER_SIZE, reg.base + Math.floor(last.slot / 84) * 4096);
    assert.equal(F.decodeHeader(hb, 0, crc32)!.format, F.FORMAT);
    assert.equal(open(flash, reg).bySlot(last.slot)!.time, 77);
    assert.equal(open(flash, reg).byInvoice(7)!.time, -1, "the old record still reads as it did");
  });

  it("an older firmware's decoder refuses a newer format's header; newerFormat() names it", () => {
    const h = F.encodeHeader({ seq: 1, stan: 1, invoice: 1, batch: 1, erases: 0, format: F.FORMAT + 1 }, crc32);
    h.fill(0, 28, 32); // committed
    assert.equal(F.decodeHeader(h, 0, crc32), null);
    assert.equal(F.newerFormat(h, 0, crc32), true);
    const cur = F.encodeHeader({ seq: 1, stan: 1, invoice: 1, batch: 1, erases: 0 }, crc32);
    cur.fill(0, 28, 32);
    assert.equal(F.decodeHeader(cur, 0, crc32)!.format, F.FORMAT);
    assert.equal(F.newerFormat(cur, 0, crc32), false);
  });
});
