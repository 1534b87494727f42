import { test, eq, ok } from "../../drivers/selftest/check";
import { pack, unpack } from "./iso8583";
import { createDeframer, frame } from "./frame";
import { fromHex, toHex } from "./hex";
import { buildReversal, formatTotals, parseTotals, responseMti } from "./messages";
import { Brand, TxnKind, TxnRecord, TxnState } from "../txn";

var ECHO = "0800202001000080000099000000000101235445524D30303031";

function codeOf(hex: string): string {
  try { unpack(fromHex(hex)!); return "OK"; } catch (e) { return (e as any).code; }
}

test("iso8583: echo packs to the golden bytes and back", function () {
  var m = { mti: "0800", f: {} as any };
  m.f[3] = "990000"; m.f[11] = "000001"; m.f[24] = "123"; m.f[41] = "TERM0001";
  eq(toHex(pack(m)), ECHO, "pack");
  var u = unpack(fromHex(ECHO)!);
  eq(u.mti, "0800", "mti");
  eq(u.f[11], "000001", "stan");
  eq(u.f[41], "TERM0001", "tid");
});

test("iso8583: malformed input has a code", function () {
  eq(codeOf(ECHO.substr(0, 30)), "TRUNCATED", "truncated");
  eq(codeOf(ECHO + "00"), "TRAILING", "trailing");
  eq(codeOf("0200" + "4000000000000000" + "20" + "41111111111111111111"), "LENGTH_OVERRUN", "overrun");
  eq(codeOf("0200" + "0100000000000000" + "00"), "UNKNOWN_FIELD", "unknown");
  eq(codeOf("0800" + "2000000000000000" + "99A000"), "BAD_BCD", "bcd");
});

test("iso8583: track 2 keeps its separator", function () {
  var m = { mti: "0200", f: {} as any };
  m.f[35] = "4111111111111111=301210";
  var u = unpack(pack(m));
  eq(u.f[35], "4111111111111111=301210", "track2");
});

test("frame: any chunking gives the frame", function () {
  var f = frame(fromHex(ECHO)!, "123");
  eq(toHex(f.subarray(0, 7)), "001F6001230000", "header");
  for (var cut = 0; cut <= f.length; cut += 3) {
    var got = "";
    var d = createDeframer(function (_t, m) { got = toHex(m); }, function () { got = "ERR"; });
    d.push(f.subarray(0, cut));
    d.push(f.subarray(cut));
    eq(got, ECHO, "cut " + cut);
  }
});

test("messages: reversal reuses the STAN and carries no PAN", function () {
  var rec: TxnRecord = {
    slot: -1, kind: TxnKind.SALE, state: TxnState.PENDING, stan: 42, invoice: 7, batch: 1, amount: 1234,
    entryMode: "021", brand: Brand.Visa, last4: "1111", token: "t", date: "1126", time: "101530", procCode: "000000",
    rc: "", authCode: "", rrn: "", reversalPending: true, advicePending: false, origInvoice: 0,
  };
  var m = buildReversal(rec, { tid: "TERM0001", mid: "MERCHANT0000001", nii: "123" });
  eq(m.mti, "0400", "mti");
  eq(m.f[11], "000042", "stan");
  ok(m.f[2] === undefined && m.f[35] === undefined && m.f[52] === undefined, "no card data");
  eq(responseMti("0400"), "0410", "response mti");
  var t = parseTotals(formatTotals({ saleCount: 2, saleAmount: 2468, refundCount: 1, refundAmount: 500 }))!;
  eq(t.saleAmount, 2468, "totals");
});
