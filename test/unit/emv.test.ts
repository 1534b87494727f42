// EMV helpers: AID choice by priority, PDOL filling, GPO formats, field collection.
import { strict as assert } from "assert";
import { chooseAid, collectFields, fillPdol, gpoCommand, parseGpo } from "../../drivers/emv/apdu";
import { parseTlv } from "../../drivers/emv/tlv";
import { fromHex, toHex } from "../../sim/hex";
import { tlv, ascii } from "../../tools/tlv-build";

const b = (h: string) => fromHex(h)!;
const term = { amount: 123456, date: "261126", unpredictable: 0xdeadbeef, country: 826, currency: 978 };
function ppse(...apps: [string, number?][]) {
  return b(tlv("6F", tlv("84", ascii("2PAY.SYS.DDF01")), tlv("A5", tlv("BF0C", ...apps.map(([aid, p]) => tlv("61", tlv("4F", aid), p === undefined ? "" : tlv("87", p.toString(16).padStart(2, "0"))))))));
}

describe("EMV read helpers", () => {
  it("chooses the AID with the best priority, known AIDs only", () => {
    const r1 = ppse(["A0000000043060", 2], ["A0000000041010", 1]);
    assert.equal(chooseAid(r1, r1.length), "A0000000041010");
    const r2 = ppse(["A0000000043060", 1], ["A0000000041010", 2]);
    assert.equal(chooseAid(r2, r2.length), "A0000000043060");
    const r3 = ppse(["A0000000041010"], ["A0000000031010"]);
    assert.equal(chooseAid(r3, r3.length), "A0000000031010", "no priority: known-AID order (Visa first)");
    const r4 = ppse(["F0000000000001", 1]);
    assert.equal(chooseAid(r4, r4.length), "", "unknown AID");
    assert.equal(chooseAid(b("6F03840100"), 5), "");
    assert.equal(chooseAid(b("6F80"), 2), "", "malformed");
  });

  it("fills the PDOL with terminal values, zeros for unknown tags", () => {
    const dol = b("9F66049F02069F03069F1A0295055F2A029A039C019F3704DF01029F7A01");
    const d = fillPdol(dol, 0, dol.length, term)!;
    assert.equal(toHex(d),
      "26000000" + "000000123456" + "000000000000" + "0826" + "0000000000" + "0978" + "261126" + "00" + "DEADBEEF" + "0000" + "00");
    assert.equal(fillPdol(b("9F"), 0, 1, term), null, "truncated tag");
    assert.equal(fillPdol(b("9F0281"), 0, 3, term), null, "length byte > 7F");
  });

  it("builds GPO commands, with the 83 length in long form past 127 bytes", () => {
    assert.equal(toHex(gpoCommand(new Uint8Array(0))), "80A8000002830000");
    assert.equal(toHex(gpoCommand(b("26000000"))), "80A80000068304" + "26000000" + "00");
    const big = gpoCommand(new Uint8Array(200));
    assert.equal(toHex(big.subarray(0, 8)), "80A80000CB8381C8");
    assert.equal(big.length, 5 + 0xcb + 1);
    const parsed = parseTlv(big, 5, 5 + 0xcb);
    assert.equal(parsed.err, "");
    assert.equal(parsed.nodes[0]!.len, 200);
  });

  it("parses GPO format 1 and 2, rejects bad AFL lengths", () => {
    const g1 = b(tlv("80", "1980", "08010100", "10010200"));
    assert.equal(Buffer.from(parseGpo(g1, g1.length)!.afl).toString("hex"), "0801010010010200");
    const g2 = b(tlv("77", tlv("82", "2000"), tlv("94", "18010100"), tlv("57", "4761739001010010D30122011143804400000F")));
    const p2 = parseGpo(g2, g2.length)!;
    assert.equal(Buffer.from(p2.afl).toString("hex"), "18010100");
    const data = { pan: "", expiry: "", serviceCode: "", name: "", track2: "" };
    collectFields(g2, p2.nodes, data);
    assert.deepEqual(data, { pan: "4761739001010010", expiry: "3012", serviceCode: "201", name: "", track2: "4761739001010010D30122011143804400000" });
    assert.equal(parseGpo(b(tlv("80", "19800801")), 6), null, "AFL not a multiple of 4");
    assert.equal(parseGpo(b(tlv("6F", "00")), 3), null, "not a GPO template");
  });

  it("collects 5A/5F24/5F20 and ignores a Luhn-invalid PAN", () => {
    const r = b(tlv("70", tlv("5A", "4111111111111111"), tlv("5F24", "280630"), tlv("5F20", ascii("DOE/JOHN  "))));
    const data = { pan: "", expiry: "", serviceCode: "", name: "", track2: "" };
    collectFields(r, parseTlv(r).nodes, data);
    assert.deepEqual([data.pan, data.expiry, data.name], ["4111111111111111", "2806", "DOE/JOHN"]);
    const bad = b(tlv("70", tlv("5A", "4111111111111112")));
    const d2 = { pan: "", expiry: "", serviceCode: "", name: "", track2: "" };
    collectFields(bad, parseTlv(bad).nodes, d2);
    assert.equal(d2.pan, "");
  });
});
