// On-device self-tests of the journal and the counter on a small RAM flash (3 x 1 KiB sectors).
import { test, eq, ok } from "../../drivers/selftest/check";
import { RamFlash } from "./ram-flash";
import { openJournal, Kind, Result, Reserved, isJournalError } from "./journal";
import { MonotonicCounter } from "./counter";
import { encodeAnswer, decodeAnswer } from "./format";

var REGION = { base: 0x10000, sectors: 3, sectorSize: 1024 };
function ram(): RamFlash { return new RamFlash(REGION.base, 3 * 1024, 1024); }
function crc(d: Uint8Array): number { return E.CRC32(d); }

test("journal: a sale is persisted, answered, printed and survives a restart", function () {
  var fl = ram();
  var j = openJournal(fl, REGION, { crc32: crc });
  var r = j.reserve(Kind.Sale, { amount: 1999, last4: "4242" }) as Reserved;
  eq(r.stan, 1, "stan"); eq(r.invoice, 1, "invoice"); eq(r.batch, 1, "batch");
  eq(j.markAnswered(r.slot, Result.Approved, "00", "AB12C3", "123456789012"), null, "answer");
  eq(j.markPrinted(r.slot), null, "printed");
  var j2 = openJournal(fl, REGION, { crc32: crc });
  var rec = j2.last()!;
  eq(rec.amount, 1999, "amount"); eq(rec.last4, "4242", "last4"); eq(rec.authCode, "AB12C3", "auth");
  ok(rec.printed && !rec.reversalPending, "states");
  eq(j2.next().stan, 2, "next stan");
});

test("journal: numbers wrap 999999 -> 1 and a batch close advances the batch", function () {
  var fl = ram();
  var j = openJournal(fl, REGION, { crc32: crc, first: { stan: 999999, invoice: 999999, batch: 999999 } });
  eq((j.reserve(Kind.Sale, { amount: 1 }) as Reserved).stan, 999999, "last");
  eq((j.reserve(Kind.Echo, {}) as Reserved).stan, 1, "wrapped");
  eq(j.closeBatch(), 1, "batch wrapped");
});

test("journal: a write cut before its commit skips the number, never repeats it", function () {
  var fl = ram();
  var j = openJournal(fl, REGION, { crc32: crc });
  var a = j.reserve(Kind.Sale, { amount: 5 }) as Reserved;
  fl.budget = 1; // the body lands, the commit does not
  j.reserve(Kind.Sale, { amount: 6 });
  fl.budget = -1;
  var j2 = openJournal(fl, REGION, { crc32: crc });
  eq(j2.pendingReversal()!.stan, a.stan, "only the committed sale is pending");
  var b = j2.reserve(Kind.Sale, { amount: 7 }) as Reserved;
  eq(b.stan, a.stan + 2, "one number skipped");
});

test("journal: foreign data refuses to transact until the supervisor recovers it", function () {
  var fl = ram();
  for (var i = 0; i < fl.bytes.length; i++) fl.bytes[i] = (i * 7) & 255;
  var j = openJournal(fl, REGION, { crc32: crc });
  eq(j.state, "fault", "fault");
  ok(isJournalError(j.reserve(Kind.Sale, { amount: 1 })), "refused");
  eq(j.recover({ stan: 500, invoice: 40, batch: 3 }), null, "recover");
  eq((j.reserve(Kind.Sale, { amount: 1 }) as Reserved).stan, 500, "floor");
});

test("journal: answers pack into 16 bytes and come back", function () {
  var r = new Uint8Array(8);
  var a = encodeAnswer(r, 0, { result: 2, rc: "05", authCode: "", rrn: "000000000042" }, crc)!;
  var d = decodeAnswer(r, 0, a, 0, crc)!;
  eq(d.rc, "05", "rc"); eq(d.rrn, "000000000042", "rrn"); eq(d.result, 2, "result");
  a[3] = a[3]! ^ 1;
  eq(decodeAnswer(r, 0, a, 0, crc), null, "a flipped bit is refused");
});

test("counter: increments survive a restart and a sector change", function () {
  var fl = ram();
  var reg = { base: REGION.base, sectors: 2, sectorSize: 1024 };
  var c = new MonotonicCounter(fl, reg, crc);
  for (var i = 1; i <= 260; i++) eq(c.increment(), i, "increment");
  eq(new MonotonicCounter(fl, reg, crc).value(), 260, "after restart");
});
