// ISO 8583 codec: golden fixtures, an independent cross-check against jspos (BCD packagers),
// round trips, and a clear error code for every kind of malformed input.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { FT, fieldMax, fieldType, IsoMsg, pack, unpack } from "../../firmware/host/iso8583";
import { fromHex, toHex } from "../../firmware/host/hex";

const FIX = path.join(__dirname, "../fixtures/iso8583");
interface Fixture { name: string; mti: string; fields: { [de: string]: string }; hex: string; }
const fixtures: Fixture[] = fs.readdirSync(FIX).filter((f) => f.endsWith(".json")).sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(FIX, f), "utf8")));

const BINARY = (de: number) => fieldType(de) === FT.B || fieldType(de) === FT.LLLB;

function msgOf(fx: Fixture): IsoMsg {
  const m: IsoMsg = { mti: fx.mti, f: {} };
  for (const k of Object.keys(fx.fields)) {
    const de = Number(k);
    m.f[de] = BINARY(de) ? fromHex(fx.fields[k]!)! : fx.fields[k]!;
  }
  return m;
}

/** what unpack gives back: AN fields padded with spaces, '=' for the track-2 separator */
function normalised(fx: Fixture): { [de: string]: string } {
  const out: { [de: string]: string } = {};
  for (const k of Object.keys(fx.fields)) {
    const de = Number(k);
    let v = fx.fields[k]!;
    if (fieldType(de) === FT.AN) v = v.padEnd(fieldMax(de), " ");
    if (BINARY(de)) v = v.toUpperCase();
    out[k] = v;
  }
  return out;
}

function plain(m: IsoMsg): { [de: string]: string } {
  const out: { [de: string]: string } = {};
  for (const k of Object.keys(m.f)) {
    const v = m.f[Number(k)]!;
    out[k] = typeof v === "string" ? v : toHex(v);
  }
  return out;
}

// ---- jspos packager with the same field definitions (independent implementation) ----
const jspos = require("jspos");
const { IFB_NUMERIC, IFB_BITMAP, IFB_LLNUM, IF_CHAR, IFB_LLLCHAR, IFB_BINARY, IFB_LLLBINARY } = jspos.packer;
function jsposPackager(): any {
  const fld: any[] = [];
  for (let i = 0; i <= 64; i++) fld.push(new IFB_BINARY(0, "unused"));
  fld[0] = new IFB_NUMERIC(4, "MTI", true);
  fld[1] = new IFB_BITMAP(8, "bitmap");
  for (let de = 2; de <= 64; de++) {
    const t = fieldType(de), max = fieldMax(de);
    if (t === FT.N) fld[de] = new IFB_NUMERIC(max, "n", true);
    else if (t === FT.LLN || t === FT.LLZ) fld[de] = new IFB_LLNUM(max, "llnum", false);
    else if (t === FT.AN) fld[de] = new IF_CHAR(max, "an");
    else if (t === FT.B) fld[de] = new IFB_BINARY(max, "b");
    else if (t === FT.LLLB) fld[de] = new IFB_LLLBINARY(max, "lllb");
    else if (t === FT.LLLA) fld[de] = new IFB_LLLCHAR(max, "lllchar");
  }
  class P extends jspos.ISOBasePackager { constructor() { super(); this.setFieldPackager(fld); } }
  return new P();
}

