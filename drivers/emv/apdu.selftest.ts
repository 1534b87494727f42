import { test, eq } from "../selftest/check";
import { chooseAid, fillPdol, parseGpo } from "./apdu";
import { fromHex, toHex } from "../hex";

test("emv: AID by priority, PDOL fill, GPO format 1", function () {
  // BF0C with Maestro (priority 2) and Mastercard (priority 1)
  var p = fromHex("6F1EA51CBF0C196109" + "4F07A0000000043060" + "870102" + "610C4F07A0000000041010870101")!;
  p[1] = p.length - 2; p[3] = p.length - 4; p[6] = p.length - 7;
  eq(chooseAid(p, p.length), "A0000000041010", "priority 1 wins");
  var dol = fromHex("9F02069A039F3702")!;
  var d = fillPdol(dol, 0, dol.length, { amount: 1999, date: "261126", unpredictable: 0xabcd, country: 840, currency: 840 })!;
  eq(toHex(d), "000000001999261126ABCD", "pdol");
  var g = fromHex("800A198008010100100102009000")!;
  eq(toHex(parseGpo(g, g.length - 2)!.afl, 0, 8), "0801010010010200", "afl");
});
