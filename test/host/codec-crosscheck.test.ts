// Two independent ISO 8583 codecs held against each other: the firmware's
// (firmware/host/iso8583.ts, frame.ts, messages.ts; Espruino dialect) and the acquirer
// simulator's (sim/acquirer/iso8583.ts, framing.ts, totals.ts; Node, written from
// docs/host-protocol.md). Every message the terminal sends and every reply the acquirer gives
// must encode to the same bytes and decode to the same fields on both sides, and malformed
// input must be refused by both with the same error code.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as fw from "../../firmware/host/iso8583";
import * as fwFrame from "../../firmware/host/frame";
import * as fwMsg from "../../firmware/host/messages";
import * as acq from "../../sim/acquirer/iso8583";
import * as acqFrame from "../../sim/acquirer/framing";
import * as acqTotals from "../../sim/acquirer/totals";
import { Acquirer } from "../../sim/acquirer/acquirer";
import { fromHex, toHex as hex } from "../../sim/hex";

// The firmware's record, card and settings types as its builders take them (the transaction
// types are being reorganised; the wire format is what this file checks).
type TxnRecord = Parameters<typeof fwMsg.buildPayment>[0];
type CardData = Parameters<typeof fwMsg.buildPayment>[1];
type HostSettings = Parameters<typeof fwMsg.buildPayment>[2];
type TxnKind = TxnRecord["kind"];
type TxnState = TxnRecord["state"];
const S = { tid: "TERM0001", mid: "MERCHANT0000001", nii: "123" } as HostSettings;
const bytes = (h: string) => Buffer.from(fromHex(h)!);

/** a message as comparable data: binary fields as "b:HEX" */
function plain(m: { mti: string; f: { [de: number]: string | Uint8Array } }): { mti: string; f: { [de: string]: string } } {
  const f: { [de: string]: string } = {};
  for (const k of Object.keys(m.f)) {
    const v = m.f[Number(k)];
    if (v !== undefined) f[k] = typeof v === "string" ? v : "b:" + hex(v);
  }
  return { mti: m.mti, f };
}

/** what decoding gives on one side: the fields, or the error code, field and message */
type Outcome = { ok: true; msg: ReturnType<typeof plain> } | { ok: false; code: string; field: number; message: string };
function attempt(fn: () => { mti: string; f: { [de: number]: string | Uint8Array } }): Outcome {
  try { return { ok: true, msg: plain(fn()) }; } catch (e: any) {
    if (typeof e?.code !== "string") throw e; // a crash, not a codec error
    return { ok: false, code: e.code, field: e.field, message: e.message };
  }
}
const fwDecode = (b: Uint8Array) => attempt(() => fw.unpack(b));
const acqDecode = (b: Uint8Array) => attempt(() => acq.decode(b));

/** both decoders give the same fields, or both refuse with the same code and field */
function sameDecode(b: Uint8Array, what: string): Outcome {
  const a = fwDecode(b), c = acqDecode(b);
  const strip = (o: Outcome) => (o.ok ? o : { ok: false, code: o.code, field: o.field });
  assert.deepEqual(strip(c), strip(a), `${what}: ${hex(b)}\n  firmware: ${JSON.stringify(a)}\n  acquirer: ${JSON.stringify(c)}`);
  if (!a.ok && !c.ok) {
    assert.match(a.message, new RegExp("^" + a.code), "firmware error names its code");
    assert.match(c.message, new RegExp("^" + c.code + (c.field >= 0 ? " DE " + c.field : "") + ": \\S"), "acquirer error names code and field");
  }
  return a;
}

/** both encoders give the same bytes (or both refuse with the same code), both decode them
 *  to the same fields */
