import { test, eq, ok } from "../selftest/check";
import { findTag, parseTlv } from "./tlv";
import { fromHex, toHex } from "../hex";

// Mastercard-like PPSE reply (pos-domain 4.2)
var PPSE = "6F2C840E325041592E5359532E4444463031A51ABF0C1761154F07A00000000410105007" +
  "4D415354455243415244";

test("tlv: PPSE reply nests to the AID", function () {
  var b = fromHex("6F23840E325041592E5359532E4444463031A511BF0C0E610C4F07A0000000041010870101")!;
  var r = parseTlv(b);
  eq(r.err, "", "no error");
  var aid = findTag(r.nodes, 0x4f)!;
  eq(toHex(b, aid.start, aid.len), "A0000000041010", "AID");
  eq(findTag(r.nodes, 0xbf0c)!.constructed, true, "BF0C constructed");
  eq(b[findTag(r.nodes, 0x87)!.start], 1, "priority");
});

test("tlv: long lengths, padding, malformed input rejected", function () {
  var b = fromHex("00FF5F24033012319F0281060000000001005A00")!;
  var r = parseTlv(b);
  eq(r.err, "", "ok");
  eq(findTag(r.nodes, 0x5f24)!.len, 3, "5F24");
  eq(findTag(r.nodes, 0x9f02)!.len, 6, "81 length");
  ok(parseTlv(fromHex("5A0841111111")!).err !== "", "length past end");
  ok(parseTlv(fromHex("5A8401")!).err !== "", "bad length byte");
  ok(parseTlv(fromHex("9F")!).err !== "", "truncated tag");
  ok(parseTlv(fromHex(PPSE)!).err !== "", "inner length past parent");
  eq(fromHex("0G"), null, "bad hex");
});