describe("iso8583 codec", () => {
  it("has fixtures", () => assert.ok(fixtures.length >= 8));

  for (const fx of fixtures) {
    describe(fx.name, () => {
      it("packs to the golden hex", () => assert.equal(toHex(pack(msgOf(fx))), fx.hex));
      it("unpacks the golden hex to the same fields", () => {
        const m = unpack(fromHex(fx.hex)!);
        assert.equal(m.mti, fx.mti);
        assert.deepEqual(plain(m), normalised(fx));
      });
      it("equals jspos byte for byte (track 2 'D' compared by hand: jspos IFB_LLNUM writes 0)", () => {
        const p = jsposPackager();
        const jm = p.createISOMsg();
        jm.setMTI(fx.mti);
        for (const k of Object.keys(fx.fields)) {
          jm.setField(Number(k), fx.fields[k]); // jspos takes binary fields as hex strings
        }
        const theirs = Buffer.from(jm.pack()).toString("hex").toUpperCase();
        const ours = fx.hex;
        if (fx.fields[35] === undefined) { assert.equal(ours, theirs); return; }
        // the only difference allowed: our separator nibble D where jspos has 0, inside DE 35
        assert.equal(ours.length, theirs.length);
        const diffs: number[] = [];
        for (let i = 0; i < ours.length; i++) if (ours[i] !== theirs[i]) diffs.push(i);
        assert.equal(diffs.length, 1, "one nibble differs");
        assert.equal(ours[diffs[0]!], "D");
        assert.equal(theirs[diffs[0]!], "0");
      });
    });
  }

  it("the field table agrees with iso_8583's 1987 definitions (length type and maximum)", () => {
    const formats = require("iso_8583/lib/formats.js");
    const F = formats.default ?? formats;
    const lenType = (t: FT) => (t === FT.LLN || t === FT.LLZ ? "llvar" : t === FT.LLLA || t === FT.LLLB ? "lllvar" : "fixed");
    // host-specific on purpose: DE 55 is b..255 bytes on EMV hosts (iso_8583: ans..999);
    // iso_8583 counts DE 52 in hex characters and its DE 64 entry is inconsistent with it
    const exceptions: { [de: number]: string } = { 55: "b..255", 52: "b8 = 16 hex", 64: "b8" };
    let compared = 0;
    for (let de = 2; de <= 64; de++) {
      const t = fieldType(de);
      if (t === FT.NONE || exceptions[de]) continue;
      const d = F[String(de)];
      assert.ok(d, "DE " + de + " known to iso_8583");
      assert.equal(lenType(t), d.LenType, "DE " + de + " length type");
      assert.equal(fieldMax(de), d.MaxLen, "DE " + de + " maximum");
      const numeric = t === FT.N || t === FT.LLN;
      assert.equal(numeric, d.ContentType === "n", "DE " + de + " numeric");
      compared++;
    }
    assert.ok(compared >= 20);
    assert.equal(F["52"].MaxLen, 16);
  });

  it("the hand-derived echo frame matches the field-by-field layout", () => {
    // 0800 | bitmap: DE 3, 11, 24, 41 | 990000 | 000001 | 0123 | "TERM0001"
    const hex = "0800" + "2020010000800000" + "990000" + "000001" + "0123" + "5445524D30303031";
    assert.equal(fixtures.find((f) => f.name === "echo-0800")!.hex, hex);
  });

  it("round-trips random messages over every field type", () => {
    let seed = 12345;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const digitsOf = (n: number) => { let s = ""; for (let i = 0; i < n; i++) s += String(rnd(10)); return s; };
    const textOf = (n: number) => { let s = ""; for (let i = 0; i < n; i++) s += String.fromCharCode(32 + rnd(95)); return s; };
    for (let iter = 0; iter < 300; iter++) {
      const m: IsoMsg = { mti: "0" + digitsOf(3), f: {} };
      for (let de = 2; de <= 64; de++) {
        const t = fieldType(de), max = fieldMax(de);
        if (t === FT.NONE || rnd(2)) continue;
        if (t === FT.N) m.f[de] = digitsOf(max);
        else if (t === FT.LLN) m.f[de] = digitsOf(rnd(max + 1));
        else if (t === FT.LLZ) { const d = digitsOf(rnd(max)); const at = rnd(d.length + 1); m.f[de] = d.slice(0, at) + "=" + d.slice(at); }
        else if (t === FT.AN) m.f[de] = textOf(max);
        else if (t === FT.B) m.f[de] = Uint8Array.from({ length: max }, () => rnd(256));
        else if (t === FT.LLLB) m.f[de] = Uint8Array.from({ length: rnd(max + 1) }, () => rnd(256));
        else m.f[de] = textOf(rnd(Math.min(max, 200) + 1));
      }
      const back = unpack(pack(m));
      assert.equal(back.mti, m.mti);
      assert.deepEqual(plain(back), plain(m));
    }
  });

  it("uses a secondary bitmap only when a DE above 64 is present", () => {
    // DE 70 (the health report's network management code) is the only DE > 64 defined:
    // packing another is UNKNOWN_FIELD; a received secondary bitmap with no fields beyond 64
    // still decodes
    const hex = "0800" + "A000000000000000" + "0000000000000000" + "990000";
    const m = unpack(fromHex(hex)!);
    assert.equal(m.f[3], "990000");
    assert.throws(() => pack({ mti: "0800", f: { 71: "301" } }), (e: any) => e.code === "UNKNOWN_FIELD");
    assert.equal(toHex(pack({ mti: "0800", f: { 3: "990000" } })).length, 2 * (2 + 8 + 3), "no DE > 64: one bitmap");
    const h = pack({ mti: "0800", f: { 3: "990000", 70: "801" } });
    assert.equal(toHex(h).toUpperCase(), "0800" + "A000000000000000" + "0400000000000000" + "990000" + "0801");
    assert.deepEqual(unpack(h).f, { 3: "990000", 70: "801" });
  });

  it("random corruption of every fixture: decoded or rejected with a known code, never anything else", () => {
    const known = new Set(["TRUNCATED", "BAD_BCD", "BAD_MTI", "BAD_CHAR", "LENGTH_OVERRUN", "UNKNOWN_FIELD", "TRAILING"]);
    let seed = 99, rejected = 0, decoded = 0;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    for (const fx of fixtures) {
      const good = fromHex(fx.hex)!;
      for (let i = 0; i < 2000; i++) {
        const b = new Uint8Array(good);
        const flips = 1 + rnd(3);
        for (let k = 0; k < flips; k++) b[rnd(b.length)] = rnd(256);
        const cut = rnd(4) === 0 ? rnd(b.length) : b.length;
        try { unpack(b.subarray(0, cut)); decoded++; } catch (e: any) {
          assert.ok(known.has(e.code), "unexpected error " + e.message);
          assert.equal(typeof e.field, "number");
          rejected++;
        }
      }
    }
    assert.ok(rejected > 0 && decoded > 0);
  });

  describe("malformed input gives a clear error code", () => {
    const code = (hex: string) => { try { unpack(fromHex(hex)!); return "OK"; } catch (e: any) { return e.code as string; } };
    const sale = fixtures.find((f) => f.name === "sale-track2-0200")!.hex;

    it("every truncation of a valid message is TRUNCATED (or bad, never accepted)", () => {
      for (let n = 0; n < sale.length; n += 2) {
        const c = code(sale.slice(0, n));
        assert.notEqual(c, "OK", "prefix of " + n / 2 + " bytes accepted");
        assert.ok(["TRUNCATED"].includes(c), n / 2 + " bytes: " + c);
      }
    });
    it("extra bytes are TRAILING", () => assert.equal(code(sale + "00"), "TRAILING"));
    it("a non-BCD MTI is BAD_MTI", () => assert.equal(code("0A00" + sale.slice(4)), "BAD_MTI"));
    it("a non-BCD digit in a numeric field is BAD_BCD", () => {
      assert.equal(code("0800" + "2000000000000000" + "99A000"), "BAD_BCD");
    });
    it("a non-BCD length prefix is BAD_BCD", () => {
      assert.equal(code("0200" + "4000000000000000" + "1A" + "4111111111"), "BAD_BCD");
    });
    it("a length above the field maximum is LENGTH_OVERRUN", () => {
      assert.equal(code("0200" + "4000000000000000" + "20" + "41111111111111111111"), "LENGTH_OVERRUN");
      assert.equal(code("0200" + "0000000000000010" + "1000" + "00".repeat(1000)), "LENGTH_OVERRUN"); // DE 60: 1000 > 999
    });
    it("a bitmap bit for a field not in the table is UNKNOWN_FIELD", () => {
      assert.equal(code("0200" + "0100000000000000" + "00"), "UNKNOWN_FIELD"); // DE 8
    });
    it("a control character in an ASCII field is BAD_CHAR", () => {
      assert.equal(code("0810" + "0000000000800000" + "5445524D3030300A"), "BAD_CHAR");
    });
    it("a pad nibble that is not 0 or F is BAD_BCD", () => {
      assert.equal(code("0200" + "0000040000000000" + "0021"), "OK"); // DE 22 "021"
      assert.equal(code("0200" + "0000040000000000" + "5021"), "BAD_BCD");
    });
    it("pack rejects values that do not fit", () => {
      const bad = (f: any) => { try { pack({ mti: "0200", f }); return "OK"; } catch (e: any) { return e.code; } };
      assert.equal(bad({ 4: "1234567890123" }), "BAD_VALUE");
      assert.equal(bad({ 4: "12a4" }), "BAD_VALUE");
      assert.equal(bad({ 41: "TERM\n001" }), "BAD_VALUE");
      assert.equal(bad({ 52: new Uint8Array(7) }), "BAD_VALUE");
      assert.equal(bad({ 2: 4111 }), "BAD_VALUE");
      assert.equal(bad({ 8: "1" }), "UNKNOWN_FIELD");
      assert.throws(() => pack({ mti: "02X0", f: {} }), (e: any) => e.code === "BAD_MTI");
    });
  });
});