function sameEncode(m: fw.IsoMsg, what: string): Buffer {
  let ours: Buffer | undefined, theirs: Uint8Array | undefined, eo: any, et: any;
  try { theirs = fw.pack(m); } catch (e) { et = e; }
  try { ours = acq.encode(m); } catch (e) { eo = e; }
  if (et || eo) {
    assert.ok(et && eo, `${what}: only one side refused: firmware ${et?.message}, acquirer ${eo?.message}`);
    assert.equal(eo.code, et.code, what);
    throw eo;
  }
  assert.equal(hex(ours!), hex(theirs!), what);
  const d = sameDecode(ours!, what);
  assert.ok(d.ok, what);
  return ours!;
}

// ---- records as the journal gives them to the firmware's builders ----
function rec(over: Partial<TxnRecord>): TxnRecord {
  return {
    stan: 12, invoice: 7, batch: 3, kind: "SALE" as TxnKind, state: "PENDING" as TxnState, amount: 1999, procCode: "000000",
    entryMode: "021", token: "00112233", last4: "1111", time: "101530", date: "1126", rrn: "", authCode: "", rc: "",
    reversalPending: true, advicePending: false, origInvoice: 0, slot: -1, ...over,
  } as unknown as TxnRecord; // what the builders read; other record fields do not reach the wire
}
const ICC = bytes("9F2608112233445566778895050000008000" + "5A084111111111111111" + "9F02060000000019995F2A020840");
const MC_TRACK2 = "5413330089010434=2912201000000000000"; // 36 characters
const approvedSale = rec({ state: "APPROVED" as TxnState, rrn: "000000000042", authCode: "123456", reversalPending: false });

/** every message the terminal sends (docs/host-protocol.md §1.3), with representative and edge values */
function terminalMessages(): [string, fw.IsoMsg][] {
  const card = (c: Partial<CardData>): CardData => ({ entryMode: "021", ...c });
  const refund = rec({ kind: "REFUND" as TxnKind, procCode: "200000" });
  const voidOf = (orig: TxnRecord, pc: string) => rec({ kind: "VOID" as TxnKind, procCode: pc, stan: 13, invoice: 8, origInvoice: orig.invoice, amount: orig.amount });
  const offline = rec({ kind: "OFFLINE" as TxnKind, authCode: "Y10012", reversalPending: false, advicePending: true, state: "APPROVED" as TxnState });
  const totals = { saleCount: 3, saleAmount: 4500, refundCount: 1, refundAmount: 250 };
  return [
    ["0200 sale, swiped track 2", fwMsg.buildPayment(rec({}), card({ track2: "4111111111111111=3012101" }), S)],
    ["0200 sale, track 2 with separator D", fwMsg.buildPayment(rec({}), card({ track2: "4111111111111111D3012101" }), S)],
    ["0200 sale, track 2 of 37 (max), odd", fwMsg.buildPayment(rec({}), card({ track2: MC_TRACK2 + "1" }), S)],
    ["0200 sale, keyed PAN + expiry", fwMsg.buildPayment(rec({ entryMode: "012" }), card({ pan: "4111111111111111", expiry: "3012", entryMode: "012" }), S)],
    ["0200 sale, odd-length PAN (Amex 15)", fwMsg.buildPayment(rec({}), card({ pan: "378282246310005", expiry: "2801" }), S)],
    ["0200 sale, 19-digit PAN (max), no expiry", fwMsg.buildPayment(rec({}), card({ pan: "6011000990139424123" }), S)],
    ["0200 sale, 13-digit PAN", fwMsg.buildPayment(rec({}), card({ pan: "4222222222222" }), S)],
    ["0200 sale, empty PAN", fwMsg.buildPayment(rec({}), card({}), S)],
    ["0200 sale, chip (DE 55)", fwMsg.buildPayment(rec({ entryMode: "051" }), card({ pan: "4111111111111111", expiry: "3012", entryMode: "051", icc: ICC }), S)],
    ["0200 sale, DE 55 of 255 bytes (max)", fwMsg.buildPayment(rec({ entryMode: "071" }), card({ track2: "4761739001010010=30122011143804400000", entryMode: "071", icc: new Uint8Array(255).fill(0x9f) }), S)],
    ["0200 sale, DE 55 of 1 byte", fwMsg.buildPayment(rec({}), card({ pan: "4111111111111111", icc: new Uint8Array([0]) }), S)],
    ["0200 sale, largest amount, STAN 999999, invoice 999999", fwMsg.buildPayment(rec({ amount: 999999999999, stan: 999999, invoice: 999999 }), card({ track2: "4111111111111111=3012" }), S)],
    ["0200 sale, STAN 1, amount 1, midnight Jan 1", fwMsg.buildPayment(rec({ amount: 1, stan: 1, invoice: 1, time: "000000", date: "0101" }), card({ track2: "4111111111111111=3012" }), S)],
    ["0200 refund", fwMsg.buildPayment(refund, card({ track2: "4111111111111111=3012" }), S)],
    ["0200 void of a sale", fwMsg.buildVoid(voidOf(approvedSale, "020000"), approvedSale, S)],
    ["0200 void of a refund", fwMsg.buildVoid(voidOf(refund, "220000"), rec({ ...refund, rrn: "000000000043", authCode: "A1B2C3" }), S)],
    ["0400 reversal of a sale", fwMsg.buildReversal(rec({}), S)],
    ["0400 reversal rebuilt after a reboot (no DE 12/13/22)", fwMsg.buildReversal(rec({ time: "", date: "", entryMode: "" }), S)],
    ["0400 reversal of a void (original invoice)", fwMsg.buildReversal(voidOf(approvedSale, "020000"), S)],
    ["0220 offline advice", fwMsg.buildAdvice(offline, 21, S)],
    ["0320 upload of an online sale", fwMsg.buildUpload(approvedSale, 22, S)],
    ["0320 upload of an offline sale (no RRN)", fwMsg.buildUpload(offline, 23, S)],
    ["0500 settlement 920000", fwMsg.buildSettlement(24, 3, totals, false, S)],
    ["0500 settlement 960000 after upload", fwMsg.buildSettlement(25, 3, totals, true, S)],
    ["0500 settlement, empty batch", fwMsg.buildSettlement(26, 999999, { saleCount: 0, saleAmount: 0, refundCount: 0, refundAmount: 0 }, false, S)],
    ["0500 settlement, largest totals", fwMsg.buildSettlement(27, 1, { saleCount: 999, saleAmount: 999999999999, refundCount: 999, refundAmount: 999999999999 }, false, S)],
    ["0800 echo", fwMsg.buildEcho(28, S)],
    ["0800 logon", fwMsg.buildLogon(29, S)],
    ["0800 echo, short TID and NII 1", fwMsg.buildEcho(30, { ...S, tid: "T1", nii: "1" })],
    ["0800 health (DE 48, DE 70: a secondary bitmap)", { ...fwMsg.buildEcho(31, S), f: { ...fwMsg.buildEcho(31, S).f, 48: "H1BT013CR010SK010FW050.1.0", 70: "801" } }],
  ];
}

describe("codec cross-check: firmware/host vs sim/acquirer (independent codecs)", () => {
  it("the two field tables agree (type, length prefix, maximum) for DE 1..128", () => {
    const fmt: { [ft: number]: acq.FieldFormat | undefined } = {
      [fw.FT.N]: "n", [fw.FT.LLN]: "LLVAR n", [fw.FT.LLZ]: "LLVAR z", [fw.FT.AN]: "ans", [fw.FT.B]: "b", [fw.FT.LLLB]: "LLLVAR b", [fw.FT.LLLA]: "LLLVAR ans",
    };
    for (let de = 1; de <= 128; de++) {
      const spec = acq.FIELDS.get(de);
      assert.equal(spec?.format, fmt[fw.fieldType(de)], `DE ${de} format`);
      if (spec) assert.equal(spec.max, fw.fieldMax(de), `DE ${de} maximum`);
    }
    assert.equal(acq.FIELDS.size, 26);
  });

  describe("every message the terminal sends: same bytes, same fields", () => {
    for (const [name, m] of terminalMessages()) {
      it(name, () => {
        const b = sameEncode(m, name);
        // what the builders left out stays out
        const back = acq.decode(b);
        assert.deepEqual(Object.keys(back.f).map(Number).sort((x, y) => x - y), Object.keys(m.f).map(Number).sort((x, y) => x - y));
      });
    }

    it("0400 carries no PAN, track or PIN; DE 11 is the original STAN", () => {
      const m = acq.decode(fw.pack(fwMsg.buildReversal(rec({ stan: 4321 }), S)));
      for (const de of [2, 14, 35, 52, 55]) assert.equal(m.f[de], undefined, "DE " + de);
      assert.equal(m.f[11], "004321");
    });
  });

  describe("every reply of the acquirer: same bytes, and the firmware reads them", () => {
    const a = new Acquirer({ declineRules: [{ endsWith: "51", rc: "51" }] });
    const replies: [string, string, fw.IsoMsg][] = [];
    const sale = fwMsg.buildPayment(rec({ stan: 101, invoice: 1 }), { track2: "4111111111111111=3012", entryMode: "021" }, S);
    const declined = fwMsg.buildPayment(rec({ stan: 102, invoice: 2, amount: 2051 }), { track2: "4111111111111111=3012", entryMode: "021" }, S);
    const run = (name: string, m: fw.IsoMsg) => { replies.push([name, m.mti, a.process(acq.decode(fw.pack(m))) as fw.IsoMsg]); };
    run("0210 approved (DE 37, 38, 39)", sale);
    run("0210 declined 51", declined);
    run("0210 94 (STAN reused)", sale);
    const orig = { ...approvedSale, stan: 101, invoice: 1 };
    run("0210 void approved", fwMsg.buildVoid(rec({ kind: "VOID" as TxnKind, procCode: "020000", stan: 103, invoice: 3, origInvoice: 1 }), orig, S));
    run("0210 void of an unknown invoice: 25", fwMsg.buildVoid(rec({ kind: "VOID" as TxnKind, procCode: "020000", stan: 104, invoice: 4, origInvoice: 77 }), { ...orig, invoice: 77 }, S));
    run("0410", fwMsg.buildReversal(rec({ stan: 101, invoice: 1 }), S));
    run("0230", fwMsg.buildAdvice(rec({ kind: "OFFLINE" as TxnKind, authCode: "Y10105", invoice: 5 }), 105, S));
    run("0330", fwMsg.buildUpload(orig, 106, S));
    run("0510 95 (totals differ)", fwMsg.buildSettlement(107, 1, { saleCount: 9, saleAmount: 9, refundCount: 0, refundAmount: 0 }, false, S));
    run("0510 00 after upload", fwMsg.buildSettlement(108, 1, { saleCount: 1, saleAmount: 1999, refundCount: 0, refundAmount: 0 }, true, S));
    run("0810 echo", fwMsg.buildEcho(109, S));
    run("0810 logon", fwMsg.buildLogon(110, S));
    for (const [name, reqMti, r] of replies) {
      it(name, () => {
        sameEncode(r, name);
        const seen = fw.unpack(acq.encode(r));
        assert.equal(fwMsg.rcOf(seen), fw.trimRight(String(r.f[39])));
        assert.equal(seen.mti, fwMsg.responseMti(reqMti));
        assert.equal(seen.mti, name.slice(0, 4));
      });
    }
    it("covers DE 37/38/39 and the 95/94/25/51 codes", () => {
      const rcs = replies.map(([, , r]) => fw.trimRight(String(r.f[39])));
      for (const rc of ["00", "51", "94", "25", "95"]) assert.ok(rcs.includes(rc), rc);
    });
  });

  describe("framing: both sides cut the same frames", () => {
    const msgs = terminalMessages().map(([, m]) => fw.pack(m));

    it("frame() is the same on both sides (length, TPDU 60 NII 0000)", () => {
      for (const m of msgs) assert.equal(hex(acqFrame.frame(m, acqFrame.tpdu("0123"))), hex(fwFrame.frame(m, "123")));
    });

    it("a stream cut into random chunks gives the same frames to both de-framers (seeded)", () => {
      let seed = 2024;
      const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
      const stream = Buffer.concat(msgs.map((m) => fwFrame.frame(m, "123")));
      for (let round = 0; round < 50; round++) {
        const a: string[] = [], b: string[] = [], errs: string[] = [];
        const fd = fwFrame.createDeframer((t, m) => a.push(hex(t) + "|" + hex(m)), (c) => errs.push(c));
        const ad = new acqFrame.Deframer((t, m) => b.push(hex(t) + "|" + hex(m)), (r) => errs.push(r));
        for (let at = 0; at < stream.length;) {
          const n = 1 + rnd(round % 2 ? 400 : 9);
          const chunk = stream.subarray(at, at + n);
          fd.push(round % 3 ? chunk : chunk.toString("latin1"));
          ad.push(round % 3 ? chunk : chunk.toString("latin1"));
          at += n;
          assert.equal(ad.pending(), fd.pending(), "bytes held mid-frame");
        }
        assert.deepEqual(errs, []);
        assert.equal(a.length, msgs.length);
        assert.deepEqual(b, a);
      }
    });

    it("impossible lengths (0..4, 2049+) are refused by both; 5 and 2048 are not", () => {
      for (const n of [0, 1, 4, 5, 2048, 2049, 0xffff]) {
        const errs: string[] = [], acqErrs: string[] = [];
        fwFrame.createDeframer(() => {}, (c) => errs.push(c)).push(new Uint8Array([n >> 8, n & 255]));
        new acqFrame.Deframer(() => {}, (r) => acqErrs.push(r)).push(new Uint8Array([n >> 8, n & 255]));
        const bad = n < 5 || n > 2048;
        assert.deepEqual(errs, bad ? ["FRAME_LENGTH"] : [], String(n));
        assert.equal(acqErrs.length, bad ? 1 : 0, String(n));
        if (bad) assert.match(acqErrs[0]!, /^impossible frame length \(must be 5\.\.2048 bytes\): \d+$/);
      }
    });

    it("locating the message in a capture (length and TPDU optional) agrees", () => {
      for (const m of msgs) {
        const f = fwFrame.frame(m, "123");
        const lenOnly = Buffer.concat([Buffer.from([m.length >> 8, m.length & 255]), m]);
        for (const c of [f, f.subarray(2), m, lenOnly]) assert.equal(acqFrame.messageOffset(c).offset, fwFrame.locateMessage(c));
      }
    });
  });

  describe("DE 63 settlement totals", () => {
    it("format identically and parse each other's (seeded, within the field widths)", () => {
      let seed = 63;
      const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
      const big = () => rnd(4) === 0 ? 999999999999 : rnd(3) === 0 ? 0 : rnd(1000000) * 1000000 + rnd(1000000);
      for (let i = 0; i < 500; i++) {
        const t = { saleCount: rnd(4) ? rnd(1000) : 999, saleAmount: big(), refundCount: rnd(1000), refundAmount: big() };
        const s = fwMsg.formatTotals(t);
        assert.equal(acqTotals.formatTotals(t), s);
        assert.deepEqual(acqTotals.parseTotals(s), t);
        assert.deepEqual(fwMsg.parseTotals(acqTotals.formatTotals(t)), t);
      }
    });
    it("the acquirer refuses totals that are not 90 digits with '0' padding (the firmware reader is laxer)", () => {
      const good = fwMsg.formatTotals({ saleCount: 1, saleAmount: 100, refundCount: 0, refundAmount: 0 });
      for (const bad of [good.slice(0, 89), good + "0", good.slice(0, 30), good.slice(0, 89) + "1", "x" + good.slice(1)]) {
        assert.throws(() => acqTotals.parseTotals(bad), /^Error: DE 63 totals: /);
      }
      assert.throws(() => acqTotals.formatTotals({ saleCount: 1000, saleAmount: 0, refundCount: 0, refundAmount: 0 }), RangeError);
    });
  });

  describe("seeded random round trips over the field specification", () => {
    let seed = 8583;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const digits = (n: number) => Array.from({ length: n }, () => String(rnd(10))).join("");
    const ascii = (n: number) => Array.from({ length: n }, () => String.fromCharCode(32 + rnd(95))).join("");
    /** a length from 0..max, biased to the edges */
    const len = (max: number) => [0, 1, max, max - 1][rnd(8)] ?? rnd(max + 1);
    function randomMessage(): fw.IsoMsg {
      const m: fw.IsoMsg = { mti: "0" + digits(3), f: {} };
      for (const spec of acq.FIELDS.values()) {
        if (rnd(3) === 0) continue;
        const { de, max } = spec;
        switch (spec.format) {
          case "n": m.f[de] = digits(rnd(4) ? max : rnd(max + 1)); break; // shorter values are left padded
          case "LLVAR n": m.f[de] = digits(len(max)); break;
          case "LLVAR z": { const d = digits(Math.max(0, len(max) - 1)); const at = rnd(d.length + 1); m.f[de] = d.slice(0, at) + (rnd(2) ? "=" : "D") + d.slice(at); break; }
          case "ans": m.f[de] = ascii(rnd(4) ? max : rnd(max + 1)); break; // shorter values are right padded
          case "b": m.f[de] = Uint8Array.from({ length: max }, () => rnd(256)); break;
          case "LLLVAR b": m.f[de] = Uint8Array.from({ length: len(max) }, () => rnd(256)); break;
          case "LLLVAR ans": m.f[de] = ascii(Math.min(len(max), rnd(4) ? 150 : max)); break;
        }
      }
      return m;
    }

    it("2,000 messages: same bytes from both encoders, same fields from both decoders", () => {
      for (let i = 0; i < 2000; i++) sameEncode(randomMessage(), "random message " + i);
    });

    it("pad nibbles written as F (allowed on input) decode the same on both sides", () => {
      // DE 22 (n3) left pad and an odd PAN's right pad, as some terminals write them
      const b = fw.pack({ mti: "0200", f: { 2: "378282246310005", 22: "051", 41: "TERM0001" } });
      const f = Buffer.from(b);
      f[10 + 1 + 7] = f[10 + 1 + 7]! | 0x0f; // last PAN byte: 5F
      f[10 + 9] = f[10 + 9]! | 0xf0;         // DE 22: F0 51
      assert.equal(hex(f).slice(20, 42), "15378282246310005F" + "F051");
      const r = sameDecode(f, "F pads");
      assert.ok(r.ok && r.msg.f[2] === "378282246310005" && r.msg.f[22] === "051");
    });
  });

  describe("malformed input: both refuse, with the same error code and field", () => {
    const fixtures = fs.readdirSync(path.join(__dirname, "../fixtures/iso8583")).filter((f) => f.endsWith(".json"))
      .map((f) => JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/iso8583", f), "utf8")) as { name: string; hex: string });
    const code = (h: string) => { const o = sameDecode(bytes(h), h); return o.ok ? "OK" : o.code; };

    it("the golden fixtures (checked against jspos) decode the same on both sides", () => {
      assert.ok(fixtures.length >= 8);
      for (const fx of fixtures) assert.ok(sameDecode(bytes(fx.hex), fx.name).ok, fx.name);
    });

    it("every truncation of every terminal message and fixture is TRUNCATED on both", () => {
      const all = [...terminalMessages().map(([, m]) => fw.pack(m)), ...fixtures.map((fx) => bytes(fx.hex))];
      let n = 0;
      for (const b of all) for (let cut = 0; cut < b.length; cut++) { assert.equal(code(hex(b.subarray(0, cut))), "TRUNCATED"); n++; }
      assert.ok(n > 1500, String(n));
    });

    it("one by one: bad MTI, bad bitmap, bad lengths, bad BCD, bad characters, trailing bytes", () => {
      const sale = fixtures.find((f) => f.name === "sale-track2-0200")!.hex;
      const cases: [string, string][] = [
        ["0A00" + sale.slice(4), "BAD_MTI"],
        ["02" + "F0" + sale.slice(4), "BAD_MTI"],
        ["0200" + "0100000000000000" + "00", "UNKNOWN_FIELD"],              // DE 8: bit for a field not in the spec
        ["0200" + "0000000000000001" + "00".repeat(8), "OK"],                // DE 64 MAC, 8 bytes
        ["0200" + "0000000000000001" + "00".repeat(7), "TRUNCATED"],
        ["0200" + "0000000000000002", "TRUNCATED"],                          // DE 63 announced, no length
        ["0200" + "8000000000000000", "TRUNCATED"],                          // secondary bitmap announced, missing
        ["0200" + "8000000000000000" + "0000000000000000", "OK"],            // secondary bitmap, no field above 64
        ["0200" + "8000000000000000" + "4000000000000000" + "0301", "UNKNOWN_FIELD"], // DE 66
        ["0200" + "8000000000000000" + "8000000000000000", "UNKNOWN_FIELD"], // DE 65 (tertiary bitmap bit)
        ["0200" + "4000000000000000" + "20" + "41111111111111111111", "LENGTH_OVERRUN"], // PAN of 20
        ["0200" + "4000000000000000" + "1A" + "4111111111", "BAD_BCD"],      // length not BCD
        ["0200" + "0000000000000010" + "1000" + "00".repeat(1000), "LENGTH_OVERRUN"], // DE 60: 1000 > 999
        ["0200" + "0000000000000400" + "0121" + "30".repeat(121), "LENGTH_OVERRUN"], // DE 54: 121 > 120
        ["0200" + "0000000000000200" + "0256" + "00".repeat(256), "LENGTH_OVERRUN"], // DE 55: 256 > 255
        ["0200" + "0000000000000200" + "0255" + "00".repeat(256), "TRAILING"],
        ["0200" + "0000000000000200" + "0255" + "00".repeat(254), "TRUNCATED"],
        ["0200" + "0000000000000200" + "02A5" + "00".repeat(255), "BAD_BCD"],
        ["0800" + "2000000000000000" + "99A000", "BAD_BCD"],                 // digit A in DE 3
        ["0200" + "0000040000000000" + "5021", "BAD_BCD"],                   // DE 22 pad nibble 5
        ["0200" + "0000040000000000" + "F021", "OK"],                        // ... F is a pad
        ["0200" + "4000000000000000" + "03" + "4115", "BAD_BCD"],            // PAN right pad 5
        ["0200" + "4000000000000000" + "03" + "411F", "OK"],
        ["0200" + "4000000000000000" + "02" + "4D", "BAD_BCD"],              // D only in track 2
        ["0200" + "0000000020000000" + "03" + "4D1F", "OK"],                 // ... where it is '='
        ["0200" + "0000000020000000" + "03" + "4E10", "BAD_BCD"],            // E is not a track 2 nibble
        ["0810" + "0000000000800000" + "5445524D3030300A", "BAD_CHAR"],      // LF in TID
        ["0810" + "0000000000800000" + "5445524D303030FF", "BAD_CHAR"],
        ["0810" + "0000000000000004" + "0002" + "417F", "BAD_CHAR"],         // DEL in DE 62
        [sale + "00", "TRAILING"],
        ["0800" + "0000000000000000", "OK"],                                 // no fields at all
        ["0800" + "00000000000000", "TRUNCATED"],
      ];
      for (const [h, want] of cases) assert.equal(code(h), want, h);
    });

    it("random corruption of every fixture and terminal message (seeded): same verdict on both sides", () => {
      let seed = 4021;
      const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
      const sources = [...fixtures.map((fx) => bytes(fx.hex)), ...terminalMessages().map(([, m]) => Buffer.from(fw.pack(m)))];
      const tally: { [code: string]: number } = {};
      for (const good of sources) {
        for (let i = 0; i < 600; i++) {
          const b = Buffer.from(good);
          const flips = 1 + rnd(3);
          for (let k = 0; k < flips; k++) {
            const at = rnd(b.length);
            b[at] = rnd(3) === 0 ? b[at]! ^ (1 << rnd(8)) : rnd(256); // a bit flip (bitmap, nibble) or any byte
          }
          const cut = rnd(5) === 0 ? rnd(b.length + 1) : rnd(5) === 0 ? b.length + 1 + rnd(3) : b.length;
          const input = cut > b.length ? Buffer.concat([b, Buffer.alloc(cut - b.length, rnd(256))]) : b.subarray(0, cut);
          const o = sameDecode(input, "corrupted " + i);
          tally[o.ok ? "OK" : o.code] = (tally[o.ok ? "OK" : o.code] ?? 0) + 1;
        }
      }
      for (const c of ["OK", "TRUNCATED", "BAD_BCD", "BAD_MTI", "BAD_CHAR", "LENGTH_OVERRUN", "UNKNOWN_FIELD", "TRAILING"]) {
        assert.ok((tally[c] ?? 0) > 0, `${c} reached: ${JSON.stringify(tally)}`);
      }
    });

    it("values that do not fit are refused by both encoders with the same code", () => {
      const refuse = (f: any, mti = "0200") => {
        try { sameEncode({ mti, f } as fw.IsoMsg, JSON.stringify(f)); } catch (e: any) { return e.code as string; }
        return "OK";
      };
      assert.equal(refuse({ 4: "1234567890123" }), "BAD_VALUE");          // 13 digits in n12
      assert.equal(refuse({ 4: "12a4" }), "BAD_VALUE");
      assert.equal(refuse({ 4: "123" }), "OK");                           // left padded with 0
      assert.equal(refuse({ 2: "41111111111111111111" }), "BAD_VALUE");   // 20 > 19
      assert.equal(refuse({ 2: "4111=1111" }), "BAD_VALUE");              // separator only in track 2
      assert.equal(refuse({ 35: "4111111111111111=301210100000000000012" }), "BAD_VALUE"); // 38 > 37
      assert.equal(refuse({ 35: "4111X1111" }), "BAD_VALUE");
      assert.equal(refuse({ 41: "TERM\n001" }), "BAD_VALUE");
      assert.equal(refuse({ 41: "TERM00001" }), "BAD_VALUE");             // 9 > 8
      assert.equal(refuse({ 41: "T" }), "OK");                            // right padded with spaces
      assert.equal(refuse({ 52: new Uint8Array(7) }), "BAD_VALUE");
      assert.equal(refuse({ 52: "0011223344556677" }), "BAD_VALUE");     // binary wants bytes
      assert.equal(refuse({ 55: new Uint8Array(256) }), "BAD_VALUE");
      assert.equal(refuse({ 62: "x".repeat(1000) }), "BAD_VALUE");
      assert.equal(refuse({ 62: "\u00e9" }), "BAD_VALUE");
      assert.equal(refuse({ 2: 4111 }), "BAD_VALUE");
      assert.equal(refuse({ 8: "1" }), "UNKNOWN_FIELD");
      assert.equal(refuse({ 71: "301" }), "UNKNOWN_FIELD");
      assert.equal(refuse({ 70: "3011" }), "BAD_VALUE");                  // n3
      assert.equal(refuse({ 70: "801" }), "OK");                          // the health report
      assert.equal(refuse({}, "02X0"), "BAD_MTI");
      assert.equal(refuse({}, "200"), "BAD_MTI");
    });
  });
});
